import { describe, expect, it } from 'vitest';
import { addCellTimeElements, type CellContext } from '../src/cell-time-elements.js';
import { CellTimeline } from '../src/cell-timeline.js';
import type { MachineState } from '../src/kpi-event.js';
import { emptyTotals, idealSeconds, type KpiTotals } from '../src/kpi-totals.js';
import { shiftCalendarSchema } from '../src/master-data.js';
import { alwaysScheduledPlan, compileShiftCalendar, type ShiftPlan } from '../src/shift-calendar.js';
import { at, cellA, EventScript, minuteMs } from './support/event-builders.js';

const idealCycles: Record<string, number> = { x: 1, y: 2 };

function context(overrides: Partial<CellContext> = {}): CellContext {
  return {
    minorStopThresholdMs: 120_000,
    silenceGapMs: null,
    plan: alwaysScheduledPlan(),
    idealCycleSeconds: (product) => idealCycles[product],
    isBottleneck: false,
    countsAsLineOutput: true,
    ...overrides,
  };
}

type Step = [minutes: number, state: MachineState];

/** Elements in seconds of a cell that follows `steps` (minutes after 0), over [0, toMinutes). */
function elements(
  steps: Step[],
  toMinutes: number,
  options: {
    context?: Partial<CellContext>;
    horizonMinutes?: number;
    counts?: [number, number, number, string?][];
  } = {},
): Record<string, number> {
  const script = new EventScript(0);
  const timeline = new CellTimeline();
  for (const [minutes, state] of steps) timeline.insertState(script.state(cellA, minutes, state, 'x'));
  for (const [minutes, good, scrap, product] of options.counts ?? []) {
    timeline.insertCount(script.count(cellA, minutes, good, scrap, product));
  }
  const totals = emptyTotals();
  addCellTimeElements(
    totals,
    timeline,
    context(options.context),
    0,
    toMinutes * minuteMs,
    (options.horizonMinutes ?? toMinutes) * minuteMs,
  );
  return secondsOf(totals);
}

function secondsOf(totals: KpiTotals): Record<string, number> {
  return {
    AT: totals.allMs / 1000,
    POT: totals.plannedOperationMs / 1000,
    PBT: totals.plannedBusyMs / 1000,
    ASUT: totals.setupMs / 1000,
    DOWN: totals.downMs / 1000,
    MINOR: totals.minorStopMs / 1000,
    APT: totals.actualProductionMs / 1000,
    unknown: totals.unknownMs / 1000,
    failures: totals.failureCount,
    failureDown: totals.failureDowntimeMs / 1000,
    pending: totals.pendingStopMs / 1000,
  };
}

describe('addCellTimeElements: the state-to-time mapping', () => {
  it.each<[string, Step[], number, Partial<Record<string, number>>]>([
    [
      // KPI.md worked example: 480 min, breaks 15 + 15 + meal 30 as planned_stop, 47 min down.
      'worked example',
      [
        [0, 'running'],
        [100, 'planned_stop'],
        [115, 'running'],
        [200, 'down'],
        [247, 'running'],
        [300, 'planned_stop'],
        [330, 'running'],
        [400, 'planned_stop'],
        [415, 'running'],
      ],
      480,
      {
        AT: 28_800,
        POT: 28_800,
        PBT: 25_200,
        DOWN: 2_820,
        MINOR: 0,
        APT: 22_380,
        failures: 1,
        failureDown: 2_820,
      },
    ],
    [
      // θ = 120 s: 119 s is minor, 120 s is downtime.
      'stops either side of θ',
      [
        [0, 'running'],
        [10, 'down'],
        [10 + 119 / 60, 'running'],
        [20, 'down'],
        [22, 'running'],
      ],
      30,
      { PBT: 1_800, MINOR: 119, DOWN: 120, APT: 1_800 - 239, failures: 1 },
    ],
    [
      // idle 90 s then down 40 s is one stop of 130 s ≥ θ: all 130 s are DOWN, one failure of 40 s.
      'consecutive stop states form one stop',
      [
        [0, 'running'],
        [5, 'idle'],
        [6.5, 'down'],
        [6.5 + 40 / 60, 'running'],
      ],
      10,
      { DOWN: 130, MINOR: 0, APT: 600 - 130, failures: 1, failureDown: 40 },
    ],
    [
      'idle alone is a stop but not a failure',
      [
        [0, 'running'],
        [2, 'idle'],
        [7, 'running'],
      ],
      10,
      { DOWN: 300, failures: 0, failureDown: 0, APT: 300 },
    ],
    [
      'setup is ASUT, inside PBT',
      [
        [0, 'setup'],
        [15, 'running'],
      ],
      60,
      { PBT: 3_600, ASUT: 900, APT: 2_700 },
    ],
    [
      // `off` during scheduled time is a stop (the plan said work); `not_scheduled` leaves POT.
      'off and not_scheduled',
      [
        [0, 'running'],
        [10, 'off'],
        [20, 'not_scheduled'],
        [40, 'running'],
      ],
      60,
      { AT: 3_600, POT: 2_400, PBT: 2_400, DOWN: 600, APT: 1_800 },
    ],
    [
      'time before the first state is unknown, inside PBT',
      [[20, 'running']],
      60,
      { AT: 3_600, PBT: 3_600, unknown: 1_200, APT: 2_400 },
    ],
  ])('%s', (_name, steps, toMinutes, expected) => {
    expect(elements(steps, toMinutes)).toMatchObject(expected);
  });

  it('a stop still going on at the horizon is minor and pending until it reaches θ', () => {
    const steps: Step[] = [
      [0, 'running'],
      [9, 'down'],
    ];
    expect(elements(steps, 10, { horizonMinutes: 10 })).toMatchObject({ MINOR: 60, pending: 60, DOWN: 0 });
    // Same window computed when the stop is known to last to minute 12 (180 s ≥ θ).
    expect(elements(steps, 10, { horizonMinutes: 12 })).toMatchObject({
      MINOR: 0,
      pending: 0,
      DOWN: 60,
      failures: 1,
    });
  });

  it('a larger θ makes every short stop minor', () => {
    const steps: Step[] = [
      [0, 'running'],
      [20, 'down'],
      [22, 'running'],
    ];
    expect(elements(steps, 30, { context: { minorStopThresholdMs: 300_000 } })).toMatchObject({
      MINOR: 120,
      DOWN: 0,
      failures: 0,
    });
  });

  it('a silent cell is unknown after the gap, not running', () => {
    // running at 0, last heard at minute 5 (a count), gap 10 min → heard until 15, unknown 15–30,
    // heard again at 30.
    const totals = elements(
      [
        [0, 'running'],
        [30, 'running'],
      ],
      40,
      { context: { silenceGapMs: 10 * minuteMs }, counts: [[5, 10, 0]] },
    );
    expect(totals).toMatchObject({ APT: 1_500, unknown: 900, PBT: 2_400 });
  });
});

