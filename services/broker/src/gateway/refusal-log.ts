import { type Logger, LogThrottle } from '@mekong/runtime';
import { type RefusalReason, refusals } from '../refusals.js';

const QUIET_MS = 10_000;
/** Addresses remembered at once; past it the memory starts over (an attacker must not grow it). */
const MAX_KEYS = 10_000;
/** Longest client-supplied string written to the log. */
export const MAX_LOGGED_CHARS = 120;

/**
 * Logs refusals with their error code without letting clients flood the log: one line per reason and
 * address every 10 s, carrying how many were skipped, shared by every connection of the broker (a
 * client that reconnects for each attempt is limited like one that does not). Strings the client
 * chose (client id, username, topic) are cut to MAX_LOGGED_CHARS.
 */
export class RefusalLog {
  private throttle = new LogThrottle(QUIET_MS);

  constructor(private readonly logger: Logger) {}

  refused(reason: RefusalReason, address: string, fields: Record<string, unknown>, now = Date.now()): void {
    if (this.throttle.size >= MAX_KEYS) this.throttle = new LogThrottle(QUIET_MS);
    const admitted = this.throttle.admit(`${reason} ${address}`, now);
    if (!admitted) return;
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) safe[key] = clip(value);
    this.logger.warn(
      {
        event: 'refused',
        reason,
        code: refusals[reason].code,
        ...safe,
        ...(admitted.suppressed > 0 ? { skipped: admitted.suppressed } : {}),
      },
      `refused: ${reason.replaceAll('_', ' ')}`,
    );
  }
}

/** A client-supplied value as it may appear in a log line. */
export function clip(value: unknown): unknown {
  if (typeof value !== 'string' || value.length <= MAX_LOGGED_CHARS) return value;
  return `${value.slice(0, MAX_LOGGED_CHARS)}… (${value.length} chars)`;
}

/** The address part of `host:port` or `[v6]:port`. */
export function addressOf(remote: string): string {
  if (remote.startsWith('[')) return remote.slice(1, remote.indexOf(']'));
  const colon = remote.lastIndexOf(':');
  return colon > 0 ? remote.slice(0, colon) : remote;
}
