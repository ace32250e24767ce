import { type Interval, intersectionOf, unionOf } from './intervals.js';
import {
  minutesAfter,
  minutesOfDay,
  type ShiftCalendar,
  type WeekdayName,
  weekdayNames,
} from './master-data.js';
import { addDays, fromLocalDateTime, isoWeekday, type LocalDate, toLocalDate } from './zoned-time.js';

/**
 * What the plan says about each instant: `busy` (scheduled production time), `break` (planned stop
 * inside a shift) or `off` (no shift, non-working day, holiday).
 */
export type PlanKind = 'busy' | 'break' | 'off';

export interface PlanSpan extends Interval {
  kind: PlanKind;
}

/** One occurrence of a shift; it belongs to the local date on which it starts. */
export interface ShiftOccurrence extends Interval {
  calendarId: string;
  shiftId: string;
  /** Local date (YYYY-MM-DD) on which the shift starts. */
  date: string;
  breaks: Interval[];
}

/** The planned time of a line: a compiled shift calendar, or "always scheduled" when there is none. */
export interface ShiftPlan {
  /** Null when no calendar applies (all time is scheduled). */
  readonly calendarId: string | null;
  /** Spans covering [startMs, endMs) in order, without gaps. */
  planSpans(startMs: number, endMs: number): readonly PlanSpan[];
  /** Shift occurrences that overlap [startMs, endMs), by start time. */
  shiftsOverlapping(startMs: number, endMs: number): readonly ShiftOccurrence[];
  /** The first busy instant in [startMs, endMs), or null. */
  firstBusyInstant(startMs: number, endMs: number): number | null;
}

const alwaysBusy: ShiftPlan = {
  calendarId: null,
  planSpans: (startMs, endMs) => (endMs > startMs ? [{ startMs, endMs, kind: 'busy' }] : []),
  shiftsOverlapping: () => [],
  firstBusyInstant: (startMs, endMs) => (endMs > startMs ? startMs : null),
};

/** The plan of a line without a calendar: every instant is scheduled production time. */
export function alwaysScheduledPlan(): ShiftPlan {
  return alwaysBusy;
}

const dayMs = 86_400_000;

function dayNumber(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / dayMs;
}

