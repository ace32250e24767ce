import { describe, expect, it } from 'vitest';
import { financialPeriodSchema } from '../src/master-data.js';
import {
  compareWithNationalTargets,
  compoundAnnualGrowthRate,
  samePeriodYearBefore,
  valueAddedFigures,
} from '../src/value-added.js';

const path = 'acme';
const financials = [
  // VA 2.0 bn VND, prices up 4 % on the base.
  { path, period: '2026-03', grossOutputVnd: 5e9, intermediateConsumptionVnd: 3e9, priceIndex: 1.04 },
  // VA 1.8 bn VND a year before, base prices, 1 650 labour hours, 10 workers from HR.
  {
    path,
    period: '2025-03',
    grossOutputVnd: 4.4e9,
    intermediateConsumptionVnd: 2.6e9,
    priceIndex: 1,
    labourHours: 1650,
    averageHeadcount: 10,
  },
].map((entry) => financialPeriodSchema.parse(entry));

describe('valueAddedFigures', () => {
  const figures = valueAddedFigures(
    financials,
    path,
    '2026-03',
    { labourHours: 1600, averageHeadcount: 10 },
    null,
  );

  it('VA, per labour hour and per worker', () => {
    expect(figures.valueAddedVnd).toBe(2e9);
    expect(figures.valueAddedPerLabourHourVnd).toBe(2e9 / 1600);
    expect(figures.valueAddedPerWorkerVnd).toBe(2e8);
  });

  it('real growth against the same month a year before', () => {
    // Per labour hour: (2e9 / 1.04 / 1600) / (1.8e9 / 1 / 1650) − 1 = 1 201 923.08 / 1 090 909.09 − 1.
    expect(figures.realGrowthPerLabourHour).toBeCloseTo(1_201_923.0769 / 1_090_909.0909 - 1, 6);
    expect(figures.realGrowthPerLabourHour).toBeCloseTo(0.10176, 5);
    // Per worker: (2e9 / 1.04 / 10) / (1.8e9 / 10) − 1 = 192 307 692.3 / 180 000 000 − 1.
    expect(figures.realGrowthPerWorker).toBeCloseTo(0.068376, 6);
  });

  it('compares per-worker growth with the national targets', () => {
    expect(
      figures.nationalTargets.map((target) => [target.target, target.appliesToYear, target.met]),
    ).toEqual([
      ['resolution-52-to-2025', false, false],
      ['resolution-52-to-2030', true, false],
      ['decision-1305-manufacturing', true, true],
    ]);
  });

  it.each([
    ['not a financial period', null, 'window_is_not_a_financial_period'],
    ['no entry for the period', '2026-04', 'no_financials_for_period'],
  ])('%s → all null with a reason', (_name, period, reason) => {
    const missing = valueAddedFigures(
      financials,
      path,
      period,
      { labourHours: 1, averageHeadcount: 1 },
      null,
    );
    expect(missing.valueAddedVnd).toBeNull();
    expect(missing.nullReasons.valueAddedVnd).toBe(reason);
  });

  it('no previous year → no growth, with a reason', () => {
    const first = valueAddedFigures(
      financials,
      path,
      '2025-03',
      { labourHours: null, averageHeadcount: null },
      null,
    );
    expect(first.valueAddedPerLabourHourVnd).toBe(1.8e9 / 1650);
    expect(first.realGrowthPerWorker).toBeNull();
    expect(first.nullReasons.realGrowthPerWorker).toBe('no_financials_for_previous_year');
  });

  it('labour of the year before may come from measurements', () => {
    const withoutHr = financials.map((entry) => ({
      ...entry,
      labourHours: undefined,
      averageHeadcount: undefined,
    }));
    const measured = valueAddedFigures(
      withoutHr,
      path,
      '2026-03',
      { labourHours: 1600, averageHeadcount: 10 },
      { labourHours: 1650, averageHeadcount: 10 },
    );
    expect(measured.realGrowthPerLabourHour).toBeCloseTo(figures.realGrowthPerLabourHour!, 12);
    const unmeasured = valueAddedFigures(
      withoutHr,
      path,
      '2026-03',
      { labourHours: 1600, averageHeadcount: 10 },
      null,
    );
    expect(unmeasured.nullReasons.realGrowthPerLabourHour).toBe('no_labour_for_previous_year');
  });
});

describe('helpers', () => {
  it.each([
    ['2026', '2025'],
    ['2026-03', '2025-03'],
  ])('samePeriodYearBefore(%s) = %s', (period, expected) => {
    expect(samePeriodYearBefore(period)).toBe(expected);
  });

  it('CAGR: 100 → 121 over two years is 10 %/year', () => {
    expect(compoundAnnualGrowthRate(100, 121, 2)).toBeCloseTo(0.1, 12);
    expect(compoundAnnualGrowthRate(0, 121, 2)).toBeNull();
  });

  it('7.2 % in 2025 meets Resolution 52 to 2025 but not the 7.5 % to 2030', () => {
    const comparison = compareWithNationalTargets(0.072, 2025);
    expect(comparison.map((target) => [target.target, target.met, target.appliesToYear])).toEqual([
      ['resolution-52-to-2025', true, true],
      ['resolution-52-to-2030', false, false],
      ['decision-1305-manufacturing', true, true],
    ]);
    expect(comparison[0]!.gap).toBeCloseTo(0.002, 12);
  });
});
