import type { SimMessage } from '../core/sim-message.js';
import { streamFor } from '../random/prng.js';
import type { DisconnectSpan, FaultPlan } from './fault-plan.js';
import type { FaultRecord } from './fault-record.js';
import { malform } from './malform.js';

export interface FaultContext {
  seed: string;
  startMs: number;
  endMs: number;
  /** RFC 3339 of an instant in the device's site zone. */
  formatTime(device: number, ms: number): string;
  onFault(record: FaultRecord): void;
}

interface Hold {
  span: DisconnectSpan;
  /** The device, or -1 for a broker outage (all devices). */
  device: number;
  held: SimMessage[];
  sent: number;
  lost: number;
}

interface DeviceLink {
  spans: DisconnectSpan[];
  next: number;
  active: Hold | undefined;
}

export function hasFaults(plan: FaultPlan): boolean {
  if (plan.malformedPpm > 0 || plan.duplicateRate > 0 || plan.outOfOrderRate > 0) return true;
  return plan.brokerOutages.length > 0 || plan.anyDisconnects;
}

function kindOf(topic: string): string {
  return topic.slice(topic.lastIndexOf('/') + 1);
}

/**
 * Delivery faults, applied to the core's stream in a fixed order: disconnects and broker outages
 * (messages held and sent on reconnect, or lost), out-of-order delivery, duplicates, then malformed
 * messages inserted at exactly the configured share. Pure: the same input and seed give the same output.
 * The output is in `sendAtMs` order; every fault instance is reported to `onFault`.
 */
