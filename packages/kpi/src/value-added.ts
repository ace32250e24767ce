import type { NationalTargetComparison, NullReason } from './kpi-record.js';
import type { FinancialPeriod } from './master-data.js';

/**
 * Value-added labour productivity (KPI.md, Labour productivity): VA = gross output − intermediate
 * consumption; per worker and per labour hour; real growth against the same period a year before,
 * deflated by the period's price index; compared with Vietnam's national targets.
 */

export interface NationalTarget {
  id: string;
  source: string;
  /** Lowest annual growth that meets it. */
  annualGrowth: number;
  firstYear: number;
  lastYear: number;
}

export const nationalTargets: readonly NationalTarget[] = [
  {
    id: 'resolution-52-to-2025',
    source: 'Resolution 52-NQ/TW: labour productivity growth above 7 %/year to 2025',
    annualGrowth: 0.07,
    firstYear: 2019,
    lastYear: 2025,
  },
  {
    id: 'resolution-52-to-2030',
    source: 'Resolution 52-NQ/TW: labour productivity growth about 7.5 %/year to 2030',
    annualGrowth: 0.075,
    firstYear: 2026,
    lastYear: 2030,
  },
  {
    id: 'decision-1305-manufacturing',
    source: 'Decision 1305/QĐ-TTg (2023): manufacturing labour productivity growth 6.5–7.0 %/year',
    annualGrowth: 0.065,
    firstYear: 2023,
    lastYear: 2030,
  },
];

/** Labour measured for a period: labour hours and average headcount (null when unknown). */
export interface PeriodLabour {
  labourHours: number | null;
  averageHeadcount: number | null;
}

export interface ValueAddedFigures {
  valueAddedVnd: number | null;
  valueAddedPerWorkerVnd: number | null;
  valueAddedPerLabourHourVnd: number | null;
  realGrowthPerLabourHour: number | null;
  realGrowthPerWorker: number | null;
  nationalTargets: NationalTargetComparison[];
  nullReasons: Partial<Record<keyof Omit<ValueAddedFigures, 'nullReasons' | 'nationalTargets'>, NullReason>>;
}

/** `YYYY` → previous `YYYY`; `YYYY-MM` → the same month a year before. */
export function samePeriodYearBefore(period: string): string {
  const year = Number(period.slice(0, 4)) - 1;
  return `${String(year).padStart(4, '0')}${period.slice(4)}`;
}

/**
 * Value-added figures of `path` for a financial `period` (null when the window is not one).
 * Labour of the period comes from the financial entry when given, else from `measured`; labour of the
 * year before from its entry, else from `measuredYearBefore`.
 */
export function valueAddedFigures(
  financials: readonly FinancialPeriod[],
  path: string,
  period: string | null,
  measured: PeriodLabour,
  measuredYearBefore: PeriodLabour | null,
): ValueAddedFigures {
  const figures: ValueAddedFigures = {
    valueAddedVnd: null,
    valueAddedPerWorkerVnd: null,
    valueAddedPerLabourHourVnd: null,
    realGrowthPerLabourHour: null,
    realGrowthPerWorker: null,
    nationalTargets: [],
    nullReasons: {},
  };
  const setAllNull = (reason: NullReason): ValueAddedFigures => {
    for (const field of [
      'valueAddedVnd',
      'valueAddedPerWorkerVnd',
      'valueAddedPerLabourHourVnd',
      'realGrowthPerLabourHour',
      'realGrowthPerWorker',
    ] as const) {
      figures.nullReasons[field] = reason;
    }
    return figures;
  };
  if (period === null) return setAllNull('window_is_not_a_financial_period');
  const current = financials.find((entry) => entry.path === path && entry.period === period);
  if (current === undefined) return setAllNull('no_financials_for_period');

  const valueAdded = valueAddedOf(current);
  figures.valueAddedVnd = valueAdded;
  const labour = labourOf(current, measured);
  figures.valueAddedPerLabourHourVnd = divide(valueAdded, labour.labourHours);
  if (figures.valueAddedPerLabourHourVnd === null)
    figures.nullReasons.valueAddedPerLabourHourVnd = 'no_labour_hours';
  figures.valueAddedPerWorkerVnd = divide(valueAdded, labour.averageHeadcount);
  if (figures.valueAddedPerWorkerVnd === null) figures.nullReasons.valueAddedPerWorkerVnd = 'no_headcount';

  const previous = financials.find(
    (entry) => entry.path === path && entry.period === samePeriodYearBefore(period),
  );
  if (previous === undefined) {
    figures.nullReasons.realGrowthPerLabourHour = 'no_financials_for_previous_year';
    figures.nullReasons.realGrowthPerWorker = 'no_financials_for_previous_year';
    return figures;
  }
  const previousLabour = labourOf(
    previous,
    measuredYearBefore ?? { labourHours: null, averageHeadcount: null },
  );
  const realNow = valueAdded / current.priceIndex;
  const realBefore = valueAddedOf(previous) / previous.priceIndex;
  figures.realGrowthPerLabourHour = growth(
    realNow,
    labour.labourHours,
    realBefore,
    previousLabour.labourHours,
  );
  if (figures.realGrowthPerLabourHour === null) {
    figures.nullReasons.realGrowthPerLabourHour =
      previousLabour.labourHours === null ? 'no_labour_for_previous_year' : 'no_labour_hours';
  }
  figures.realGrowthPerWorker = growth(
    realNow,
    labour.averageHeadcount,
    realBefore,
    previousLabour.averageHeadcount,
  );
  if (figures.realGrowthPerWorker === null) {
    figures.nullReasons.realGrowthPerWorker =
      previousLabour.averageHeadcount === null ? 'no_labour_for_previous_year' : 'no_headcount';
  }
  const comparedGrowth = figures.realGrowthPerWorker ?? figures.realGrowthPerLabourHour;
  if (comparedGrowth !== null) {
    figures.nationalTargets = compareWithNationalTargets(comparedGrowth, Number(period.slice(0, 4)));
  }
  return figures;
}

function valueAddedOf(entry: FinancialPeriod): number {
  return entry.grossOutputVnd - entry.intermediateConsumptionVnd;
}

function labourOf(entry: FinancialPeriod, measured: PeriodLabour): PeriodLabour {
  return {
    labourHours: entry.labourHours ?? measured.labourHours,
    averageHeadcount: entry.averageHeadcount ?? measured.averageHeadcount,
  };
}

function divide(numerator: number, denominator: number | null): number | null {
  return denominator === null || denominator <= 0 ? null : numerator / denominator;
}

function growth(
  realNow: number,
  labourNow: number | null,
  realBefore: number,
  labourBefore: number | null,
): number | null {
  const now = divide(realNow, labourNow);
  const before = divide(realBefore, labourBefore);
  if (now === null || before === null || before === 0) return null;
  return now / before - 1;
}

/** How an annual growth rate compares with each national target. */
export function compareWithNationalTargets(annualGrowth: number, year: number): NationalTargetComparison[] {
  return nationalTargets.map((target) => ({
    target: target.id,
    source: target.source,
    annualGrowth: target.annualGrowth,
    appliesToYear: year >= target.firstYear && year <= target.lastYear,
    met: annualGrowth >= target.annualGrowth,
    gap: annualGrowth - target.annualGrowth,
  }));
}

/** Compound annual growth rate from a first to a last value `years` apart; null when undefined. */
export function compoundAnnualGrowthRate(
  firstValue: number,
  lastValue: number,
  years: number,
): number | null {
  if (!(firstValue > 0) || !(lastValue > 0) || !(years > 0)) return null;
  return (lastValue / firstValue) ** (1 / years) - 1;
}
