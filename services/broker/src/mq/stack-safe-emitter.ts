import type { MQEmitter } from 'mqemitter';

interface Internals {
  _do(message: unknown, callback: unknown): unknown;
}

const patched = new WeakSet<object>();

/**
 * Makes an mqemitter (or a subclass such as mqemitter-redis) drain its queue iteratively.
 *
 * mqemitter 7.1.0 queues messages while `concurrency` deliveries are in flight. When one finishes,
 * `released` takes the next queued message and calls `_do`, which calls fastparallel; for a message
 * that matches no listener, fastparallel calls `released` again synchronously. A queue of tens of
 * thousands of such messages — a QoS 0 flood whose subscriber just went away — therefore recurses
 * `released → _do → parallel → released …` until `RangeError: Maximum call stack size exceeded`
 * kills the process (aedes#193, mqemitter#204, still open upstream).
 *
 * Here a `_do` entered while another `_do` is on the stack is deferred to a loop run by the
 * outermost call, so the stack stays flat, nothing is delayed to a later tick and ordering is
 * kept. The per-emitter queue and `concurrency` bound are untouched.
 */
export function makeStackSafe<T extends MQEmitter>(emitter: T): T {
  const target = emitter as unknown as Internals;
  if (patched.has(target)) return emitter;
  patched.add(target);
  const original = target._do;
  const pending: [unknown, unknown][] = [];
  let depth = 0;
  target._do = function stackSafeDo(this: unknown, message: unknown, callback: unknown) {
    if (depth > 0) {
      pending.push([message, callback]);
      return this;
    }
    depth++;
    try {
      original.call(this, message, callback);
      for (let next = pending.shift(); next; next = pending.shift()) original.call(this, next[0], next[1]);
    } finally {
      depth--;
    }
    return this;
  };
  return emitter;
}
