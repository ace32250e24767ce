import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

describe('createLogger', () => {
  it('writes one JSON event per line with service, level label and fields', () => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        chunks.push(String(chunk));
        callback();
      },
    });
    const logger = createLogger({ service: 'broker', destination });
    logger.warn({ code: 'MEKONG_TOPIC_NOT_ALLOWED', line: 'acme/hcm/a/l1' }, 'refused');
    logger.debug('hidden at info level');
    const lines = chunks.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0] ?? '{}');
    expect(event).toMatchObject({
      level: 'warn',
      service: 'broker',
      code: 'MEKONG_TOPIC_NOT_ALLOWED',
      line: 'acme/hcm/a/l1',
      msg: 'refused',
    });
    expect(typeof event.time).toBe('string');
  });
});
