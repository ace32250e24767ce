import type { ClassicLevel } from 'classic-level';
import type { Redis } from 'ioredis';

/**
 * Which identity (username) a client id belongs to. The first identity to connect with a client id
 * claims it; no other identity may connect with it afterwards, so none can take over that client's
 * session, read the commands queued for it, or push it off the broker. Kept where the sessions are:
 * in memory, in the durable store's LevelDB, or in the cluster's Redis, so a claim survives as long as
 * the session it protects.
 */
export interface SessionOwners {
  ownerOf(clientId: string): Promise<string | undefined>;
  claim(clientId: string, username: string): Promise<void>;
  close(): Promise<void>;
}

/** Claims kept in memory; bounded so a client cycling through ids cannot grow it without limit. */
export function memoryOwners(limit = 1_000_000): SessionOwners {
  const owners = new Map<string, string>();
  return {
    ownerOf: async (clientId) => owners.get(clientId),
    claim: async (clientId, username) => {
      if (owners.size >= limit && !owners.has(clientId)) {
        const oldest = owners.keys().next().value;
        if (oldest !== undefined) owners.delete(oldest);
      }
      owners.set(clientId, username);
    },
    close: async () => {},
  };
}

/** Claims in a sublevel of the durable store's LevelDB. */
export function levelOwners(db: ClassicLevel<string, string>): SessionOwners {
  const owners = db.sublevel<string, string>('mekong-session-owners', { valueEncoding: 'utf8' });
  return {
    ownerOf: async (clientId) => (await owners.get(clientId)) ?? undefined,
    claim: async (clientId, username) => owners.put(clientId, username),
    close: async () => {},
  };
}

const REDIS_KEY = 'mekong:session-owners';

/** Claims in the cluster's Redis: one hash, so every broker of the cluster sees the same owners. */
export function redisOwners(redis: Redis): SessionOwners {
  return {
    ownerOf: async (clientId) => (await redis.hget(REDIS_KEY, clientId)) ?? undefined,
    // HSETNX: of two brokers claiming the same id at once, the first one wins.
    claim: async (clientId, username) => {
      await redis.hsetnx(REDIS_KEY, clientId, username);
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