function dateOfDayNumber(day: number): LocalDate {
  const date = new Date(day * dayMs);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function isoDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

const maxCachedDays = 4096;

/** Compiles a shift calendar of the master data for a time zone. */
export function compileShiftCalendar(calendar: ShiftCalendar, timeZone: string): ShiftPlan {
  const holidays = new Set(calendar.holidays);
  const nonWorking = new Set<number>(calendar.nonWorkingWeekdays.map(weekdayNumber));
  const occurrencesByDay = new Map<number, ShiftOccurrence[]>();

  function at(date: LocalDate, clockTime: string): number {
    const minutes = minutesOfDay(clockTime);
    return fromLocalDateTime(
      {
        year: date.year,
        month: date.month,
        day: date.day,
        hour: Math.floor(minutes / 60),
        minute: minutes % 60,
        second: 0,
      },
      timeZone,
    );
  }

  function occurrencesStartingOn(day: number): ShiftOccurrence[] {
    const cached = occurrencesByDay.get(day);
    if (cached !== undefined) return cached;
    const date = dateOfDayNumber(day);
    const weekday = isoWeekday(date);
    const occurrences: ShiftOccurrence[] = [];
    if (!holidays.has(isoDate(date)) && !nonWorking.has(weekday)) {
      for (const shift of calendar.shifts) {
        if (shift.weekdays !== undefined && !shift.weekdays.map(weekdayNumber).includes(weekday)) continue;
        const startMs = at(date, shift.start);
        const shiftMinutes = minutesAfter(shift.start, shift.end) || 1440;
        const endMs = at(addDays(date, minutesOfDay(shift.start) + shiftMinutes >= 1440 ? 1 : 0), shift.end);
        const breaks = shift.breaks.map((plannedBreak) => {
          const startOffset = minutesAfter(shift.start, plannedBreak.start);
          const endOffset = minutesAfter(shift.start, plannedBreak.end) || 1440;
          const startDay = minutesOfDay(shift.start) + startOffset >= 1440 ? 1 : 0;
          const endDay = minutesOfDay(shift.start) + endOffset >= 1440 ? 1 : 0;
          return {
            startMs: at(addDays(date, startDay), plannedBreak.start),
            endMs: at(addDays(date, endDay), plannedBreak.end),
          };
        });
        occurrences.push({
          calendarId: calendar.id,
          shiftId: shift.id,
          date: isoDate(date),
          startMs,
          endMs,
          breaks,
        });
      }
    }
    occurrencesByDay.set(day, occurrences);
    return occurrences;
  }

  function shiftsOverlapping(startMs: number, endMs: number): ShiftOccurrence[] {
    if (endMs <= startMs) return [];
    // A shift lasts at most a day, so one starting the local day before can still reach startMs.
    const firstDay = dayNumber(toLocalDate(startMs, timeZone)) - 1;
    const lastDay = dayNumber(toLocalDate(endMs - 1, timeZone));
    const found: ShiftOccurrence[] = [];
    for (let day = firstDay; day <= lastDay; day++) {
      for (const occurrence of occurrencesStartingOn(day)) {
        if (occurrence.startMs < endMs && occurrence.endMs > startMs) found.push(occurrence);
      }
    }
    return found.sort((a, b) => a.startMs - b.startMs);
  }

  function computeSpans(startMs: number, endMs: number): PlanSpan[] {
    const occurrences = shiftsOverlapping(startMs, endMs);
    const busy = unionOf(occurrences);
    const breaks = intersectionOf(unionOf(occurrences.flatMap((occurrence) => occurrence.breaks)), busy);
    const spans: PlanSpan[] = [];
    let cursor = startMs;
    const push = (until: number, kind: PlanKind): void => {
      const clippedStart = Math.max(cursor, startMs);
      const clippedEnd = Math.min(until, endMs);
      if (clippedEnd > clippedStart) {
        const last = spans[spans.length - 1];
        if (last !== undefined && last.kind === kind && last.endMs === clippedStart) last.endMs = clippedEnd;
        else spans.push({ startMs: clippedStart, endMs: clippedEnd, kind });
      }
      cursor = Math.max(cursor, until);
    };
    let breakIndex = 0;
    for (const interval of busy) {
      push(interval.startMs, 'off');
      while (breakIndex < breaks.length && breaks[breakIndex]!.startMs < interval.endMs) {
        const plannedBreak = breaks[breakIndex]!;
        push(plannedBreak.startMs, 'busy');
        push(plannedBreak.endMs, 'break');
        breakIndex++;
      }
      push(interval.endMs, 'busy');
    }
    push(endMs, 'off');
    return spans;
  }

  // Spans are computed once per local day and cut from there, so that the many small queries of the
  // engine (one per cell and window piece) touch `Intl` only once per day.
  const knownDays: { day: number; startMs: number; endMs: number; spans: PlanSpan[] }[] = [];

  function dayContaining(atMs: number): { day: number; startMs: number; endMs: number; spans: PlanSpan[] } {
    let low = 0;
    let high = knownDays.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (knownDays[middle]!.endMs <= atMs) low = middle + 1;
      else high = middle;
    }
    const found = knownDays[low];
    if (found !== undefined && found.startMs <= atMs) return found;
    const day = dayNumber(toLocalDate(atMs, timeZone));
    const date = dateOfDayNumber(day);
    const startMs = at(date, '00:00');
    const endMs = at(addDays(date, 1), '00:00');
    const entry = { day, startMs, endMs, spans: computeSpans(startMs, endMs) };
    knownDays.splice(low, 0, entry);
    if (knownDays.length > maxCachedDays)
      knownDays.splice(low < maxCachedDays / 2 ? knownDays.length - 1 : 0, 1);
    return entry;
  }

  function planSpans(startMs: number, endMs: number): readonly PlanSpan[] {
    const spans: PlanSpan[] = [];
    let cursor = startMs;
    while (cursor < endMs) {
      const day = dayContaining(cursor);
      for (const span of day.spans) {
        const from = Math.max(span.startMs, cursor);
        const to = Math.min(span.endMs, endMs);
        if (to <= from) continue;
        const last = spans[spans.length - 1];
        if (last !== undefined && last.kind === span.kind && last.endMs === from) last.endMs = to;
        else spans.push({ startMs: from, endMs: to, kind: span.kind });
      }
      cursor = day.endMs;
    }
    return spans;
  }

  function firstBusyInstant(startMs: number, endMs: number): number | null {
    let cursor = startMs;
    while (cursor < endMs) {
      const day = dayContaining(cursor);
      for (const span of day.spans) {
        if (span.kind === 'busy' && span.endMs > cursor && span.startMs < endMs)
          return Math.max(span.startMs, cursor);
      }
      cursor = day.endMs;
    }
    return null;
  }

  return { calendarId: calendar.id, planSpans, shiftsOverlapping, firstBusyInstant };
}

/** ISO weekday number (1 = Monday) of a weekday name. */
export function weekdayNumber(name: WeekdayName): number {
  return weekdayNames.indexOf(name) + 1;
}
