import type { JsonValue, SimMessage } from '../core/sim-message.js';

/** One recording line: `{"topic":…,"payload":…}` and a newline; the format `mekong kpi` reads. */
export function toJsonLine(message: SimMessage): string {
  return `{"topic":${JSON.stringify(message.topic)},"payload":${JSON.stringify(message.payload)}}\n`;
}

export interface RecordedMessage {
  topic: string;
  payload: JsonValue;
}

/** Reads one recording line; undefined when the line is not `{"topic": string, "payload": …}`. */
export function fromJsonLine(line: string): RecordedMessage | undefined {
  if (line.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('topic' in parsed) || !('payload' in parsed)) {
    return undefined;
  }
  const { topic, payload } = parsed as { topic: unknown; payload: JsonValue };
  return typeof topic === 'string' ? { topic, payload } : undefined;
}
