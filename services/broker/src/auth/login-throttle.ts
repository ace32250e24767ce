export interface LoginThrottleSettings {
  /** Failed logins of one username within `windowMs` before its further attempts are refused (0 = off). */
  maxFailuresPerUser: number;
  /** Failed logins from one address (an IPv6 /64) within `windowMs` before it is refused (0 = off). */
  maxFailuresPerAddress: number;
  windowMs: number;
  /** Most usernames and most addresses tracked each; the oldest are forgotten first. */
  maxEntries: number;
}

export const defaultLoginThrottle: LoginThrottleSettings = {
  maxFailuresPerUser: 10,
  maxFailuresPerAddress: 100,
  windowMs: 60_000,
  maxEntries: 10_000,
};

interface Entry {
  /** Start of the window the failures count in. */
  since: number;
  failures: number;
  /** Checks begun and not finished: they count as failures until they end, so a burst cannot pass at once. */
  pending: number;
}

/** One admitted login check; one of its methods must be called when it ends. */
export interface LoginAttempt {
  succeeded(now?: number): void;
  failed(now?: number): void;
  /** The check did not happen (the server was busy): neither a failure nor a success. */
  abandoned(): void;
}

/**
 * Counts failed logins per username and per address in a fixed window. While a username or address
 * has `max` failures (checks in progress included), its attempts are refused without checking the
 * password. A success forgets the username's failures but not the address's: otherwise one valid
 * account would let its holder guess the passwords of others from the same address without limit.
 */
export class LoginThrottle {
  private readonly users = new Map<string, Entry>();
  private readonly addresses = new Map<string, Entry>();

  constructor(private readonly settings: LoginThrottleSettings = defaultLoginThrottle) {}

  /** An attempt to go on with, or undefined when the username or the address is throttled. */
  begin(username: string | undefined, remote: string, now = Date.now()): LoginAttempt | undefined {
    const address = addressOf(remote);
    const user = username === undefined ? undefined : this.entry(this.users, username, now);
    const place = this.entry(this.addresses, address, now);
    if (this.exceeded(user, this.settings.maxFailuresPerUser)) return undefined;
    if (this.exceeded(place, this.settings.maxFailuresPerAddress)) return undefined;
    for (const entry of [user, place]) if (entry) entry.pending++;
    let done = false;
    const finish = (outcome: 'succeeded' | 'failed' | 'abandoned', at: number) => {
      if (done) return;
      done = true;
      for (const entry of [user, place]) {
        if (!entry) continue;
        entry.pending = Math.max(0, entry.pending - 1);
        if (outcome !== 'failed') continue;
        if (at - entry.since >= this.settings.windowMs) {
          entry.since = at;
          entry.failures = 0;
        }
        entry.failures++;
      }
      if (outcome === 'succeeded' && username !== undefined) this.users.delete(username);
    };
    return {
      succeeded: (at = Date.now()) => finish('succeeded', at),
      failed: (at = Date.now()) => finish('failed', at),
      abandoned: () => finish('abandoned', 0),
    };
  }

  /** Usernames and addresses tracked, for tests and health. */
  get size(): { users: number; addresses: number } {
    return { users: this.users.size, addresses: this.addresses.size };
  }

  private exceeded(entry: Entry | undefined, max: number): boolean {
    return entry !== undefined && max > 0 && entry.failures + entry.pending >= max;
  }

  private entry(map: Map<string, Entry>, key: string, now: number): Entry {
    let entry = map.get(key);
    if (entry && entry.pending === 0 && now - entry.since >= this.settings.windowMs) {
      map.delete(key);
      entry = undefined;
    }
    if (entry) return entry;
    if (map.size >= this.settings.maxEntries) this.evict(map, now);
    entry = { since: now, failures: 0, pending: 0 };
    map.set(key, entry);
    return entry;
  }

  /** Drops expired entries among the oldest; when none is expired, the oldest one. */
  private evict(map: Map<string, Entry>, now: number): void {
    let scanned = 0;
    for (const [key, entry] of map) {
      if (scanned++ >= 64) break;
      if (entry.pending === 0 && now - entry.since >= this.settings.windowMs) map.delete(key);
    }
    if (map.size >= this.settings.maxEntries) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
  }
}

/**
 * The address part of a `remoteOf` string (`1.2.3.4:5`, `[::1]:5`): IPv4 as is (also when mapped
 * into IPv6), IPv6 as its /64, since one host usually holds a whole /64.
 */
export function addressOf(remote: string): string {
  const host = remote.startsWith('[') ? remote.slice(1, remote.indexOf(']')) : remote.replace(/:\d+$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (mapped?.[1]) return mapped[1];
  if (!host.includes(':')) return host;
  const [head = '', tail] = host.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
