import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { formatIssuePath, type MekongErrorCode, parseMessage } from '@mekong/contracts';
import { type KpiEvent, kpiEventFromMessage } from '@mekong/kpi';

/**
 * A recording as `mekong sim record` writes it: one `{"topic": "...", "payload": {...}}` per line. The
 * payload may also be a JSON string holding the payload text, exactly as it went over MQTT.
 */

/** What one line of a recording holds. */
export type RecordingLine =
  | { kind: 'blank' }
  | { kind: 'event'; event: KpiEvent }
  /** A valid sensor or alarm message: not KPI input. */
  | { kind: 'ignored' }
  | { kind: 'invalid'; problem: string; code: MekongErrorCode | 'NOT_JSON' | 'NOT_A_RECORDING_LINE' };

const lineShape = 'each line must be {"topic": "...", "payload": {...}}';

export function readRecordingLine(line: string): RecordingLine {
  if (line.trim() === '') return { kind: 'blank' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { kind: 'invalid', code: 'NOT_JSON', problem: `not JSON (${errorText(error)})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'invalid', code: 'NOT_A_RECORDING_LINE', problem: `not a JSON object (${lineShape})` };
  }
  const record = parsed as { topic?: unknown; payload?: unknown };
  if (typeof record.topic !== 'string') {
    const got = record.topic === undefined ? 'is missing' : 'is not a string';
    return { kind: 'invalid', code: 'NOT_A_RECORDING_LINE', problem: `topic: ${got} (${lineShape})` };
  }
  if (record.payload === undefined) {
    return { kind: 'invalid', code: 'NOT_A_RECORDING_LINE', problem: `payload: is missing (${lineShape})` };
  }
  const payloadText = typeof record.payload === 'string' ? record.payload : JSON.stringify(record.payload);
  const result = parseMessage(record.topic, Buffer.from(payloadText, 'utf8'));
  if (!result.ok) {
    const { code, path, message } = result.error;
    return { kind: 'invalid', code, problem: `${fieldOf(path)}: ${withoutField(message, path)} [${code}]` };
  }
  const event = kpiEventFromMessage(result.value);
  return event === undefined ? { kind: 'ignored' } : { kind: 'event', event };
}

/** `payload.good`, `payload.readings[2].value`, `topic.cell`, or `payload` for the payload as a whole. */
function fieldOf(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'payload';
  if (path[0] === 'topic') return formatIssuePath(path);
  return `payload.${formatIssuePath(path)}`;
}

/** The contracts prefix a field problem with its path; the field is named once, in front. */
function withoutField(message: string, path: readonly (string | number)[]): string {
  const prefix = path.length === 0 ? 'payload ' : `${formatIssuePath(path)}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

export interface RecordingSummary {
  /** Lines read, blank ones included. */
  lines: number;
  events: KpiEvent[];
  /** Valid sensor and alarm messages, skipped. */
  ignored: number;
  /** Invalid lines, skipped; each was passed to `onInvalid`. */
  invalid: number;
  invalidByCode: Map<string, number>;
  firstEventMs: number | undefined;
  lastEventMs: number | undefined;
}

/**
 * Reads a recording line by line (never the whole file at once), keeping the state, count and labour
 * events. Invalid lines are passed to `onInvalid` with their 1-based line number and skipped.
 * `file` "-" reads standard input.
 */
export async function readRecordingFile(
  file: string,
  onInvalid: (lineNumber: number, problem: string) => void,
): Promise<RecordingSummary> {
  const handle = file === '-' ? undefined : await open(file, 'r');
  const input = handle === undefined ? process.stdin : handle.createReadStream({ encoding: 'utf8' });
  const summary: RecordingSummary = {
    lines: 0,
    events: [],
    ignored: 0,
    invalid: 0,
    invalidByCode: new Map(),
    firstEventMs: undefined,
    lastEventMs: undefined,
  };
  // A recording repeats a few topics, paths and products millions of times: keep one copy of each.
  const strings = new Map<string, string>();
  const intern = (text: string) => {
    const known = strings.get(text);
    if (known !== undefined) return known;
    strings.set(text, text);
    return text;
  };
  try {
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const rawLine of lines) {
      summary.lines += 1;
      const line = summary.lines === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
      const read = readRecordingLine(line);
      switch (read.kind) {
        case 'event':
          summary.events.push(compact(read.event, intern));
          summary.firstEventMs = Math.min(summary.firstEventMs ?? read.event.tsMs, read.event.tsMs);
          summary.lastEventMs = Math.max(summary.lastEventMs ?? read.event.tsMs, read.event.tsMs);
          break;
        case 'ignored':
          summary.ignored += 1;
          break;
        case 'invalid':
          summary.invalid += 1;
          summary.invalidByCode.set(read.code, (summary.invalidByCode.get(read.code) ?? 0) + 1);
          onInvalid(summary.lines, read.problem);
          break;
        case 'blank':
          break;
      }
    }
  } finally {
    await handle?.close();
  }
  return summary;
}

function compact(event: KpiEvent, intern: (text: string) => string): KpiEvent {
  event.path = intern(event.path);
  event.publisher = intern(event.publisher);
  if ('product' in event && event.product !== undefined) event.product = intern(event.product);
  if ('reason' in event && event.reason !== undefined) event.reason = intern(event.reason);
  if ('worker' in event) event.worker = intern(event.worker);
  return event;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
