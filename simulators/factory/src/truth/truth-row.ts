import * as z from 'zod';
import type { Totals } from './totals.js';

const ratio = z.number().nullable().describe('null when the denominator is 0');

/** One ground-truth record: one cell, line or site over one day or shift window. Times in seconds. */
export const truthRowSchema = z.object({
  level: z.enum(['cell', 'line', 'site']),
  /** `<enterprise>/<site>[/<area>/<line>[/<cell>]]` */
  path: z.string(),
  window: z.enum(['day', 'shift']),
  key: z.string(),
  from: z.string().describe('RFC 3339 in the site time zone, inclusive'),
  to: z.string().describe('exclusive'),
  cells: z.int().describe('cells summed into this row'),
  AT: z.number(),
  POT: z.number(),
  PBT: z.number(),
  ASUT: z.number(),
  DOWN: z.number(),
  MINOR: z.number(),
  APT: z.number(),
  IOT: z.number(),
  GOT: z.number(),
  good: z.int(),
  scrap: z.int(),
  total: z.int(),
  failures: z.int(),
  A: ratio,
  P: ratio,
  Q: ratio,
  OEE: ratio,
  qualityByCount: ratio,
  labourHours: z.number().nullable().describe('null for cells: labour belongs to lines'),
  goodPerLabourHour: ratio,
  standardHoursPerLabourHour: ratio.describe('Σ ICT × good (GOT) in hours per labour hour'),
});

export type TruthRow = z.output<typeof truthRowSchema>;
export const TRUTH_COLUMNS = Object.keys(truthRowSchema.shape) as (keyof TruthRow)[];

function seconds(ms: number): number {
  // Micro-second rounding keeps float noise (0.30000000000000004) out of the files.
  return Math.round(ms * 1000) / 1_000_000;
}

function divide(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export interface RowIdentity {
  level: TruthRow['level'];
  path: string;
  window: TruthRow['window'];
  key: string;
  from: string;
  to: string;
  cells: number;
  /** Whether labour is part of this level (lines and sites). */
  hasLabour: boolean;
}

/** KPI.md: PBT = POT − planned stops, APT = PBT − ASUT − DOWN − MINOR, A × P × Q = GOT / PBT. */
export function toTruthRow(identity: RowIdentity, totals: Totals): TruthRow {
  const potMs = totals.atMs - totals.notScheduledMs;
  const pbtMs = potMs - totals.plannedStopMs;
  const aptMs = pbtMs - totals.setupMs - totals.downMs - totals.minorMs;
  const total = totals.good + totals.scrap;
  const labourHours = identity.hasLabour ? totals.labourMs / 3_600_000 : null;
  const { hasLabour: _, ...rest } = identity;
  return {
    ...rest,
    AT: seconds(totals.atMs),
    POT: seconds(potMs),
    PBT: seconds(pbtMs),
    ASUT: seconds(totals.setupMs),
    DOWN: seconds(totals.downMs),
    MINOR: seconds(totals.minorMs),
    APT: seconds(aptMs),
    IOT: seconds(totals.iotMs),
    GOT: seconds(totals.gotMs),
    good: totals.good,
    scrap: totals.scrap,
    total,
    failures: totals.failures,
    A: divide(aptMs, pbtMs),
    P: divide(totals.iotMs, aptMs),
    Q: divide(totals.gotMs, totals.iotMs),
    OEE: divide(totals.gotMs, pbtMs),
    qualityByCount: divide(totals.good, total),
    labourHours,
    goodPerLabourHour: labourHours === null ? null : divide(totals.good, labourHours),
    standardHoursPerLabourHour: labourHours === null ? null : divide(totals.gotMs / 3_600_000, labourHours),
  };
}
