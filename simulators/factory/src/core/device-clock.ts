import type { ClockSkew } from '../faults/fault-plan.js';
import { formatRfc3339 } from '../time/rfc3339.js';
import type { Zone } from '../time/zone.js';

/**
 * What a device writes in `ts`: its own clock, which is true time unless a clock-skew fault gives it
 * an offset and a drift (ppm of the time elapsed since the start).
 */
export function deviceClock(zone: Zone, startMs: number, skew: ClockSkew | undefined): (t: number) => string {
  if (skew === undefined) return (t) => formatRfc3339(t, zone);
  return (t) =>
    formatRfc3339(t + skew.offsetMs + Math.round(((t - startMs) * skew.driftPpm) / 1_000_000), zone);
}
