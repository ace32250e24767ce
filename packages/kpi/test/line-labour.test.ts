import { describe, expect, it } from 'vitest';
import { emptyTotals } from '../src/kpi-totals.js';
import { addLineTimeElements, type LineContext, LineTimeline } from '../src/line-labour.js';
import { shiftCalendarSchema } from '../src/master-data.js';
import { alwaysScheduledPlan, compileShiftCalendar } from '../src/shift-calendar.js';
import { at, EventScript, hourMs, lineOne } from './support/event-builders.js';

// Shift 06:00–14:00 (UTC for readability) with a 15-min break and a 30-min meal.
const plan = compileShiftCalendar(
  shiftCalendarSchema.parse({
    id: 'day',
    shifts: [
      {
        id: 'A',
        start: '06:00',
        end: '14:00',
        breaks: [
          { start: '09:00', end: '09:15' },
          { start: '11:30', end: '12:00' },
        ],
      },
    ],
  }),
  'UTC',
);
const base = at('2026-03-02T06:00:00Z');

function lineContext(overrides: Partial<LineContext> = {}): LineContext {
  return {
    linePath: lineOne,
    plan,
    hasBottleneck: false,
    hasOutputCell: false,
    rosterHeadcount: null,
    labourSource: 'auto',
    ...overrides,
  };
}

describe('addLineTimeElements labour', () => {
  it('labour hours from clock in/out, minus planned breaks', () => {
    const script = new EventScript(base);
    const timeline = new LineTimeline();
    // Worker a 06:00–14:00: 480 min − 45 min of breaks = 435 min.
    // Worker b 06:00–10:00: 240 min − 15 min (09:00 break) = 225 min.
    for (const event of [
      script.clock(lineOne, 0, 'clock_in', 'a'),
      script.clock(lineOne, 480, 'clock_out', 'a'),
      script.clock(lineOne, 240, 'clock_out', 'b'),
      script.clock(lineOne, 0, 'clock_in', 'b'),
    ]) {
      timeline.insert(event);
    }
    const totals = emptyTotals();
    addLineTimeElements(totals, timeline, lineContext(), base, base + 8 * hourMs, base + 8 * hourMs);
    expect(totals.labourMs / hourMs).toBe((435 + 225) / 60);
    // Without a roster, the headcount integral is the attended time, breaks included: 480 + 240 min.
    expect(totals.headcountMs / hourMs).toBe(12);
  });

  it('labour hours from headcount snapshots × time, minus planned breaks', () => {
    const script = new EventScript(base);
    const timeline = new LineTimeline();
    // 12 people 06:00–10:00 (240 − 15 min break), 10 people 10:00–14:00 (240 − 30 min meal), 0 after.
    timeline.insert(script.headcount(lineOne, 0, 12));
    timeline.insert(script.headcount(lineOne, 240, 10));
    timeline.insert(script.headcount(lineOne, 480, 0));
    const totals = emptyTotals();
    addLineTimeElements(totals, timeline, lineContext(), base, base + 10 * hourMs, base + 10 * hourMs);
    expect(totals.labourMs / hourMs).toBe((12 * 225 + 10 * 210) / 60);
  });

  it('impossible intervals are ignored and counted', () => {
    const script = new EventScript(base);
    const timeline = new LineTimeline();
    for (const event of [
      script.clock(lineOne, 0, 'clock_out', 'a'), // out while never in
      script.clock(lineOne, 60, 'clock_in', 'a'),
      script.clock(lineOne, 90, 'clock_in', 'a'), // in while in: the first clock-in stands
      script.clock(lineOne, 120, 'clock_out', 'a'),
    ]) {
      timeline.insert(event);
    }
    const totals = emptyTotals();
    addLineTimeElements(
      totals,
      timeline,
      lineContext({ plan: alwaysScheduledPlan() }),
      base,
      base + 4 * hourMs,
      base + 4 * hourMs,
    );
    expect([totals.labourMs / hourMs, totals.clockOutWithoutClockIn, totals.clockInWhileClockedIn]).toEqual([
      1, 1, 1,
    ]);
  });

  it('a worker still clocked in counts until the horizon; pruning carries the open attendance', () => {
    const script = new EventScript(base);
    const timeline = new LineTimeline();
    timeline.insert(script.clock(lineOne, 0, 'clock_in', 'a'));
    timeline.prune(base + 60 * 60_000);
    const totals = emptyTotals();
    addLineTimeElements(
      totals,
      timeline,
      lineContext({ plan: alwaysScheduledPlan() }),
      base + hourMs,
      base + 5 * hourMs,
      base + 3 * hourMs,
    );
    expect(totals.labourMs / hourMs).toBe(2);
  });

  it('a roster headcount gives the headcount integral; bottleneck PBT is the calendar busy time', () => {
    const totals = emptyTotals();
    addLineTimeElements(
      totals,
      undefined,
      lineContext({ rosterHeadcount: 25, hasBottleneck: true, hasOutputCell: true }),
      base,
      base + 8 * hourMs,
      base + 8 * hourMs,
    );
    expect(totals.headcountMs / hourMs).toBe(25 * 8);
    expect(totals.bottleneckPlannedBusyMs / 60_000).toBe(480 - 45);
    expect([
      ...totals.linesWithPresenceHeadcount,
      ...totals.linesWithoutBottleneck,
      ...totals.linesWithoutOutputCell,
    ]).toEqual([]);
  });

  it('labourSource headcount ignores clock events', () => {
    const script = new EventScript(base);
    const timeline = new LineTimeline();
    timeline.insert(script.clock(lineOne, 0, 'clock_in', 'a'));
    timeline.insert(script.headcount(lineOne, 0, 3));
    const totals = emptyTotals();
    addLineTimeElements(
      totals,
      timeline,
      lineContext({ plan: alwaysScheduledPlan(), labourSource: 'headcount' }),
      base,
      base + hourMs,
      base + hourMs,
    );
    expect(totals.labourMs / hourMs).toBe(3);
  });
});
