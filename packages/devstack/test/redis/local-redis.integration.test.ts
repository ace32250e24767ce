import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheRoot } from '../../src/cache-dir.js';
import { freePort } from '../../src/ports.js';
import { answersPing, type LocalRedis, startLocalRedis } from '../../src/redis/local-redis.js';
import { consoleProgress } from '../../src/run-step.js';

let dir: string;
let redis: LocalRedis | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-redis-'));
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('startLocalRedis', () => {
  it('answers on 127.0.0.1 and ::1, and is gone after stop', async () => {
    const port = await freePort();
    redis = await startLocalRedis({ cacheRoot: cacheRoot(), progress: consoleProgress }, dir, port);
    expect(redis.url).toBe(`redis://127.0.0.1:${port}`);
    expect(await answersPing(port, '127.0.0.1')).toBe(true);
    expect(await answersPing(port, '::1')).toBe(true);
    await redis.stop();
    expect(await answersPing(port, '127.0.0.1')).toBe(false);
  });

  it('fails with a clear error when the port is taken', async () => {
    const port = await freePort();
    const first = await startLocalRedis({ cacheRoot: cacheRoot(), progress: () => {} }, join(dir, 'a'), port);
    try {
      await expect(
        startLocalRedis({ cacheRoot: cacheRoot(), progress: () => {} }, join(dir, 'b'), port),
      ).rejects.toMatchObject({ code: 'MEKONG_DEVSTACK_START_FAILED' });
    } finally {
      await first.stop();
    }
  });
});
