import { describe, expect, it } from 'vitest';
import { CheckLimiter } from '../../src/auth/check-limiter.js';

describe('CheckLimiter', () => {
  it('runs at most `concurrency` tasks, queues at most `maxQueued`, refuses beyond', async () => {
    const limiter = new CheckLimiter(2, 3);
    const gates: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const task = () =>
      new Promise<number>((resolve) => {
        running++;
        most = Math.max(most, running);
        gates.push(() => {
          running--;
          resolve(1);
        });
      });
    const runs = Array.from({ length: 5 }, () => limiter.run(task));
    expect(runs.every((run) => run !== undefined)).toBe(true);
    expect(limiter.run(task)).toBeUndefined();
    await Promise.resolve();
    expect([limiter.active, limiter.queued, gates.length]).toEqual([2, 3, 2]);
    while (gates.length > 0 || limiter.queued > 0) {
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(runs)).toEqual([1, 1, 1, 1, 1]);
    expect(most).toBe(2);
    expect([limiter.active, limiter.queued]).toEqual([0, 0]);
    expect(await limiter.run(async () => 7)).toBe(7);
  });

  it('frees the slot of a task that throws', async () => {
    const limiter = new CheckLimiter(1, 0);
    await expect(
      limiter.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await limiter.run(async () => 1)).toBe(1);
  });
});
