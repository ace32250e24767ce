import type { Identity } from '../auth/identity.js';
import { TokenBucket } from './rate-limiter.js';

export interface IdentityLimitSettings {
  maxConnectionsPerIdentity: number;
  /** Publishes a second, by role; 0 = unlimited. */
  publishRate: { device: number; service: number; admin: number };
  publishBurst: number;
}

/**
 * Limits that belong to who a client is, not to one of its connections: a device holding five
 * connections gets one device's publish rate and at most `maxConnectionsPerIdentity` of the slots.
 * Admins (operators) and the development-only anonymous user are not limited.
 */
export class IdentityLimits {
  private readonly connections = new Map<string, number>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly settings: IdentityLimitSettings) {}

  /** Takes a connection slot for `identity`; false when it holds as many as it may. */
  acquire(identity: Identity): boolean {
    if (!limited(identity)) return true;
    const held = this.connections.get(identity.username) ?? 0;
    if (held >= this.settings.maxConnectionsPerIdentity) return false;
    this.connections.set(identity.username, held + 1);
    return true;
  }

  release(identity: Identity): void {
    if (!limited(identity)) return;
    const held = (this.connections.get(identity.username) ?? 1) - 1;
    if (held > 0) this.connections.set(identity.username, held);
    else {
      this.connections.delete(identity.username);
      this.buckets.delete(identity.username);
    }
  }

  /** The publish bucket every connection of `identity` draws from; undefined when unlimited. */
  bucket(identity: Identity, now: number): TokenBucket | undefined {
    if (identity.role === 'anonymous') return undefined;
    const rate = this.settings.publishRate[identity.role];
    if (rate <= 0) return undefined;
    let bucket = this.buckets.get(identity.username);
    if (!bucket) {
      bucket = new TokenBucket(rate, Math.max(1, this.settings.publishBurst), now);
      this.buckets.set(identity.username, bucket);
    }
    return bucket;
  }
}

function limited(identity: Identity): boolean {
  return identity.role === 'device' || identity.role === 'service';
}