describe('addCellTimeElements with a calendar', () => {
  const plan: ShiftPlan = compileShiftCalendar(
    shiftCalendarSchema.parse({
      id: 'day',
      shifts: [{ id: 'A', start: '06:00', end: '14:00', breaks: [{ start: '10:00', end: '10:30' }] }],
    }),
    'UTC',
  );

  it('no shift → not scheduled, break → planned stop, whatever the state', () => {
    const script = new EventScript(at('2026-03-02T00:00:00Z'));
    const timeline = new CellTimeline();
    timeline.insertState(script.state(cellA, 0, 'running', 'x'));
    const totals = emptyTotals();
    addCellTimeElements(
      totals,
      timeline,
      context({ plan }),
      script.ms(0),
      script.ms(24 * 60),
      script.ms(24 * 60),
    );
    // 24 h running; shift 8 h with a 30-min break.
    expect(secondsOf(totals)).toMatchObject({ AT: 86_400, POT: 28_800, PBT: 27_000, APT: 27_000 });
    expect(totals.plannedStopMs / 1000).toBe(1_800);
    expect(totals.runOutsidePlanMs / 1000).toBe(86_400 - 27_000);
  });

  it('a failure starting outside the plan is counted at the first planned instant', () => {
    const script = new EventScript(at('2026-03-02T00:00:00Z'));
    const timeline = new CellTimeline();
    timeline.insertState(script.state(cellA, 5 * 60, 'down', 'x'));
    timeline.insertState(script.state(cellA, 6 * 60 + 30, 'running', 'x'));
    const before = emptyTotals();
    addCellTimeElements(
      before,
      timeline,
      context({ plan }),
      script.ms(0),
      script.ms(6 * 60),
      script.ms(24 * 60),
    );
    const after = emptyTotals();
    addCellTimeElements(
      after,
      timeline,
      context({ plan }),
      script.ms(6 * 60),
      script.ms(24 * 60),
      script.ms(24 * 60),
    );
    expect([before.failureCount, after.failureCount, after.downMs / 1000]).toEqual([0, 1, 1_800]);
  });
});

describe('addCellTimeElements counts', () => {
  it('takes the product from the count, else from the state; IOT and GOT per ideal cycle', () => {
    const script = new EventScript(0);
    const timeline = new CellTimeline();
    timeline.insertState(script.state(cellA, 0, 'running', 'x'));
    timeline.insertState(script.state(cellA, 30, 'running', 'y'));
    timeline.insertCount(script.count(cellA, 10, 100, 5));
    timeline.insertCount(script.count(cellA, 40, 50, 2));
    timeline.insertCount(script.count(cellA, 45, 10, 0, 'x'));
    const totals = emptyTotals();
    addCellTimeElements(totals, timeline, context(), 0, 60 * minuteMs, 60 * minuteMs);
    // x at 1 s: 105 + 10 units (110 good); y at 2 s: 52 units (50 good).
    expect(idealSeconds(totals.unitsByIdealCycle, 'total')).toBe(115 * 1 + 52 * 2);
    expect(idealSeconds(totals.unitsByIdealCycle, 'good')).toBe(110 * 1 + 50 * 2);
    expect([totals.good, totals.scrap, totals.outputGood]).toEqual([160, 7, 160]);
  });

  it('units of a product without ideal cycle time, or without product, are reported, not valued', () => {
    const script = new EventScript(0);
    const timeline = new CellTimeline();
    timeline.insertCount(script.count(cellA, 1, 4, 0, 'unknown-part'));
    timeline.insertCount(script.count(cellA, 2, 3, 0));
    const totals = emptyTotals();
    addCellTimeElements(totals, timeline, context(), 0, 10 * minuteMs, 10 * minuteMs);
    expect([...totals.productsWithoutIdealCycle]).toEqual(['unknown-part']);
    expect(totals.unitsWithoutProduct).toBe(3);
    expect(totals.unitsByIdealCycle.size).toBe(0);
  });

  it('counts state conflicts at the same instant', () => {
    const timeline = new CellTimeline();
    const base = { kind: 'state' as const, path: cellA, tsMs: 60_000, publisher: 'p' };
    timeline.insertState({ ...base, seq: 1, state: 'down' });
    timeline.insertState({ ...base, seq: 2, state: 'running' });
    const totals = emptyTotals();
    addCellTimeElements(totals, timeline, context(), 0, 120_000, 120_000);
    expect([totals.stateConflicts, totals.actualProductionMs, totals.downMs]).toEqual([1, 60_000, 0]);
  });
});
