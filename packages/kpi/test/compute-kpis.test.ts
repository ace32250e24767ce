import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeKpis } from '../src/compute-kpis.js';
import { KpiError } from '../src/errors.js';
import type { MachineState } from '../src/kpi-event.js';
import type { KpiRecord } from '../src/kpi-record.js';
import type { MasterDataInput } from '../src/master-data.js';
import {
  eventsArbitrary,
  propertyMaster,
  propertySpanMs,
  propertyStart,
} from './support/event-arbitraries.js';
import { at, cellA, cellB, EventScript, hourMs, lineOne, minuteMs } from './support/event-builders.js';

const hcm = 'Asia/Ho_Chi_Minh';
const shiftStart = at('2026-03-02T06:00:00+07:00');

function only(
  records: KpiRecord[],
  level: KpiRecord['level'],
  path?: string,
  window?: KpiRecord['window'],
): KpiRecord {
  const found = records.filter(
    (record) =>
      record.level === level &&
      (path === undefined || record.path === path) &&
      (window === undefined || record.window === window),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('KPI.md worked example through computeKpis', () => {
  // 480-min shift; breaks 15 + 15 min and a 30-min meal sent as planned_stop; 47 min down;
  // ICT 1 s; 19 271 parts of which 423 scrap.
  const script = new EventScript(shiftStart);
  const steps: [number, MachineState][] = [
    [0, 'running'],
    [120, 'planned_stop'],
    [135, 'running'],
    [200, 'down'],
    [247, 'running'],
    [240 + 60, 'planned_stop'],
    [330, 'running'],
    [400, 'planned_stop'],
    [415, 'running'],
  ];
  for (const [minute, state] of steps) script.state(cellA, minute, state);
  script.count(cellA, 100, 8_000, 200, 'bracket-a');
  script.count(cellA, 479, 19_271 - 423 - 8_000, 223, 'bracket-a');
  const { records } = computeKpis(
    script.events,
    { timezone: hcm, products: [{ id: 'bracket-a', idealCycleSeconds: 1.0 }] },
    { from: '2026-03-02T06:00:00+07:00', to: '2026-03-02T14:00:00+07:00', level: 'cell' },
  );
  const record = only(records, 'cell');

  it('A 0.8881, P 0.8611, Q 0.9780, OEE 0.7479', () => {
    expect(record.availability!.toFixed(4)).toBe('0.8881');
    expect(record.performance!.toFixed(4)).toBe('0.8611');
    expect(record.quality!.toFixed(4)).toBe('0.9780');
    expect(record.oee!.toFixed(4)).toBe('0.7479');
  });

  it('the time elements', () => {
    expect(record).toMatchObject({
      from: '2026-03-02T06:00:00+07:00',
      to: '2026-03-02T14:00:00+07:00',
      atSeconds: 480 * 60,
      pbtSeconds: 420 * 60,
      downSeconds: 47 * 60,
      aptSeconds: 373 * 60,
      iotSeconds: 19_271,
      gotSeconds: 19_271 - 423,
      totalUnits: 19_271,
      scrapUnits: 423,
      failures: 1,
      status: 'final',
      flags: [],
    });
  });
});

describe('hand-derived cases', () => {
  it('machines with different cycle times are pooled, not averaged', () => {
    // A: ICT 1 s, runs the hour: PBT 3600, APT 3600, 3000 made, 2900 good → GOT 2900.
    // B: ICT 4 s, planned stop 0–20, runs 20–40, down 40–60: PBT 2400, APT 1200, 250 made, all good → GOT 1000.
    // Pooled OEE = (2900 + 1000) / (3600 + 2400) = 0.65; the average of 0.8056 and 0.4167 would be 0.6111.
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'fast');
    script.count(cellA, 30, 2_900, 100);
    script.state(cellB, 0, 'planned_stop', 'slow');
    script.state(cellB, 20, 'running', 'slow');
    script.state(cellB, 40, 'down', 'slow');
    script.count(cellB, 39, 250, 0);
    const { records } = computeKpis(
      script.events,
      {
        timezone: hcm,
        products: [
          { id: 'fast', idealCycleSeconds: 1 },
          { id: 'slow', idealCycleSeconds: 4 },
        ],
      },
      { from: shiftStart, to: shiftStart + hourMs, level: ['cell', 'line'] },
    );
    expect(only(records, 'cell', cellA).oee).toBeCloseTo(2_900 / 3_600, 12);
    expect(only(records, 'cell', cellB).oee).toBeCloseTo(1_000 / 2_400, 12);
    const line = only(records, 'line');
    expect(line.oee).toBeCloseTo(0.65, 12);
    expect(line.availability).toBeCloseTo((3_600 + 1_200) / 6_000, 12);
    expect(line.performance).toBeCloseTo((3_000 + 1_000) / (3_600 + 1_200), 12);
    expect(line.quality).toBeCloseTo(3_900 / 4_000, 12);
    // The count ratio differs from the time-weighted quality: 3150 good of 3250 made.
    expect(line.qualityCountRatio).toBeCloseTo(3_150 / 3_250, 12);
    expect(line.pbtSeconds).toBe(6_000);
  });

  it('mixed products on one cell, product taken from the state', () => {
    // Runs 60 min: X (ICT 2 s) 600 made / 590 good in the first half, Y (ICT 3 s) 500 / 480 in the second.
    // IOT = 1200 + 1500 = 2700 s, GOT = 1180 + 1440 = 2620 s, APT = 3600 s.
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.count(cellA, 29, 590, 10);
    script.state(cellA, 30, 'running', 'y');
    script.count(cellA, 59, 480, 20);
    const { records } = computeKpis(
      script.events,
      {
        timezone: hcm,
        products: [
          { id: 'x', idealCycleSeconds: 2 },
          { id: 'y', idealCycleSeconds: 3 },
        ],
      },
      { from: shiftStart, to: shiftStart + hourMs, level: 'cell' },
    );
    const record = only(records, 'cell');
    expect([record.iotSeconds, record.gotSeconds]).toEqual([2_700, 2_620]);
    expect(record.performance).toBeCloseTo(0.75, 12);
    expect(record.quality).toBeCloseTo(2_620 / 2_700, 12);
    expect(record.qualityCountRatio).toBeCloseTo(1_070 / 1_100, 12);
    expect(record.oee).toBeCloseTo(2_620 / 3_600, 12);
  });

  it('a product with no ideal cycle time makes P, Q and OEE undefined, with a reason', () => {
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'prototype');
    script.count(cellA, 10, 50, 0);
    const { records } = computeKpis(
      script.events,
      { timezone: hcm, products: [{ id: 'x', idealCycleSeconds: 2 }] },
      {
        from: shiftStart,
        to: shiftStart + hourMs,
        level: 'cell',
      },
    );
    const record = only(records, 'cell');
    expect(record.availability).toBe(1);
    expect([record.performance, record.quality, record.oee]).toEqual([null, null, null]);
    expect(record.nullReasons.oee).toBe('missing_ideal_cycle_time');
    expect(record.flags).toContain('missing_ideal_cycle_time');
  });

  it('TEEP with a calendar: OEE × utilisation = GOT / AT', () => {
    // Monday 2026-03-02, shift 06:00–14:00 with a 30-min break, Sunday off. The cell runs all day.
    // AT 86 400 s, POT 28 800 s, PBT 27 000 s = APT; 20 000 good at 1 s.
    const dayStart = at('2026-03-02T00:00:00+07:00');
    const script = new EventScript(dayStart);
    script.state(cellA, 0, 'running', 'x');
    script.count(cellA, 13 * 60, 20_000, 0);
    const master: MasterDataInput = {
      timezone: hcm,
      products: [{ id: 'x', idealCycleSeconds: 1 }],
      calendars: [
        {
          id: 'day',
          shifts: [{ id: 'A', start: '06:00', end: '14:00', breaks: [{ start: '10:00', end: '10:30' }] }],
          nonWorkingWeekdays: ['sunday'],
        },
      ],
      defaultCalendar: 'day',
    };
    const { records } = computeKpis(script.events, master, {
      from: at('2026-03-01T00:00:00+07:00'),
      to: at('2026-03-03T00:00:00+07:00'),
      window: 'day',
      level: 'cell',
    });
    const monday = records.find((record) => record.from === '2026-03-02T00:00:00+07:00')!;
    expect(monday).toMatchObject({
      atSeconds: 86_400,
      potSeconds: 28_800,
      pbtSeconds: 27_000,
      aptSeconds: 27_000,
    });
    expect(monday.oee).toBeCloseTo(20_000 / 27_000, 12);
    expect(monday.utilisation).toBeCloseTo(27_000 / 86_400, 12);
    expect(monday.teep).toBeCloseTo(20_000 / 86_400, 12);
    expect(monday.teep).toBeCloseTo(monday.oee! * monday.utilisation!, 12);
    expect(monday.flags).toContain('running_outside_planned_time');
    // The cell's first event is Monday 00:00, so Sunday has no record for it.
    expect(records).toHaveLength(1);
  });

  describe('a night shift crossing midnight in Asia/Ho_Chi_Minh', () => {
    // Shift N 22:00–06:00 with a break 02:00–02:30. Running from 22:00 Monday, down 03:00–03:20 Tuesday,
    // 25 000 made, 24 500 good at 1 s. PBT = 480 − 30 = 450 min = 27 000 s; APT = 27 000 − 1 200 = 25 800 s.
    const script = new EventScript(at('2026-03-02T22:00:00+07:00'));
    script.state(cellA, 0, 'running', 'x');
    script.state(cellA, 5 * 60, 'down', 'x');
    script.state(cellA, 5 * 60 + 20, 'running', 'x');
    script.count(cellA, 7 * 60, 24_500, 500);
    const master: MasterDataInput = {
      timezone: hcm,
      products: [{ id: 'x', idealCycleSeconds: 1 }],
      calendars: [
        {
          id: 'night',
          shifts: [{ id: 'N', start: '22:00', end: '06:00', breaks: [{ start: '02:00', end: '02:30' }] }],
        },
      ],
      defaultCalendar: 'night',
    };
    const { records } = computeKpis(script.events, master, {
      from: '2026-03-02T20:00:00+07:00',
      to: '2026-03-03T08:00:00+07:00',
      window: ['shift', 'day'],
      level: 'cell',
    });

    it('one shift record across local midnight', () => {
      const shift = only(records, 'cell', cellA, 'shift');
      expect(shift).toMatchObject({
        from: '2026-03-02T22:00:00+07:00',
        to: '2026-03-03T06:00:00+07:00',
        shift: { calendarId: 'night', shiftId: 'N', date: '2026-03-02' },
        atSeconds: 28_800,
        pbtSeconds: 27_000,
        downSeconds: 1_200,
        aptSeconds: 25_800,
      });
      expect(shift.availability).toBeCloseTo(25_800 / 27_000, 12);
      expect(shift.performance).toBeCloseTo(25_000 / 25_800, 12);
      expect(shift.quality).toBeCloseTo(0.98, 12);
      expect(shift.oee).toBeCloseTo(24_500 / 27_000, 12);
    });

    it('day records split at local midnight (17:00 UTC), not UTC midnight', () => {
      const days = records.filter((record) => record.window === 'day');
      expect(days.map((record) => [record.from, record.to, record.fromMs])).toEqual([
        ['2026-03-02T20:00:00+07:00', '2026-03-03T00:00:00+07:00', at('2026-03-02T13:00:00Z')],
        ['2026-03-03T00:00:00+07:00', '2026-03-03T08:00:00+07:00', at('2026-03-02T17:00:00Z')],
      ]);
      // Monday: accounted from the first event at 22:00, all 2 h running.
      expect(days[0]).toMatchObject({ atSeconds: 7_200, pbtSeconds: 7_200, aptSeconds: 7_200 });
      // Tuesday 00:00–08:00: 6 h of shift minus the break = 19 800 s PBT, 1 200 s down, 2 h off shift.
      expect(days[1]).toMatchObject({
        atSeconds: 28_800,
        pbtSeconds: 19_800,
        downSeconds: 1_200,
        aptSeconds: 18_600,
      });
      expect(days[0]!.aptSeconds + days[1]!.aptSeconds).toBe(25_800);
    });
  });

  it.each([
    // θ default 120 s: a 119-s stop is minor, a 120-s stop is downtime.
    ['θ = 120 s', undefined, { minorSeconds: 119, downSeconds: 120, failures: 1 }],
    // θ = 300 s: both are minor.
    ['θ = 300 s', 300, { minorSeconds: 239, downSeconds: 0, failures: 0 }],
  ])('minor stops either side of θ (%s)', (_name, threshold, expected) => {
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.state(cellA, 10, 'down', 'x');
    script.state(cellA, 10 + 119 / 60, 'running', 'x');
    script.state(cellA, 20, 'down', 'x');
    script.state(cellA, 22, 'running', 'x');
    const { records } = computeKpis(
      script.events,
      {
        timezone: hcm,
        products: [{ id: 'x', idealCycleSeconds: 1 }],
        ...(threshold === undefined ? {} : { minorStopThresholdSeconds: threshold }),
      },
      { from: shiftStart, to: shiftStart + 30 * minuteMs, level: 'cell' },
    );
    const record = only(records, 'cell');
    expect(record).toMatchObject({ ...expected, aptSeconds: 1_800 - 239 });
    // Minor stops are availability losses (ISO): A = (1800 − 239) / 1800 either way.
    expect(record.availability).toBeCloseTo(1_561 / 1_800, 12);
    expect(record.minorStopConvention).toBe('availability');
  });

  it('setup counts against OEE but not NEE', () => {
    // 8 h: setup 60 min, down 30 min, else running; 20 000 made, 19 000 good at 1 s.
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'setup', 'x');
    script.state(cellA, 60, 'running', 'x');
    script.state(cellA, 200, 'down', 'x');
    script.state(cellA, 230, 'running', 'x');
    script.count(cellA, 470, 19_000, 1_000);
    const { records } = computeKpis(
      script.events,
      { timezone: hcm, products: [{ id: 'x', idealCycleSeconds: 1 }] },
      {
        from: shiftStart,
        to: shiftStart + 8 * hourMs,
        level: 'cell',
      },
    );
    const record = only(records, 'cell');
    expect(record).toMatchObject({
      pbtSeconds: 28_800,
      asutSeconds: 3_600,
      downSeconds: 1_800,
      aptSeconds: 23_400,
    });
    expect(record.availability).toBeCloseTo(23_400 / 28_800, 12);
    expect(record.oee).toBeCloseTo(19_000 / 28_800, 12);
    expect(record.nee).toBeCloseTo((27_000 / 28_800) * (19_000 / 23_400), 12);
    expect(record.nee!).toBeGreaterThan(record.oee!);
  });

  it('labour hours from clock in/out and units per labour hour at line level', () => {
    // Two workers 06:00–14:00 and 06:00–10:00, no calendar: 8 + 4 = 12 labour hours; 2 400 good at 6 s.
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.count(cellA, 400, 2_400, 0);
    script.clock(lineOne, 0, 'clock_in', 'a');
    script.clock(lineOne, 0, 'clock_in', 'b');
    script.clock(lineOne, 240, 'clock_out', 'b');
    script.clock(lineOne, 480, 'clock_out', 'a');
    const { records } = computeKpis(
      script.events,
      {
        timezone: hcm,
        products: [{ id: 'x', idealCycleSeconds: 6 }],
        lines: [{ path: lineOne, roster: { headcount: 2 } }],
      },
      { from: shiftStart, to: shiftStart + 8 * hourMs, level: 'line' },
    );
    const line = only(records, 'line');
    expect(line.labourHours).toBe(12);
    expect(line.goodUnitsPerLabourHour).toBe(200);
    // 2 400 × 6 s = 4 standard hours earned in 12 labour hours.
    expect(line.standardHoursPerLabourHour).toBeCloseTo(4 / 12, 12);
    expect(line.averageHeadcount).toBe(2);
  });

  it('labour hours from headcount snapshots', () => {
    // 5 people 06:00–10:00, 3 people 10:00–14:00 → 20 + 12 = 32 labour hours.
    const script = new EventScript(shiftStart);
    script.headcount(lineOne, 0, 5);
    script.headcount(lineOne, 240, 3);
    const { records } = computeKpis(
      script.events,
      { timezone: hcm, products: [{ id: 'x', idealCycleSeconds: 6 }] },
      {
        from: shiftStart,
        to: shiftStart + 8 * hourMs,
        level: 'line',
      },
    );
    const line = only(records, 'line');
    expect(line.labourHours).toBe(32);
    // Without a roster, average headcount is presence over the window: 32 h / 8 h.
    expect(line.averageHeadcount).toBe(4);
    expect(line.flags).toContain('headcount_from_presence');
  });

  it('value added for a month window and growth against the same month a year before', () => {
    const script = new EventScript(at('2026-03-01T00:00:00+07:00'));
    script.state(cellA, 0, 'running', 'x');
    const { records } = computeKpis(
      script.events,
      {
        timezone: hcm,
        products: [{ id: 'x', idealCycleSeconds: 1 }],
        financials: [
          {
            path: 'acme',
            period: '2026-03',
            grossOutputVnd: 5e9,
            intermediateConsumptionVnd: 3e9,
            priceIndex: 1.04,
            labourHours: 1600,
            averageHeadcount: 10,
          },
          {
            path: 'acme',
            period: '2025-03',
            grossOutputVnd: 4.4e9,
            intermediateConsumptionVnd: 2.6e9,
            priceIndex: 1,
            labourHours: 1650,
            averageHeadcount: 10,
          },
        ],
      },
      {
        from: '2026-03-01T00:00:00+07:00',
        to: '2026-04-01T00:00:00+07:00',
        window: 'month',
        level: 'enterprise',
      },
    );
    const enterprise = only(records, 'enterprise');
    expect(enterprise.valueAddedVnd).toBe(2e9);
    expect(enterprise.valueAddedPerWorkerVnd).toBe(2e8);
    // (2e9 / 1.04 / 10) / (1.8e9 / 1 / 10) − 1
    expect(enterprise.realGrowthPerWorker).toBeCloseTo(2e9 / 1.04 / 1.8e9 - 1, 12);
    expect(
      enterprise.nationalTargets.find((target) => target.target === 'decision-1305-manufacturing')?.met,
    ).toBe(true);
  });

  it('bad options throw a KpiError naming the option', () => {
    expect(() =>
      computeKpis([], { timezone: hcm, products: [{ id: 'x', idealCycleSeconds: 1 }] }, { from: 10, to: 5 }),
    ).toThrow(/to: `to` must be after `from`/);
    // A 5 ms range is valid: no events and no lines give no records, nothing rejected, nothing counted.
    expect(
      computeKpis([], { timezone: hcm, products: [{ id: 'x', idealCycleSeconds: 1 }] }, { from: 0, to: 5 }),
    ).toMatchObject({ records: [], rejected: [], stats: { accepted: 0, duplicates: 0, cells: 0, lines: 0 } });
    expect(() => computeKpis([], { timezone: 'nowhere', products: [] }, { from: 0, to: 5 })).toThrow(
      KpiError,
    );
  });
});

