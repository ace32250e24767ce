import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@mekong/runtime';

/** A real pino logger whose JSON lines are kept in `events`, parsed. */
export function capturedLogger(level = 'debug'): { logger: Logger; events: Record<string, unknown>[] } {
  const events: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) events.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ service: 'test', level, destination }), events };
}
