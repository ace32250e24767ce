/**
 * Time-zone arithmetic for a site, from the platform's IANA database (Intl), cached. Offsets are
 * looked up per 15-minute bucket: every real-world UTC offset change happens on a quarter hour.
 */
export interface Zone {
  readonly name: string;
  /** The zone's UTC offset at an instant, in minutes (`Asia/Ho_Chi_Minh` → 420). */
  offsetMinutesAt(epochMs: number): number;
  /** The instant at which a local wall-clock time occurs (the later reading in a DST gap). */
  instantOf(local: LocalDateTime): number;
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  minuteOfDay: number;
}

const BUCKET_MS = 15 * 60_000;
const zones = new Map<string, Zone>();

/** Throws a RangeError naming the zone when the platform does not know it. */
export function zoneOf(name: string): Zone {
  const cached = zones.get(name);
  if (cached !== undefined) return cached;
  const zone = createZone(name);
  zones.set(name, zone);
  return zone;
}

export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function createZone(name: string): Zone {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsets = new Map<number, number>();
  const offsetMinutesAt = (epochMs: number): number => {
    const bucket = Math.floor(epochMs / BUCKET_MS);
    const known = offsets.get(bucket);
    if (known !== undefined) return known;
    const at = bucket * BUCKET_MS;
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(at)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    const offset = Math.round((asUtc - at) / 60_000);
    // Bounded: one entry per quarter hour simulated, cleared when a long run fills it.
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(bucket, offset);
    return offset;
  };
  return {
    name,
    offsetMinutesAt,
    instantOf(local: LocalDateTime): number {
      const wall = Date.UTC(local.year, local.month - 1, local.day) + local.minuteOfDay * 60_000;
      // Two fixed-point steps settle on the right offset, including next to a DST change.
      let guess = wall - offsetMinutesAt(wall) * 60_000;
      guess = wall - offsetMinutesAt(guess) * 60_000;
      const again = wall - offsetMinutesAt(guess) * 60_000;
      return Math.max(guess, again);
    },
  };
}

/** The local calendar date of an instant in a zone. */
export function localDateOf(zone: Zone, epochMs: number): { year: number; month: number; day: number } {
  const local = new Date(epochMs + zone.offsetMinutesAt(epochMs) * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** `YYYY-MM-DD`. */
export function formatDate(date: { year: number; month: number; day: number }): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** The next calendar date. */
export function nextDate(date: { year: number; month: number; day: number }): {
  year: number;
  month: number;
  day: number;
} {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: { year: number; month: number; day: number }): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}
