import { describe, expect, it } from 'vitest';
import { buildKpiRecord, type RecordIdentity } from '../src/kpi-figures.js';
import { addUnits, emptyTotals, type KpiTotals } from '../src/kpi-totals.js';

const identity: RecordIdentity = {
  level: 'cell',
  path: 'acme/hcm/assembly/line-1/press-1',
  window: { kind: 'range', startMs: 0, endMs: 28_800_000 },
  status: 'final',
  revision: 0,
  timeZone: 'Asia/Ho_Chi_Minh',
  observedMs: 28_800_000,
  valueAdded: null,
};

function totals(
  fields: Partial<Record<keyof KpiTotals, number>>,
  units: [number, number, number][] = [],
): KpiTotals {
  const result = emptyTotals();
  Object.assign(result, fields);
  for (const [ict, total, good] of units) {
    addUnits(result.unitsByIdealCycle, ict, total, good);
    result.good += good;
    result.scrap += total - good;
  }
  return result;
}

const minute = 60_000;

describe('buildKpiRecord', () => {
  it('KPI.md worked example: A 0.8881, P 0.8611, Q 0.9780, OEE 0.7479', () => {
    // PBT 420 min, APT 373 min, 19 271 parts at 1 s, 423 scrap.
    const record = buildKpiRecord(
      totals(
        {
          allMs: 480 * minute,
          plannedOperationMs: 480 * minute,
          plannedBusyMs: 420 * minute,
          downMs: 47 * minute,
          actualProductionMs: 373 * minute,
        },
        [[1, 19_271, 19_271 - 423]],
      ),
      identity,
    );
    // A = 373/420, P = 19271/(373×60), Q = 18848/19271, OEE = 18848/(420×60).
    expect(record.availability).toBeCloseTo(0.8881, 4);
    expect(record.performance).toBeCloseTo(0.8611, 4);
    expect(record.quality).toBeCloseTo(0.978, 4);
    expect(record.oee).toBeCloseTo(0.7479, 4);
    expect(record.availability! * record.performance! * record.quality!).toBeCloseTo(record.oee!, 12);
    expect([record.iotSeconds, record.gotSeconds, record.totalUnits]).toEqual([19_271, 18_848, 19_271]);
  });

  it('setup lowers OEE but not NEE', () => {
    // PBT 480 min, setup 60, down 30 → APT 390 min; 20 000 at 1 s, 19 000 good.
    const record = buildKpiRecord(
      totals(
        {
          allMs: 480 * minute,
          plannedBusyMs: 480 * minute,
          setupMs: 60 * minute,
          downMs: 30 * minute,
          actualProductionMs: 390 * minute,
        },
        [[1, 20_000, 19_000]],
      ),
      identity,
    );
    // OEE = 19000 / 28800; NEE = (23400 + 3600)/28800 × 19000/23400 = 19000×27000 / (28800×23400).
    expect(record.oee).toBeCloseTo(19_000 / 28_800, 12);
    expect(record.nee).toBeCloseTo((19_000 * 27_000) / (28_800 * 23_400), 12);
    expect(record.nee).toBeCloseTo(0.7612, 4);
  });

  it('P above 1 is reported, flagged, not capped', () => {
    const record = buildKpiRecord(
      totals({ plannedBusyMs: 100_000, actualProductionMs: 100_000 }, [[2, 60, 60]]),
      identity,
    );
    expect(record.performance).toBeCloseTo(1.2, 12);
    expect(record.flags).toContain('performance_above_1');
  });

  it.each<[string, KpiTotals, Record<string, string>]>([
    [
      'a product without ideal cycle time makes P, Q, OEE undefined',
      (() => {
        const t = totals({ allMs: 1000, plannedBusyMs: 1000, actualProductionMs: 1000, good: 5 });
        t.productsWithoutIdealCycle.add('mystery');
        return t;
      })(),
      {
        performance: 'missing_ideal_cycle_time',
        quality: 'missing_ideal_cycle_time',
        oee: 'missing_ideal_cycle_time',
      },
    ],
    [
      'no planned busy time',
      totals({ allMs: 1000, notScheduledMs: 1000 }),
      {
        availability: 'no_planned_busy_time',
        oee: 'no_planned_busy_time',
        performance: 'no_actual_production_time',
      },
    ],
    [
      'no units',
      totals({ allMs: 1000, plannedBusyMs: 1000, actualProductionMs: 1000 }),
      { quality: 'no_units', scrapRatio: 'no_units' },
    ],
    [
      'no failures',
      totals({ allMs: 1000, plannedBusyMs: 1000 }),
      { mtbfSeconds: 'no_failures', mttrSeconds: 'no_failures' },
    ],
  ])('%s', (_name, input, expectedReasons) => {
    const record = buildKpiRecord(input, identity);
    expect(record.nullReasons).toMatchObject(expectedReasons);
    for (const field of Object.keys(expectedReasons)) expect(record[field as keyof typeof record]).toBeNull();
  });

  it('utilisation, TEEP, MTBF, MTTR', () => {
    // AT 24 h, PBT 8 h, APT 7 h, setup 0.5 h, 2 failures with 0.5 h of downtime, 18 000 good at 1 s.
    const hour = 3_600_000;
    const record = buildKpiRecord(
      totals(
        {
          allMs: 24 * hour,
          plannedBusyMs: 8 * hour,
          actualProductionMs: 7 * hour,
          setupMs: hour / 2,
          downMs: hour / 2,
          failureCount: 2,
          failureDowntimeMs: hour / 2,
        },
        [[1, 18_000, 18_000]],
      ),
      identity,
    );
    expect(record.utilisation).toBeCloseTo(8 / 24, 12);
    expect(record.teep).toBeCloseTo(18_000 / 86_400, 12);
    expect(record.teep).toBeCloseTo(record.oee! * record.utilisation!, 12);
    expect(record.mtbfSeconds).toBe((7.5 * 3600) / 2);
    expect(record.mttrSeconds).toBe(900);
  });

  it('line level: labour figures and bottleneck OEE', () => {
    const hour = 3_600_000;
    const t = totals(
      {
        allMs: 16 * hour,
        plannedBusyMs: 16 * hour,
        actualProductionMs: 16 * hour,
        labourMs: 20 * hour,
        headcountMs: 24 * hour,
        outputGood: 5_000,
        bottleneckPlannedBusyMs: 8 * hour,
      },
      [[2, 10_000, 10_000]],
    );
    addUnits(t.bottleneckUnitsByIdealCycle, 2, 5_000, 5_000);
    t.lines.add('l');
    const record = buildKpiRecord(t, { ...identity, level: 'line', observedMs: 8 * hour });
    // Bottleneck GOT = 10 000 s over the line's 28 800 s of planned busy time.
    expect(record.bottleneckOee).toBeCloseTo(10_000 / 28_800, 12);
    expect(record.labourHours).toBe(20);
    expect(record.averageHeadcount).toBe(3);
    expect(record.goodUnitsPerLabourHour).toBe(250);
    // Standard hours earned: 10 000 good × 2 s = 20 000 s = 5.5556 h over 20 labour hours.
    expect(record.standardHoursPerLabourHour).toBeCloseTo(20_000 / 3600 / 20, 12);
  });

  it('writes times in the site offset and flags in order', () => {
    const startMs = Date.parse('2026-03-01T23:00:00Z');
    const record = buildKpiRecord(totals({ allMs: 1000, unknownMs: 1000, plannedBusyMs: 1000 }), {
      ...identity,
      window: { kind: 'range', startMs, endMs: startMs + 28_800_000 },
      status: 'provisional',
    });
    expect([record.from, record.to]).toEqual(['2026-03-02T06:00:00+07:00', '2026-03-02T14:00:00+07:00']);
    expect(record.flags).toEqual(['provisional', 'unknown_time']);
  });
});