// ---- property: a window's pooled KPIs equal the pooled KPIs of its two halves ---------------------

const additiveFields = [
  'atSeconds',
  'potSeconds',
  'pbtSeconds',
  'asutSeconds',
  'downSeconds',
  'minorSeconds',
  'aptSeconds',
  'unknownSeconds',
  'plannedStopSeconds',
  'notScheduledSeconds',
  'goodUnits',
  'scrapUnits',
  'failures',
  'labourHours',
] as const;

describe('window ownership of counts and failures', () => {
  const twoShifts: MasterDataInput = {
    timezone: hcm,
    products: [{ id: 'x', idealCycleSeconds: 1 }],
    calendars: [
      {
        id: 'two',
        shifts: [
          { id: 'a', start: '06:00', end: '14:00', breaks: [{ start: '11:00', end: '11:30' }] },
          { id: 'b', start: '14:00', end: '22:00' },
        ],
      },
    ],
    defaultCalendar: 'two',
  };

  it('a count at a window end belongs to that window: from < ts ≤ to', () => {
    // Running from 06:00; `good 5` stamped 14:00:00.000 reports shift a's last parts: a 5, b 0.
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.count(cellA, 8 * 60, 5, 0);
    const { records } = computeKpis(script.events, twoShifts, {
      from: shiftStart,
      to: at('2026-03-02T22:00:00+07:00'),
      window: 'shift',
      level: 'cell',
    });
    expect(records.map((record) => [record.shift?.shiftId, record.goodUnits, record.totalUnits])).toEqual([
      ['a', 5, 5],
      ['b', 0, 0],
    ]);
  });

  it('a count exactly at `from` is outside, one exactly at `to` inside', () => {
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.count(cellA, 60, 7, 0);
    script.count(cellA, 120, 3, 0);
    const { records } = computeKpis(script.events, twoShifts, {
      from: shiftStart + hourMs,
      to: shiftStart + 2 * hourMs,
      level: 'cell',
    });
    expect(records.map((record) => record.goodUnits)).toEqual([3]);
  });

  it('a repair interrupted by planned time is one failure', () => {
    // down 10:45, planned_stop 11:00 (break 11:00–11:30), down 11:30, running 11:50; θ 120 s:
    // one failure of 15 + 20 min = 2 100 s of failure downtime, MTTR 2 100 s.
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.state(cellA, 4 * 60 + 45, 'down', 'x');
    script.state(cellA, 5 * 60, 'planned_stop', 'x');
    script.state(cellA, 5 * 60 + 30, 'down', 'x');
    script.state(cellA, 5 * 60 + 50, 'running', 'x');
    const { records } = computeKpis(script.events, twoShifts, {
      from: shiftStart,
      to: at('2026-03-02T14:00:00+07:00'),
      window: 'shift',
      level: 'cell',
    });
    expect(only(records, 'cell', cellA)).toMatchObject({
      failures: 1,
      downSeconds: 2_100,
      mttrSeconds: 2_100,
    });
  });

  it('a failure counts once, in the window of its start, when a later piece reaches θ', () => {
    // down 13:59 (60 s, a minor stop), not_scheduled 14:00–14:10, down 14:10 for 10 min: one failure,
    // in shift a (its first planned busy instant); its stops are classified each on its own.
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.state(cellA, 7 * 60 + 59, 'down', 'x');
    script.state(cellA, 8 * 60, 'not_scheduled', 'x');
    script.state(cellA, 8 * 60 + 10, 'down', 'x');
    script.state(cellA, 8 * 60 + 20, 'running', 'x');
    const { records } = computeKpis(script.events, twoShifts, {
      from: shiftStart,
      to: at('2026-03-02T22:00:00+07:00'),
      window: 'shift',
      level: 'cell',
    });
    expect(
      records.map((record) => [
        record.shift?.shiftId,
        record.failures,
        record.minorSeconds,
        record.downSeconds,
      ]),
    ).toEqual([
      ['a', 1, 60, 0],
      ['b', 0, 0, 600],
    ]);
  });

  it('a failure ended by another state is not continued by a later down', () => {
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.state(cellA, 4 * 60 + 45, 'down', 'x');
    script.state(cellA, 5 * 60, 'planned_stop', 'x');
    script.state(cellA, 5 * 60 + 30, 'running', 'x');
    script.state(cellA, 5 * 60 + 40, 'down', 'x');
    script.state(cellA, 5 * 60 + 50, 'running', 'x');
    const { records } = computeKpis(script.events, twoShifts, {
      from: shiftStart,
      to: at('2026-03-02T14:00:00+07:00'),
      window: 'shift',
      level: 'cell',
    });
    expect(only(records, 'cell', cellA)).toMatchObject({ failures: 2, downSeconds: 1_500 });
  });
});

