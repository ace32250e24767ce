type Deliver = (packet: RoutedPacket, done: () => void) => void;

/** What aedes routes to a client: the broker that numbered the message, and its number there. */
export interface RoutedPacket {
  qos: number;
  brokerId?: string;
  brokerCounter?: number;
}

/** The members of an aedes 1.2.0 `Client` this replaces; not in aedes's typings. */
export interface DeliveringClient {
  duplicates: Record<string, number>;
  deliver0: Deliver;
  deliverQoS: Deliver;
}

/** How many recent deliveries a client remembers; duplicates are copies routed together. */
export const DEDUPE_WINDOW = 1024;

const alwaysNew: ProxyHandler<Record<string, number>> = {
  get: () => 0,
  set: () => true,
  deleteProperty: () => true,
};

/**
 * Replaces aedes's per-client duplicate check with an exact one.
 *
 * aedes 1.2.0 (`dedupe` in lib/client.js) drops a message routed to a client unless its
 * `brokerCounter` is above the highest one already delivered to that client. Its purpose is to send
 * one copy when a client's subscriptions overlap. But messages are not routed in counter order: a
 * QoS 0 message goes straight to routing while an earlier QoS 1 message is still being stored for
 * persistent sessions, and a retained one waits for its store. The overtaken message is then
 * discarded silently, although its publisher got a PUBACK. Here a message is a duplicate only if
 * this client was handed the very same (brokerId, brokerCounter) among its last DEDUPE_WINDOW
 * deliveries. The counter map that aedes's check reads is made to answer "never seen" so that check
 * always passes. Must run before the client's subscriptions are made (aedes's `preConnect`),
 * since a subscription captures the deliver function.
 */
export function installExactDedupe(client: DeliveringClient): void {
  const recent = new Map<string, Set<number>>();
  // A ring of the last DEDUPE_WINDOW deliveries, oldest at `next` once full.
  const ringIds: (string | undefined)[] = new Array(DEDUPE_WINDOW);
  const ringCounters = new Float64Array(DEDUPE_WINDOW);
  let next = 0;
  const isRepeat = (packet: RoutedPacket): boolean => {
    const { brokerId, brokerCounter } = packet;
    if (brokerId === undefined || brokerCounter === undefined) return false;
    let seen = recent.get(brokerId);
    if (seen?.has(brokerCounter)) return true;
    if (!seen) {
      seen = new Set();
      recent.set(brokerId, seen);
    }
    seen.add(brokerCounter);
    const oldId = ringIds[next];
    if (oldId !== undefined) {
      const old = recent.get(oldId);
      old?.delete(ringCounters[next] as number);
      if (old?.size === 0) recent.delete(oldId);
    }
    ringIds[next] = brokerId;
    ringCounters[next] = brokerCounter;
    next = (next + 1) % DEDUPE_WINDOW;
    return false;
  };

  client.duplicates = new Proxy(Object.create(null) as Record<string, number>, alwaysNew);
  const deliver0 = client.deliver0;
  const deliverQoS = client.deliverQoS;
  const exactDeliver0: Deliver = (packet, done) => {
    if (isRepeat(packet)) setImmediate(done);
    else deliver0(packet, done);
  };
  client.deliver0 = exactDeliver0;
  client.deliverQoS = (packet, done) => {
    // aedes's deliverQoS hands a QoS 0 copy to deliver0, which is checked there.
    if (packet.qos === 0) exactDeliver0(packet, done);
    else if (isRepeat(packet)) setImmediate(done);
    else deliverQoS(packet, done);
  };
}
