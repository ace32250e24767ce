import { randomBytes } from 'node:crypto';

/** An enterprise name of its own per test, so that records and points of other tests never count. */
export function uniqueEnterprise(prefix = 'e2e'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface CellRef {
  enterprise: string;
  site: string;
  area: string;
  line: string;
  cell: string;
}

export const cellPathOf = (c: CellRef) => `${c.enterprise}/${c.site}/${c.area}/${c.line}/${c.cell}`;
export const linePathOf = (c: CellRef) => `${c.enterprise}/${c.site}/${c.area}/${c.line}`;
export const topicOf = (c: CellRef, kind: string) => `mekong/v1/${cellPathOf(c)}/${kind}`;

/** `cells` cells spread over `lines` lines of one enterprise. */
export function cellsOf(enterprise: string, lines: number, cellsPerLine: number, site = 'hcm'): CellRef[] {
  const cells: CellRef[] = [];
  for (let l = 1; l <= lines; l++)
    for (let c = 1; c <= cellsPerLine; c++)
      cells.push({ enterprise, site, area: 'assembly', line: `line-${l}`, cell: `press-${c}` });
  return cells;
}

/**
 * Valid count payloads with seq 0…n-1. Event times are one millisecond apart from `baseMs`, so every
 * message of a cell is a point of its own in InfluxDB and a duplicate rewrites the same point.
 */
export function countPayloads(n: number, baseMs: number): string[] {
  return Array.from({ length: n }, (_, seq) =>
    JSON.stringify({ ts: baseMs + seq, seq, good: (seq % 7) + 1, scrap: seq % 2, product: 'bracket-a' }),
  );
}

/** A base event time a little in the past: inside the bucket's retention and any `range(start: -1d)`. */
export const baseTime = () => Date.now() - 60 * 60 * 1000;

/** `${cell}#${seq}` for every message of `cells` with seq below `n`. */
export function expectedKeys(cells: CellRef[], n: number): Set<string> {
  const keys = new Set<string>();
  for (const cell of cells) for (let seq = 0; seq < n; seq++) keys.add(`${cellPathOf(cell)}#${seq}`);
  return keys;
}
