import type { SimMessage } from '../core/sim-message.js';
import type { LinkEvent } from '../faults/link-events.js';
import type { MqttFleet } from './mqtt-fleet.js';
import type { Pacer } from './pacer.js';
import type { ProgressCounters } from './progress.js';

/**
 * Publishes the stream over the fleet, one connection per device, at the pacer's speed. `links`
 * (from `linkEvents`) drop and restore real connections when simulated disconnects and broker outages
 * begin and end.
 */
export async function publishStream(
  messages: Iterable<SimMessage>,
  fleet: MqttFleet,
  devicePath: (device: number) => string,
  options: { pacer: Pacer; counters: ProgressCounters; now?: () => number; links?: readonly LinkEvent[] },
): Promise<void> {
  const now = options.now ?? Date.now;
  const links = options.links ?? [];
  let nextLink = 0;
  let sinceYield = 0;
  for (const message of messages) {
    while (nextLink < links.length && (links[nextLink] as LinkEvent).atMs <= message.sendAtMs) {
      const link = links[nextLink] as LinkEvent;
      nextLink += 1;
      const delay = options.pacer.delayFor(link.atMs, now());
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      fleet.setLink(link.device < 0 ? undefined : devicePath(link.device), link.up);
    }
    const delay = options.pacer.delayFor(message.sendAtMs, now());
    if (delay > 0) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      sinceYield = 0;
    }
    const wait = fleet.publish(devicePath(message.device), message.topic, JSON.stringify(message.payload));
    options.counters.messages += 1;
    options.counters.simMs = message.sendAtMs;
    options.counters.errors = fleet.stats.errors + fleet.stats.lost;
    if (wait !== undefined) {
      await wait;
      sinceYield = 0;
    } else if (++sinceYield >= 500) {
      // Lets sockets drain and acknowledgements arrive when running as fast as possible.
      await new Promise((resolve) => setImmediate(resolve));
      sinceYield = 0;
    }
  }
  // Links still down at the end come back, so what they buffered is delivered.
  for (const link of links.slice(nextLink)) {
    if (link.up) fleet.setLink(link.device < 0 ? undefined : devicePath(link.device), true);
  }
}
