import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { RuntimeError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { createShutdown } from '../src/shutdown.js';

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ service: 'test', destination }), lines };
}

describe('createShutdown', () => {
  it('runs hooks in order, once', async () => {
    const { logger } = captureLogger();
    const order: string[] = [];
    const shutdown = createShutdown({ logger });
    shutdown.add('listeners', async () => {
      await sleep(5); // a hook that takes a while: not a wait for a condition
      order.push('listeners');
    });
    shutdown.add('storage', () => {
      order.push('storage');
    });
    await Promise.all([shutdown.run('test'), shutdown.run('again')]);
    expect(order).toEqual(['listeners', 'storage']);
  });

  it('keeps closing after a failing hook, then reports it with a code', async () => {
    const { logger, lines } = captureLogger();
    const closed: string[] = [];
    const shutdown = createShutdown({ logger });
    shutdown.add('a', () => {
      throw new Error('boom');
    });
    shutdown.add('b', () => {
      closed.push('b');
    });
    await expect(shutdown.run('test')).rejects.toMatchObject({ code: 'MEKONG_SHUTDOWN_HOOK_FAILED' });
    expect(closed).toEqual(['b']);
    expect(lines.some((line) => line.code === 'MEKONG_SHUTDOWN_HOOK_FAILED' && line.hook === 'a')).toBe(true);
  });

  it('gives up after the timeout', async () => {
    const { logger } = captureLogger();
    const shutdown = createShutdown({ logger, timeoutMs: 50 });
    shutdown.add('stuck', () => new Promise<void>(() => {}));
    const error = await shutdown.run('test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('MEKONG_SHUTDOWN_TIMEOUT');
  });

  it('closes on SIGTERM and exits 0', async () => {
    const { logger } = captureLogger();
    const exits: number[] = [];
    const shutdown = createShutdown({ logger, exit: (code) => exits.push(code) });
    let closed = false;
    shutdown.add('server', () => {
      closed = true;
    });
    const uninstall = shutdown.installSignalHandlers();
    process.emit('SIGTERM', 'SIGTERM');
    await vi.waitFor(() => expect(exits).toEqual([0]));
    uninstall();
    expect(closed).toBe(true);
    expect(exits).toEqual([0]);
  });
});
