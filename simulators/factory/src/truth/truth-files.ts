import { readFileSync, unlinkSync } from 'node:fs';
import type { FaultRecord } from '../faults/fault-record.js';
import { faultRecordSchema } from '../faults/fault-record.js';
import { SyncFileWriter } from '../output/sync-file-writer.js';
import { truthConvention } from './convention.js';
import type { TruthRow } from './truth-row.js';
import { TRUTH_COLUMNS } from './truth-row.js';
import type { TruthSink } from './truth-sink.js';

export interface TruthFiles extends TruthSink {
  /** The files written: `<base>.json`, `<base>.csv`, `<base>-faults.csv`. */
  paths: string[];
  close(summary: Record<string, unknown>): void;
}

const FAULT_COLUMNS = Object.keys(faultRecordSchema.shape) as (keyof FaultRecord)[];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Ground truth as files, streamed: `<base>.json` is one JSON document
 * `{"meta", "convention", "windows": [...], "faults": [...], "summary"}`; windows are written as they
 * close and faults spooled to a side file until the end, so memory stays bounded.
 */
export function writeTruthFiles(
  base: string,
  meta: Record<string, unknown>,
  thetaSeconds: number,
): TruthFiles {
  const json = new SyncFileWriter(`${base}.json`);
  const csv = new SyncFileWriter(`${base}.csv`);
  const faultsCsv = new SyncFileWriter(`${base}-faults.csv`);
  const spoolPath = `${base}.faults.tmp`;
  const spool = new SyncFileWriter(spoolPath);
  json.write(
    `{"meta":${JSON.stringify(meta)},\n"convention":${JSON.stringify(truthConvention(thetaSeconds))},\n"windows":[`,
  );
  csv.write(`${TRUTH_COLUMNS.join(',')}\n`);
  faultsCsv.write(`${FAULT_COLUMNS.join(',')}\n`);
  let rows = 0;
  let faults = 0;
  return {
    paths: [json.path, csv.path, faultsCsv.path],
    row(row: TruthRow) {
      json.write(`${rows === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`);
      csv.write(`${TRUTH_COLUMNS.map((column) => csvCell(row[column])).join(',')}\n`);
      rows += 1;
    },
    fault(record: FaultRecord) {
      spool.write(`${faults === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`);
      faultsCsv.write(`${FAULT_COLUMNS.map((column) => csvCell(record[column])).join(',')}\n`);
      faults += 1;
    },
    close(summary) {
      spool.close();
      json.write('\n],\n"faults":[');
      json.flush();
      // Copied in slices so a long fault list never sits in memory whole.
      const text = readFileSync(spoolPath, 'utf8');
      for (let i = 0; i < text.length; i += 1 << 20) json.write(text.slice(i, i + (1 << 20)));
      unlinkSync(spoolPath);
      json.write(`\n],\n"summary":${JSON.stringify({ ...summary, windows: rows, faults })}}\n`);
      json.close();
      csv.close();
      faultsCsv.close();
    },
  };
}
