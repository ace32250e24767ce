import type { Writable } from 'node:stream';
import type { SimMessage } from '../core/sim-message.js';
import { toJsonLine } from './jsonl.js';
import type { Pacer } from './pacer.js';
import type { ProgressCounters } from './progress.js';

const CHUNK_CHARS = 1 << 16;

/**
 * Writes the stream as JSONL, honouring the stream's back-pressure so memory stays bounded however
 * long the run. `now` and `sleep` are the wall clock, used only when the pacer is not `max`.
 */
export async function writeJsonl(
  messages: Iterable<SimMessage>,
  out: Writable,
  options: {
    pacer: Pacer;
    counters: ProgressCounters;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let chunk = '';
  const flush = async () => {
    if (chunk === '') return;
    const text = chunk;
    chunk = '';
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  for (const message of messages) {
    const delay = options.pacer.delayFor(message.sendAtMs, now());
    if (delay > 0) {
      await flush();
      await sleep(delay);
    }
    chunk += toJsonLine(message);
    options.counters.messages += 1;
    options.counters.simMs = message.sendAtMs;
    if (chunk.length >= CHUNK_CHARS) await flush();
  }
  await flush();
}