export function* applyFaults(
  input: Iterable<SimMessage>,
  plan: FaultPlan,
  context: FaultContext,
): Generator<SimMessage> {
  const links = new Map<number, DeviceLink>();
  const releases: Hold[] = [];
  const outageHolds: Hold[] = [];
  let outageIndex = 0;
  const reorderPrng = streamFor(context.seed, 'faults', 'out-of-order');
  const duplicatePrng = streamFor(context.seed, 'faults', 'duplicates');
  const malformPrng = streamFor(context.seed, 'faults', 'malformed');
  const reordered = new Map<number, SimMessage>();
  let delivered = 0;
  let lastSendAt = context.startMs;
  let malformed = 0;

  const linkOf = (device: number): DeviceLink => {
    let link = links.get(device);
    if (link === undefined) {
      link = { spans: plan.disconnectsOf(device), next: 0, active: undefined };
      links.set(device, link);
    }
    return link;
  };

  const report = (hold: Hold) => {
    const { span } = hold;
    const anyDevice = Math.max(hold.device, 0);
    context.onFault({
      type: span.kind,
      device: hold.device < 0 ? '*' : plan.devicePath(hold.device),
      from: context.formatTime(anyDevice, span.from),
      to: context.formatTime(anyDevice, span.to),
      messages: hold.sent,
      lost: hold.lost,
      detail:
        span.mode === 'loss' ? 'messages lost while disconnected' : 'messages stored and sent on reconnect',
    });
  };

  function* release(upTo: number): Generator<SimMessage> {
    releases.sort((a, b) => a.span.to - b.span.to || a.device - b.device);
    while (releases.length > 0 && (releases[0] as Hold).span.to <= upTo) {
      const hold = releases.shift() as Hold;
      for (const message of hold.held) {
        hold.sent += 1;
        yield { ...message, sendAtMs: hold.span.to };
      }
      hold.held = [];
      report(hold);
    }
  }

  function hold(target: Hold, message: SimMessage): void {
    if (target.span.mode === 'loss') {
      target.lost += 1;
      return;
    }
    target.held.push(message);
    if (target.held.length > target.span.bufferLimit) {
      target.held.shift();
      target.lost += 1;
    }
  }

  function* afterLinks(message: SimMessage): Generator<SimMessage> {
    if (plan.outOfOrderRate > 0) {
      const waiting = reordered.get(message.device);
      if (waiting !== undefined && message.tsMs > waiting.tsMs) {
        reordered.delete(message.device);
        yield* deliver(message);
        context.onFault({
          type: 'out_of_order',
          device: plan.devicePath(waiting.device),
          topic: waiting.topic,
          seq: seqOf(waiting),
          from: context.formatTime(waiting.device, waiting.tsMs),
          detail: `delivered after seq ${seqOf(message)}`,
        });
        yield* deliver({ ...waiting, sendAtMs: message.sendAtMs });
        return;
      }
      if (waiting === undefined && reorderPrng.next() < plan.outOfOrderRate) {
        reordered.set(message.device, message);
        return;
      }
    }
    yield* deliver(message);
  }

  function* deliver(message: SimMessage): Generator<SimMessage> {
    yield* withMalformed(message);
    if (plan.duplicateRate > 0 && duplicatePrng.next() < plan.duplicateRate) {
      context.onFault({
        type: 'duplicate',
        device: plan.devicePath(message.device),
        topic: message.topic,
        seq: seqOf(message),
        from: context.formatTime(message.device, message.sendAtMs),
      });
      yield* withMalformed(message);
    }
  }

  // Before each delivery, a malformed message goes first whenever the share so far fell below the rate:
  // after n deliveries exactly ⌊n × rate⌋ of them are malformed.
  function* withMalformed(message: SimMessage): Generator<SimMessage> {
    if (plan.malformedPpm > 0 && Math.floor(((delivered + 1) * plan.malformedPpm) / 1_000_000) > malformed) {
      const bad = malform(message.payload, kindOf(message.topic), malformPrng);
      delivered += 1;
      malformed += 1;
      context.onFault({
        type: 'malformed',
        device: plan.devicePath(message.device),
        topic: message.topic,
        seq: seqOf(message),
        from: context.formatTime(message.device, message.sendAtMs),
        detail: bad.malformation,
      });
      yield { ...message, payload: bad.payload };
    }
    delivered += 1;
    lastSendAt = message.sendAtMs;
    yield message;
  }

  for (const message of input) {
    const t = message.tsMs;
    yield* flushReleases(t);
    // Broker outages: every device's messages are held (up to the buffer limit) until it ends.
    while (
      outageIndex < plan.brokerOutages.length &&
      (plan.brokerOutages[outageIndex] as DisconnectSpan).to <= t
    ) {
      outageIndex += 1;
    }
    const outage = plan.brokerOutages[outageIndex];
    if (outage !== undefined && t >= outage.from) {
      let target = outageHolds[outageIndex];
      if (target === undefined) {
        target = { span: outage, device: -1, held: [], sent: 0, lost: 0 };
        outageHolds[outageIndex] = target;
        releases.push(target);
      }
      hold(target, message);
      continue;
    }
    const link = plan.anyDisconnects ? linkOf(message.device) : undefined;
    if (link !== undefined && link.spans.length > 0) {
      while (link.next < link.spans.length && (link.spans[link.next] as DisconnectSpan).to <= t)
        link.next += 1;
      const span = link.spans[link.next];
      if (span !== undefined && t >= span.from) {
        if (link.active?.span !== span) {
          link.active = { span, device: message.device, held: [], sent: 0, lost: 0 };
          releases.push(link.active);
        }
        hold(link.active, message);
        continue;
      }
    }
    yield* afterLinks(message);
  }
  yield* flushReleases(Number.POSITIVE_INFINITY);
  // A device that never sent again delivers its held message last, in order after all others.
  for (const waiting of [...reordered.values()].sort((a, b) => a.device - b.device)) {
    yield* deliver({ ...waiting, sendAtMs: Math.max(waiting.sendAtMs, lastSendAt) });
  }

  function* flushReleases(t: number): Generator<SimMessage> {
    if (releases.length === 0) return;
    for (const message of release(t)) yield* afterLinks(message);
  }
}

function seqOf(message: SimMessage): number | undefined {
  const payload = message.payload;
  if (
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload) &&
    typeof payload.seq === 'number'
  ) {
    return payload.seq;
  }
  return undefined;
}
