import { z } from 'zod';
import type { ShiftPlan } from './shift-calendar.js';
import { fromLocalDateTime, toLocalDateTime } from './zoned-time.js';

/**
 * Reporting windows. Calendar windows (minute … year) are cut at the site's wall clock; `shift` windows
 * are the shift occurrences of a calendar; `range` is an explicit [from, to) given by the caller.
 */
export const windowKinds = ['minute', 'hour', 'shift', 'day', 'month', 'year', 'range'] as const;
export const windowKindSchema = z.enum(windowKinds);
export type WindowKind = z.infer<typeof windowKindSchema>;

/** Window kinds the streaming engine can cut by itself (all but the explicit range). */
export type CalendarWindowKind = Exclude<WindowKind, 'range'>;

export interface KpiWindow {
  kind: WindowKind;
  startMs: number;
  endMs: number;
  /** For shift windows: which calendar and shift, and the local date the shift started. */
  shift?: { calendarId: string; shiftId: string; date: string };
}

type WallClockKind = Exclude<CalendarWindowKind, 'shift' | 'minute'>;

/** Cuts windows in one time zone; remembers the last window of each kind, since callers walk forward. */
export interface WindowCutter {
  /** The window of a kind that contains an instant; null for `shift` when the instant is between shifts. */
  containing(kind: CalendarWindowKind, atMs: number, plan: ShiftPlan): KpiWindow | null;
  /** The first boundary of a kind strictly after an instant (for shifts: at most two days ahead; none without a calendar). */
  nextBoundaryAfter(kind: CalendarWindowKind, atMs: number, plan: ShiftPlan): number;
}

const shiftLookaheadMs = 2 * 86_400_000;
const recentWindowsKept = 4;

interface ShiftSlot {
  startMs: number;
  endMs: number;
  window: KpiWindow | null;
}

export function createWindowCutter(timeZone: string): WindowCutter {
  const recentWindows = new Map<WallClockKind, KpiWindow[]>();
  const lastShiftSlot = new Map<string, ShiftSlot>();

  function wallClockWindow(kind: WallClockKind, atMs: number): KpiWindow {
    // Callers walk forward cell after cell, so the same few windows come back again and again.
    let remembered = recentWindows.get(kind);
    if (remembered === undefined) {
      remembered = [];
      recentWindows.set(kind, remembered);
    }
    for (const window of remembered) if (window.startMs <= atMs && atMs < window.endMs) return window;
    const local = toLocalDateTime(atMs, timeZone);
    const start = { ...local, minute: 0, second: 0 };
    const end = { ...start };
    if (kind === 'hour') {
      end.hour += 1;
    } else {
      start.hour = 0;
      end.hour = 0;
      if (kind === 'day') end.day += 1;
      if (kind === 'month' || kind === 'year') {
        start.day = 1;
        end.day = 1;
        end.month += 1;
      }
      if (kind === 'year') {
        start.month = 1;
        end.month = 1;
        end.year += 1;
      }
    }
    const window: KpiWindow = {
      kind,
      startMs: fromLocalDateTime(start, timeZone),
      endMs: fromLocalDateTime(end, timeZone),
    };
    remembered.push(window);
    if (remembered.length > recentWindowsKept) remembered.shift();
    return window;
  }

  /** The shift occurrence around an instant, or the gap between two occurrences, whichever holds it. */
  function shiftSlot(atMs: number, plan: ShiftPlan): ShiftSlot {
    const memoKey = plan.calendarId ?? '';
    const remembered = lastShiftSlot.get(memoKey);
    if (remembered !== undefined && remembered.startMs <= atMs && atMs < remembered.endMs) return remembered;
    const nearby = plan.shiftsOverlapping(atMs - shiftLookaheadMs, atMs + shiftLookaheadMs);
    let slot: ShiftSlot = { startMs: atMs - shiftLookaheadMs, endMs: atMs + shiftLookaheadMs, window: null };
    for (const occurrence of nearby) {
      if (occurrence.startMs <= atMs && atMs < occurrence.endMs) {
        slot = {
          startMs: occurrence.startMs,
          endMs: occurrence.endMs,
          window: {
            kind: 'shift',
            startMs: occurrence.startMs,
            endMs: occurrence.endMs,
            shift: { calendarId: occurrence.calendarId, shiftId: occurrence.shiftId, date: occurrence.date },
          },
        };
        break;
      }
      if (occurrence.endMs <= atMs) slot.startMs = Math.max(slot.startMs, occurrence.endMs);
      if (occurrence.startMs > atMs) slot.endMs = Math.min(slot.endMs, occurrence.startMs);
    }
    lastShiftSlot.set(memoKey, slot);
    return slot;
  }

  function containing(kind: CalendarWindowKind, atMs: number, plan: ShiftPlan): KpiWindow | null {
    if (kind === 'shift') return plan.calendarId === null ? null : shiftSlot(atMs, plan).window;
    if (kind === 'minute') {
      // Zone offsets are whole minutes, so minutes are cut inside the local hour.
      const hour = wallClockWindow('hour', atMs);
      const startMs = hour.startMs + Math.floor((atMs - hour.startMs) / 60_000) * 60_000;
      return { kind, startMs, endMs: Math.min(startMs + 60_000, hour.endMs) };
    }
    return wallClockWindow(kind, atMs);
  }

  function nextBoundaryAfter(kind: CalendarWindowKind, atMs: number, plan: ShiftPlan): number {
    if (kind !== 'shift') return containing(kind, atMs, plan)!.endMs;
    if (plan.calendarId === null) return Number.POSITIVE_INFINITY;
    return shiftSlot(atMs, plan).endMs;
  }

  return { containing, nextBoundaryAfter };
}

/**
 * The financial period a window is, in the site zone: `YYYY-MM` for a whole local month, `YYYY` for a
 * whole local year, else null.
 */
export function financialPeriodOf(window: KpiWindow, timeZone: string): string | null {
  const start = toLocalDateTime(window.startMs, timeZone);
  const end = toLocalDateTime(window.endMs, timeZone);
  const isMonthStart = (local: typeof start): boolean =>
    local.day === 1 && local.hour === 0 && local.minute === 0 && local.second === 0;
  if (!isMonthStart(start) || !isMonthStart(end) || window.startMs % 1000 !== 0) return null;
  const months = (end.year - start.year) * 12 + (end.month - start.month);
  const year = String(start.year).padStart(4, '0');
  if (months === 1) return `${year}-${String(start.month).padStart(2, '0')}`;
  if (months === 12 && start.month === 1) return year;
  return null;
}
