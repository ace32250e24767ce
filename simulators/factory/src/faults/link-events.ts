import type { FaultPlan } from './fault-plan.js';

/** A device (or, with device −1, every device) losing or regaining its connection at `atMs`. */
export interface LinkEvent {
  atMs: number;
  device: number;
  up: boolean;
}

/**
 * When the disconnects and broker outages of a plan open and close, in time order (ties: downs
 * before ups, then by device). An MQTT output uses them to drop and restore real connections at the
 * moments the stream stops and resumes each device's messages.
 */
export function linkEvents(plan: FaultPlan): LinkEvent[] {
  const events: LinkEvent[] = [];
  for (const outage of plan.brokerOutages) {
    events.push({ atMs: outage.from, device: -1, up: false }, { atMs: outage.to, device: -1, up: true });
  }
  if (plan.anyDisconnects) {
    for (let device = 0; device < plan.deviceCount; device += 1) {
      for (const span of plan.disconnectsOf(device)) {
        events.push({ atMs: span.from, device, up: false }, { atMs: span.to, device, up: true });
      }
    }
  }
  return events.sort((a, b) => a.atMs - b.atMs || Number(a.up) - Number(b.up) || a.device - b.device);
}
