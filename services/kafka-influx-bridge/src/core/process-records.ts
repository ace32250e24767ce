import { KAFKA_HEADERS, type MekongIssue } from '@mekong/contracts';
import { toLines } from './to-lines.js';
import type { ItemOutcome, WriteItem } from './write-batcher.js';

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** A consumed Kafka record, independent of the client library. */
export interface SourceRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, HeaderValue>;
}

export interface DeadRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, HeaderValue>;
}

export interface ProcessDeps {
  submit(items: WriteItem[]): Promise<ItemOutcome[]>;
  sendToDlq(records: DeadRecord[]): Promise<void>;
  maxPayloadBytes: number;
}

export interface ProcessResult {
  written: number;
  points: number;
  dead: Array<{ record: SourceRecord; issue: MekongIssue }>;
}

/**
 * Takes a partition's batch to its end: each record's points written, or the record in the DLQ with
 * the reason. Resolves only when InfluxDB and the DLQ both hold what they should, so the caller may
 * commit the batch's offsets then.
 */
export async function processRecords(records: SourceRecord[], deps: ProcessDeps): Promise<ProcessResult> {
  const writable: Array<{ record: SourceRecord; lines: string[] }> = [];
  const dead: ProcessResult['dead'] = [];
  for (const record of records) {
    const mapped = toLines(
      record.topic,
      record.value,
      headerText(record.headers?.[KAFKA_HEADERS.mqttTopic]),
      deps.maxPayloadBytes,
    );
    if (mapped.ok) writable.push({ record, lines: mapped.lines });
    else dead.push({ record, issue: mapped.issue });
  }
  const outcomes = await deps.submit(writable.map(({ lines }) => ({ lines })));
  let written = 0;
  let points = 0;
  outcomes.forEach((outcome, index) => {
    const entry = writable[index];
    if (!entry) return;
    if (outcome.ok) {
      written += 1;
      points += entry.lines.length;
    } else {
      dead.push({
        record: entry.record,
        issue: {
          code: 'MEKONG_INVALID_LINE_PROTOCOL',
          path: [],
          message: `InfluxDB refused the points (HTTP ${outcome.status}): ${outcome.reason}`,
        },
      });
    }
  });
  if (dead.length > 0) await deps.sendToDlq(dead.map(({ record, issue }) => toDeadRecord(record, issue)));
  return { written, points, dead };
}

/** The DLQ record of a refused one: its key, value and headers as they were, plus the reason and origin. */
export function toDeadRecord(record: SourceRecord, issue: MekongIssue): DeadRecord {
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [KAFKA_HEADERS.errorCode]: issue.code,
      [KAFKA_HEADERS.errorPath]: JSON.stringify(issue.path),
      [KAFKA_HEADERS.errorMessage]: issue.message,
      [KAFKA_HEADERS.sourceTopic]: record.topic,
      [KAFKA_HEADERS.sourcePartition]: String(record.partition),
      [KAFKA_HEADERS.sourceOffset]: record.offset,
    },
  };
}

export function headerText(value: HeaderValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}
