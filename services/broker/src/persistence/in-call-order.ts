interface PublishSteps {
  subscriptionsByTopic(topic: string): Promise<unknown>;
  outgoingEnqueueCombi(subs: unknown, packet: unknown): Promise<unknown>;
  outgoingUpdate(client: unknown, packet: unknown): Promise<unknown>;
}

const patched = new WeakSet<object>();

/**
 * Makes the asynchronous steps aedes takes for every QoS 1 publish — look up the persistent
 * subscriptions, store the message for them, and, per subscriber, record its packet id before
 * writing it — settle in the order they were called.
 *
 * aedes 1.2.0 runs `storeRetained → enqueueOffline → emitPacket` for each publish, and several
 * publishes concurrently. With an asynchronous store (LevelDB, Redis) a later message can finish
 * `enqueueOffline` first and so be routed first. A subscriber then receives one publisher's messages
 * out of order, and worse: aedes's per-client `dedupe` forwards a message only when its
 * `brokerCounter` is above the highest one already forwarded, so the overtaken message is dropped
 * although its publisher got a PUBACK (measured: 2–6 % of a stream to a connected persistent
 * subscriber). Likewise `outgoingUpdate` finishing out of order reorders the writes to a subscriber. Each call still starts at once, so the store keeps its parallelism; only the
 * settling waits for the calls before it.
 */
export function settlePublishStepsInOrder<T extends PublishSteps>(persistence: T): T {
  if (patched.has(persistence)) return persistence;
  patched.add(persistence);
  persistence.subscriptionsByTopic = settleInCallOrder(persistence.subscriptionsByTopic.bind(persistence));
  persistence.outgoingEnqueueCombi = settleInCallOrder(persistence.outgoingEnqueueCombi.bind(persistence));
  persistence.outgoingUpdate = settleInCallOrder(persistence.outgoingUpdate.bind(persistence));
  return persistence;
}

/** `method`, but its promises settle in call order; the work itself starts at each call. */
export function settleInCallOrder<A extends unknown[], R>(
  method: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  let tail: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const result = method(...args);
    const ordered = tail.then(() => result);
    tail = ordered.then(
      () => undefined,
      () => undefined,
    );
    return ordered;
  };
}
