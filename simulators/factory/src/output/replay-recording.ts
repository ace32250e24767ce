import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseEventTime, parseTopic } from '@mekong/contracts';
import type { SimMessage } from '../core/sim-message.js';
import { fromJsonLine } from './jsonl.js';

/**
 * Reads a JSONL recording as a message stream for publishing. The pace comes from each payload's
 * `ts`, kept non-decreasing (a skewed or out-of-order `ts` never sends time backwards; a malformed one
 * is sent with its predecessor). Device = the topic's publisher (`<site>/<area>/<line>/<cell|_line>`).
 */
export async function* readRecording(
  file: string,
  onBadLine?: (lineNumber: number) => void,
): AsyncGenerator<{ message: SimMessage; devicePath: string }> {
  const lines = createInterface({
    input: file === '-' ? process.stdin : createReadStream(file),
    crlfDelay: Infinity,
  });
  let lineNumber = 0;
  let lastMs = 0;
  for await (const line of lines) {
    lineNumber += 1;
    const recorded = fromJsonLine(line);
    if (recorded === undefined) {
      if (line.trim() !== '') onBadLine?.(lineNumber);
      continue;
    }
    const payload = recorded.payload;
    const ts =
      typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload.ts : undefined;
    const time = parseEventTime(ts);
    if (time.ok) lastMs = Math.max(lastMs, time.value.epochMs);
    const levels = recorded.topic.split('/');
    const topic = parseTopic(recorded.topic);
    const devicePath = topic.ok ? levels.slice(3, 7).join('/') : 'unknown/unknown/unknown/unknown';
    yield {
      message: { topic: recorded.topic, payload, tsMs: lastMs, sendAtMs: lastMs, device: -1 },
      devicePath,
    };
  }
}
