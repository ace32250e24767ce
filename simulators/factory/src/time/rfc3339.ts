import type { Zone } from './zone.js';

/**
 * The wire form of `ts`: RFC 3339 with the site's UTC offset and always three fractional digits,
 * e.g. `2026-03-02T06:15:00.000+07:00`, so a reader sees local shop-floor time and the instant.
 */
export function formatRfc3339(epochMs: number, zone: Zone): string {
  return formatWithOffset(epochMs, zone.offsetMinutesAt(epochMs));
}

// Messages come in time order, so consecutive calls mostly fall in the same second: the text up to
// the second is kept and only the milliseconds are formatted (a measured 5 % of a run's time).
let cachedSecond = Number.NaN;
let cachedOffset = Number.NaN;
let cachedPrefix = '';
let cachedSuffix = '';

export function formatWithOffset(epochMs: number, offsetMinutes: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond || offsetMinutes !== cachedOffset) {
    const local = new Date(second * 1000 + offsetMinutes * 60_000).toISOString();
    const sign = offsetMinutes < 0 ? '-' : '+';
    const magnitude = Math.abs(offsetMinutes);
    // toISOString gives `YYYY-MM-DDTHH:mm:ss.sssZ` for years 0–9999.
    cachedPrefix = `${local.slice(0, 19)}.`;
    cachedSuffix = `${sign}${String(Math.floor(magnitude / 60)).padStart(2, '0')}:${String(magnitude % 60).padStart(2, '0')}`;
    cachedSecond = second;
    cachedOffset = offsetMinutes;
  }
  const ms = epochMs - second * 1000;
  return `${cachedPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}${cachedSuffix}`;
}
