import mqemitter from 'mqemitter';
import { describe, expect, it } from 'vitest';
import { makeStackSafe } from '../../src/mq/stack-safe-emitter.js';

type Emitter = ReturnType<typeof mqemitter>;

/**
 * The hazard in miniature: `concurrency` deliveries are held by a slow subscriber while a flood of
 * messages queues up; the subscriber goes away, so every queued message matches nothing and
 * completes synchronously when the held deliveries are released.
 */
function floodThenDropSubscriber(
  emitter: Emitter,
  queued: number,
): { completed: () => number; release: () => void } {
  const held: (() => void)[] = [];
  const slow = (_message: unknown, done: () => void) => {
    held.push(done);
  };
  emitter.on('flood/#', slow);
  let completed = 0;
  for (let i = 0; i < 10 + queued; i++) emitter.emit({ topic: `flood/${i % 20}`, i }, () => completed++);
  return {
    completed: () => completed,
    release: () => {
      (emitter as unknown as { _matcher: { remove(topic: string): void } })._matcher.remove('flood/#');
      for (const done of held.splice(0)) done();
    },
  };
}

describe('makeStackSafe', () => {
  it('is needed: plain mqemitter 7 overflows the stack draining a queue of unmatched messages', () => {
    const { release } = floodThenDropSubscriber(mqemitter({ concurrency: 10 }), 30_000);
    expect(release).toThrow(RangeError);
  });

  it('drains the same queue iteratively, completing every message in order', () => {
    const emitter = makeStackSafe(mqemitter({ concurrency: 10 }));
    const { release, completed } = floodThenDropSubscriber(emitter, 30_000);
    expect(completed()).toBe(0);
    expect(release).not.toThrow();
    expect(completed()).toBe(30_010);
    expect((emitter as unknown as { length: number }).length).toBe(0);
  });

  it('keeps delivering to listeners, in publish order, with the concurrency bound', async () => {
    const emitter = makeStackSafe(mqemitter({ concurrency: 4 }));
    const seen: number[] = [];
    emitter.on('a/+', (message, done) => {
      seen.push(message.i as number);
      setImmediate(done);
    });
    await new Promise<void>((resolve) => {
      let left = 1000;
      for (let i = 0; i < 1000; i++)
        emitter.emit({ topic: `a/${i % 3}`, i }, () => --left === 0 && resolve());
    });
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('handles emits made synchronously from inside a listener', () => {
    const emitter = makeStackSafe(mqemitter({ concurrency: 0 }));
    const order: string[] = [];
    emitter.on('x', (_m, done) => {
      order.push('x');
      emitter.emit({ topic: 'y' }, () => order.push('y done'));
      done();
    });
    emitter.on('y', (_m, done) => {
      order.push('y');
      done();
    });
    emitter.emit({ topic: 'x' }, () => order.push('x done'));
    expect(order).toEqual(['x', 'x done', 'y', 'y done']);
  });
});
