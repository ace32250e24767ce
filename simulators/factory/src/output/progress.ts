import { formatRfc3339 } from '../time/rfc3339.js';
import type { Zone } from '../time/zone.js';

export interface ProgressCounters {
  messages: number;
  errors: number;
  simMs: number;
}

/**
 * A one-line progress display on stderr: simulated time, messages, messages per second, errors.
 * Rewrites its line on a terminal; prints a line every 5 s otherwise (logs, CI).
 */
export function startProgress(
  label: string,
  counters: ProgressCounters,
  zone: Zone | undefined,
  stream: NodeJS.WriteStream = process.stderr,
): { stop(): void } {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let lastMessages = 0;
  let lastAt = started;
  const print = (final: boolean) => {
    const now = Date.now();
    const rate = ((counters.messages - lastMessages) * 1000) / Math.max(1, now - lastAt);
    const overall = (counters.messages * 1000) / Math.max(1, now - started);
    lastMessages = counters.messages;
    lastAt = now;
    const simTime =
      counters.simMs === 0
        ? '-'
        : zone === undefined
          ? new Date(counters.simMs).toISOString()
          : formatRfc3339(counters.simMs, zone);
    const line = `[${label}] sim ${simTime}  messages ${counters.messages.toLocaleString('en-US')}  ${Math.round(final ? overall : rate).toLocaleString('en-US')} msg/s${final ? ' (average)' : ''}  errors ${counters.errors}`;
    stream.write(tty ? `\r\x1b[2K${line}${final ? '\n' : ''}` : `${line}\n`);
  };
  const timer = setInterval(() => print(false), tty ? 1000 : 5000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      print(true);
    },
  };
}