describe('property: a window equals the sum of its two halves', () => {
  it('time elements and counts add up exactly; pooled ratios agree', () => {
    fc.assert(
      fc.property(
        eventsArbitrary,
        fc.integer({ min: 1, max: propertySpanMs / 1000 - 1 }),
        (events, splitSeconds) => {
          const split = propertyStart + splitSeconds * 1000;
          const end = propertyStart + propertySpanMs;
          const run = (from: number, to: number) =>
            computeKpis(events, propertyMaster, { from, to, level: 'line', dataEndMs: end }).records[0];
          const whole = run(propertyStart, end);
          const first = run(propertyStart, split);
          const second = run(split, end);
          const halves = [first, second].filter((record): record is KpiRecord => record !== undefined);
          if (whole === undefined) return halves.length === 0;
          for (const field of additiveFields) {
            expect(halves.reduce((sum, record) => sum + (record[field] ?? 0), 0)).toBeCloseTo(
              whole[field] ?? 0,
              9,
            );
          }
          // A unit without ideal cycle time makes IOT undefined in the whole exactly when it does in a half.
          expect(whole.iotSeconds === null).toBe(halves.some((record) => record.iotSeconds === null));
          if (whole.iotSeconds === null) return true;
          const sum = (field: 'gotSeconds' | 'iotSeconds') =>
            halves.reduce((total, record) => total + (record[field] ?? 0), 0);
          expect(sum('iotSeconds')).toBeCloseTo(whole.iotSeconds, 9);
          const pbt = halves.reduce((total, record) => total + record.pbtSeconds, 0);
          if (pbt > 0) expect(sum('gotSeconds') / pbt).toBeCloseTo(whole.oee!, 12);
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });
});

// ---- every flag and null reason, each from a case that produces it ------------------------------

describe('flags and null reasons', () => {
  const lineTwo = 'acme/hcm/assembly/line-2';
  const lineTwoCell = `${lineTwo}/press-1`;
  const hour = { from: shiftStart, to: shiftStart + hourMs };
  const product = { timezone: hcm, products: [{ id: 'x', idealCycleSeconds: 1 }] };

  it('state_conflicts: two states of one cell at one instant; the later seq wins', () => {
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.state(cellA, 0, 'down', 'x');
    const record = only(computeKpis(script.events, product, { ...hour, level: 'cell' }).records, 'cell');
    expect(record.flags).toContain('state_conflicts');
    // `down` (seq 1) holds the whole hour: no run time, 60 min of downtime.
    expect(record).toMatchObject({ aptSeconds: 0, downSeconds: 3_600 });

    const agreeing = new EventScript(shiftStart);
    agreeing.state(cellA, 0, 'running', 'x');
    const clean = only(computeKpis(agreeing.events, product, { ...hour, level: 'cell' }).records, 'cell');
    expect(clean.flags).not.toContain('state_conflicts');
  });

  it('units_without_product: units with no product on the count or the state make the ideal figures null', () => {
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running');
    script.count(cellA, 30, 100, 0);
    const record = only(computeKpis(script.events, product, { ...hour, level: 'cell' }).records, 'cell');
    expect(record.flags).toContain('units_without_product');
    expect(record.flags).not.toContain('missing_ideal_cycle_time');
    for (const field of [
      'iotSeconds',
      'gotSeconds',
      'performance',
      'quality',
      'oee',
      'nee',
      'teep',
    ] as const) {
      expect(record[field]).toBeNull();
      expect(record.nullReasons[field]).toBe('units_without_product');
    }
    // Availability needs no ideal cycle time: it stays 1.
    expect(record.availability).toBe(1);
  });

  it.each([
    // b clocks out at 10 with no clock-in: ignored. a: 0–60 → 1 labour hour.
    [
      'clock_out_without_clock_in',
      [
        [0, 'clock_in', 'a'],
        [10, 'clock_out', 'b'],
        [60, 'clock_out', 'a'],
      ],
    ],
    // a clocks in again at 20: ignored, the first clock-in stands. a: 0–60 → 1 labour hour.
    [
      'clock_in_while_clocked_in',
      [
        [0, 'clock_in', 'a'],
        [20, 'clock_in', 'a'],
        [60, 'clock_out', 'a'],
      ],
    ],
    [
      '',
      [
        [0, 'clock_in', 'a'],
        [60, 'clock_out', 'a'],
      ],
    ],
  ] as const)('%s: a clock event out of turn is ignored and flagged', (flag, clocks) => {
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    for (const [minute, event, worker] of clocks) script.clock(lineOne, minute, event, worker);
    const line = only(computeKpis(script.events, product, { ...hour, level: 'line' }).records, 'line');
    const clockFlags = line.flags.filter(
      (f) => f === 'clock_out_without_clock_in' || f === 'clock_in_while_clocked_in',
    );
    expect(clockFlags).toEqual(flag === '' ? [] : [flag]);
    expect(line.labourHours).toBe(1);
  });

  it('line output: the output cell’s good units, else the sum over cells, flagged line_output_summed_over_cells', () => {
    // A makes 300 good, B 100 good; one worker 06:00–07:00 → 1 labour hour.
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.state(cellB, 0, 'running', 'x');
    script.count(cellA, 30, 300, 0);
    script.count(cellB, 30, 100, 0);
    script.clock(lineOne, 0, 'clock_in', 'a');
    script.clock(lineOne, 60, 'clock_out', 'a');
    const lineOf = (lines: MasterDataInput['lines']) =>
      only(computeKpis(script.events, { ...product, lines }, { ...hour, level: 'line' }).records, 'line');
    const summed = lineOf([{ path: lineOne }]);
    expect(summed.flags).toContain('line_output_summed_over_cells');
    expect(summed.goodUnitsPerLabourHour).toBe(400);
    const fromOutputCell = lineOf([{ path: lineOne, outputCell: cellB }]);
    expect(fromOutputCell.flags).not.toContain('line_output_summed_over_cells');
    expect(fromOutputCell.goodUnitsPerLabourHour).toBe(100);
  });

  it('no_bottleneck_configured, and bottleneck_missing_on_some_lines when only some have one', () => {
    // Line 1: A runs the hour, 3 000 good at 1 s → bottleneck OEE 3000 / 3600. Line 2: no bottleneck.
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.count(cellA, 30, 3_000, 0);
    script.state(lineTwoCell, 0, 'running', 'x');
    script.count(lineTwoCell, 30, 1_000, 0);
    const { records } = computeKpis(
      script.events,
      { ...product, lines: [{ path: lineOne, bottleneckCell: cellA }, { path: lineTwo }] },
      { ...hour, level: ['line', 'site'] },
    );
    const withBottleneck = only(records, 'line', lineOne);
    expect(withBottleneck.bottleneckOee).toBeCloseTo(3_000 / 3_600, 12);
    expect(withBottleneck.flags).not.toContain('bottleneck_missing_on_some_lines');
    const without = only(records, 'line', lineTwo);
    expect(without.bottleneckOee).toBeNull();
    expect(without.nullReasons.bottleneckOee).toBe('no_bottleneck_configured');
    const site = only(records, 'site');
    expect(site.flags).toContain('bottleneck_missing_on_some_lines');
    expect(site.bottleneckOee).toBeCloseTo(3_000 / 3_600, 12);
  });

  it('not_a_cell_figure: a cell has no labour, bottleneck or value-added figures', () => {
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    const record = only(computeKpis(script.events, product, { ...hour, level: 'cell' }).records, 'cell');
    for (const field of [
      'bottleneckOee',
      'labourHours',
      'averageHeadcount',
      'goodUnitsPerLabourHour',
      'standardHoursPerLabourHour',
      'valueAddedVnd',
      'valueAddedPerWorkerVnd',
    ] as const) {
      expect(record[field]).toBeNull();
      expect(record.nullReasons[field]).toBe('not_a_cell_figure');
    }
  });

  it('no_labour_hours: a line that sent no labour has no units per labour hour', () => {
    const script = new EventScript(shiftStart);
    script.state(cellA, 0, 'running', 'x');
    script.count(cellA, 30, 100, 0);
    const line = only(computeKpis(script.events, product, { ...hour, level: 'line' }).records, 'line');
    expect(line.labourHours).toBe(0);
    expect(line.goodUnitsPerLabourHour).toBeNull();
    expect(line.nullReasons.goodUnitsPerLabourHour).toBe('no_labour_hours');
    expect(line.standardHoursPerLabourHour).toBeNull();
    expect(line.nullReasons.standardHoursPerLabourHour).toBe('no_labour_hours');
  });

  it('no_labour_hours and no_headcount: value added per hour and per worker with no labour measured or given', () => {
    // VA = 5e9 − 3e9 = 2e9 VND for March; no labour events, no roster, no HR figures.
    const script = new EventScript(at('2026-03-01T00:00:00+07:00'));
    script.state(cellA, 0, 'running', 'x');
    const { records } = computeKpis(
      script.events,
      {
        ...product,
        financials: [
          {
            path: 'acme',
            period: '2026-03',
            grossOutputVnd: 5e9,
            intermediateConsumptionVnd: 3e9,
            priceIndex: 1,
          },
        ],
      },
      {
        from: '2026-03-01T00:00:00+07:00',
        to: '2026-04-01T00:00:00+07:00',
        window: 'month',
        level: 'enterprise',
      },
    );
    const enterprise = only(records, 'enterprise');
    expect(enterprise.valueAddedVnd).toBe(2e9);
    expect(enterprise.valueAddedPerLabourHourVnd).toBeNull();
    expect(enterprise.nullReasons.valueAddedPerLabourHourVnd).toBe('no_labour_hours');
    expect(enterprise.valueAddedPerWorkerVnd).toBeNull();
    expect(enterprise.nullReasons.valueAddedPerWorkerVnd).toBe('no_headcount');
  });

  it('no_time: a line with labour but no cell has no time to divide by', () => {
    // Only clock events: AT = 0, so utilisation (PBT / AT) has no time; labour is still counted.
    const script = new EventScript(shiftStart);
    script.clock(lineOne, 0, 'clock_in', 'a');
    script.clock(lineOne, 60, 'clock_out', 'a');
    const line = only(computeKpis(script.events, product, { ...hour, level: 'line' }).records, 'line');
    expect(line.atSeconds).toBe(0);
    expect(line.utilisation).toBeNull();
    expect(line.nullReasons.utilisation).toBe('no_time');
    expect(line.teep).toBeNull();
    expect(line.nullReasons.teep).toBe('no_time');
    expect(line.labourHours).toBe(1);
  });
});
