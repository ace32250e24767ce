import { breakSpanMinutes, shiftSpanMinutes } from '../scenario/check-scenario.js';
import type { CalendarSpec } from '../scenario/schema.js';
import { WEEKDAYS } from '../scenario/schema.js';
import type { Zone } from '../time/zone.js';
import { formatDate, localDateOf, nextDate, weekdayOf } from '../time/zone.js';

export type ScheduleState = 'production' | 'planned_stop' | 'not_scheduled';

/** A ground-truth window: one local calendar day, or one shift instance. Clipped to the simulated span. */
export interface TruthWindow {
  index: number;
  kind: 'day' | 'shift';
  /** `2026-03-02` for a day, `2026-03-02/A` for shift A starting that day. */
  key: string;
  from: number;
  to: number;
}

/**
 * A stretch of time with one calendar state, inside exactly one day window and at most one shift
 * window: the calendar is cut at every local midnight, shift start and end, and break start and end.
 */
export interface Segment {
  from: number;
  to: number;
  state: ScheduleState;
  /** Break name for planned stops. */
  reason: string | undefined;
  day: number;
  /** Index of the shift window, -1 outside shifts. */
  shift: number;
}

export interface Schedule {
  segments: Segment[];
  windows: TruthWindow[];
}

interface ShiftInstance {
  window: number;
  from: number;
  to: number;
  breaks: { from: number; to: number; name: string }[];
}

/**
 * The calendar of one line over [startMs, endMs), in the site's zone. Pure; shared by every cell of
 * every line that uses the same calendar in the same site.
 */
export function buildSchedule(calendar: CalendarSpec, zone: Zone, startMs: number, endMs: number): Schedule {
  const windows: TruthWindow[] = [];
  const instances: ShiftInstance[] = [];
  const dayStarts: { window: number; from: number }[] = [];
  const workingDays = new Set(calendar.workingDays.map((day) => WEEKDAYS.indexOf(day)));
  const holidays = new Set(calendar.holidays);
  const spans = calendar.shifts.map((shift) => ({ shift, span: shiftSpanMinutes(shift.start, shift.end) }));

  // A night shift that started the day before the simulation overlaps its start.
  let date = localDateOf(zone, startMs - 86_400_000);
  const lastDate = formatDate(localDateOf(zone, endMs));
  const pendingShifts: { from: number; to: number; key: string; breaks: ShiftInstance['breaks'] }[] = [];
  for (;;) {
    const dateKey = formatDate(date);
    const midnight = zone.instantOf({ ...date, minuteOfDay: 0 });
    const nextMidnight = zone.instantOf({ ...nextDate(date), minuteOfDay: 0 });
    if (nextMidnight > startMs && midnight < endMs) {
      dayStarts.push({ window: windows.length, from: Math.max(midnight, startMs) });
      windows.push({
        index: windows.length,
        kind: 'day',
        key: dateKey,
        from: Math.max(midnight, startMs),
        to: Math.min(nextMidnight, endMs),
      });
    }
    if (workingDays.has(weekdayOf(date)) && !holidays.has(dateKey)) {
      for (const { shift, span } of spans) {
        const at = (minute: number) => zone.instantOf({ ...date, minuteOfDay: minute });
        const from = at(span[0]);
        const to = at(span[1]);
        if (to <= startMs || from >= endMs) continue;
        const breaks = shift.breaks.flatMap((pause) => {
          const breakSpan = breakSpanMinutes(span, pause.start, pause.end);
          return breakSpan === undefined
            ? []
            : [{ from: at(breakSpan[0]), to: at(breakSpan[1]), name: pause.name }];
        });
        pendingShifts.push({ from, to, key: `${dateKey}/${shift.name}`, breaks });
      }
    }
    if (dateKey === lastDate) break;
    date = nextDate(date);
  }
  pendingShifts.sort((a, b) => a.from - b.from);
  for (const shift of pendingShifts) {
    instances.push({ window: windows.length, from: shift.from, to: shift.to, breaks: shift.breaks });
    windows.push({
      index: windows.length,
      kind: 'shift',
      key: shift.key,
      from: Math.max(shift.from, startMs),
      to: Math.min(shift.to, endMs),
    });
  }

  const cuts = new Set<number>([startMs, endMs]);
  for (const day of dayStarts) cuts.add(day.from);
  for (const instance of instances) {
    cuts.add(instance.from);
    cuts.add(instance.to);
    for (const pause of instance.breaks) {
      cuts.add(pause.from);
      cuts.add(pause.to);
    }
  }
  const points = [...cuts].filter((t) => t >= startMs && t <= endMs).sort((a, b) => a - b);
  const segments: Segment[] = [];
  let dayCursor = 0;
  let shiftCursor = 0;
  for (let i = 0; i + 1 < points.length; i += 1) {
    const from = points[i] as number;
    const to = points[i + 1] as number;
    while (dayCursor + 1 < dayStarts.length && (dayStarts[dayCursor + 1] as { from: number }).from <= from) {
      dayCursor += 1;
    }
    while (shiftCursor < instances.length && (instances[shiftCursor] as ShiftInstance).to <= from)
      shiftCursor += 1;
    const instance = instances[shiftCursor];
    const inShift = instance !== undefined && instance.from <= from && from < instance.to;
    const pause = inShift ? instance.breaks.find((b) => b.from <= from && from < b.to) : undefined;
    segments.push({
      from,
      to,
      state: !inShift ? 'not_scheduled' : pause !== undefined ? 'planned_stop' : 'production',
      reason: pause?.name,
      day: (dayStarts[dayCursor] as { window: number }).window,
      shift: inShift ? instance.window : -1,
    });
  }
  return { segments, windows };
}

/** Index of the segment containing `t` (binary search); the last one for t ≥ its end. */
export function segmentAt(schedule: Schedule, t: number): number {
  let lo = 0;
  let hi = schedule.segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((schedule.segments[mid] as Segment).from <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
