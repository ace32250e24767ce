import type { FaultRecord } from '../faults/fault-record.js';
import type { TruthRow } from './truth-row.js';

/** Where the ground truth goes as windows close and faults happen; the core never buffers it. */
export interface TruthSink {
  row(row: TruthRow): void;
  fault(record: FaultRecord): void;
}

/** Keeps everything in memory: for tests and small runs. */
export function collectingSink(): TruthSink & { rows: TruthRow[]; faults: FaultRecord[] } {
  const rows: TruthRow[] = [];
  const faults: FaultRecord[] = [];
  return { rows, faults, row: (row) => rows.push(row), fault: (record) => faults.push(record) };
}
