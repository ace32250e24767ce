import { chmod, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeSecretDir } from '@mekong/runtime';
import memoryPersistence from 'aedes-persistence';
import levelPersistence from 'aedes-persistence-level';
import redisPersistence from 'aedes-persistence-redis';
import { ClassicLevel } from 'classic-level';
import { Redis } from 'ioredis';
import mqemitter, { type MQEmitter } from 'mqemitter';
import MQEmitterRedis from 'mqemitter-redis';
import { BrokerError } from '../errors.js';
import { makeStackSafe } from '../mq/stack-safe-emitter.js';
import { levelOwners, memoryOwners, redisOwners, type SessionOwners } from '../sessions/session-owners.js';
import { settlePublishStepsInOrder } from './in-call-order.js';
import { indexOutgoingQueues } from './indexed-outgoing.js';

export type PersistenceMode = 'memory' | 'durable' | 'redis';

export interface PersistenceSettings {
  mode: PersistenceMode;
  /** durable: where the LevelDB files live. */
  dataDir?: string;
  /** redis: `redis://[:password@]host:port[/db]`. */
  redisUrl?: string;
  /** Deliveries in flight inside the broker before new ones queue (aedes `concurrency`). */
  concurrency: number;
}

/** What aedes is built with, and how to release it after `aedes.close()`. */
export interface BrokerStorage {
  mq: MQEmitter;
  persistence: unknown;
  /** Which identity each client id belongs to, kept beside the sessions. */
  owners: SessionOwners;
  describe: string;
  close(): Promise<void>;
}

/**
 * - memory: sessions, QoS 1/2 queues and retained messages in this process only (lost on restart);
 * - durable: the same in LevelDB on disk, so persistent sessions' QoS 1 messages survive a restart;
 * - redis: persistence and message routing through Redis, so several broker processes act as one
 *   (a subscriber on one receives what is published on another).
 * Every emitter is made stack-safe (see mq/stack-safe-emitter.ts); asynchronous stores settle the
 * steps of a publish in call order (see in-call-order.ts).
 */
export async function createStorage(settings: PersistenceSettings): Promise<BrokerStorage> {
  switch (settings.mode) {
    case 'memory':
      return {
        mq: makeStackSafe(mqemitter({ concurrency: settings.concurrency, matchEmptyLevels: true })),
        persistence: indexOutgoingQueues(memoryPersistence()),
        owners: memoryOwners(),
        describe: 'memory',
        close: async () => {},
      };
    case 'durable': {
      if (!settings.dataDir) {
        throw new BrokerError(
          'MEKONG_BROKER_BAD_CONFIG',
          'durable persistence needs a data directory (MEKONG_BROKER_DATA_DIR)',
        );
      }
      // Queued messages and wills: the folder is made 0700 at every start, which keeps every file in
      // it from other users whatever its mode. LevelDB creates its files with the process umask
      // (usually 0644), and a umask is process-wide (`mekong start` runs several services in one
      // process), so the files present after opening are set to 0600 as well; those LevelDB creates
      // later are protected by the folder.
      await makeSecretDir(settings.dataDir);
      const db = new ClassicLevel(settings.dataDir);
      await db.open();
      await restrictFiles(settings.dataDir);
      const persistence = settlePublishStepsInOrder(levelPersistence(db));
      return {
        mq: makeStackSafe(mqemitter({ concurrency: settings.concurrency, matchEmptyLevels: true })),
        persistence,
        owners: levelOwners(db),
        describe: `durable (${settings.dataDir})`,
        close: async () => {
          await persistence.destroy().catch(() => undefined);
          if (db.status === 'open') await db.close();
        },
      };
    }
    case 'redis': {
      if (!settings.redisUrl) {
        throw new BrokerError(
          'MEKONG_BROKER_BAD_CONFIG',
          'cluster mode needs a Redis URL (MEKONG_BROKER_REDIS_URL)',
        );
      }
      const options = redisOptions(settings.redisUrl);
      const mq = makeStackSafe(
        MQEmitterRedis({
          ...options,
          concurrency: settings.concurrency,
          matchEmptyLevels: true,
        }) as unknown as MQEmitter,
      );
      const persistence = settlePublishStepsInOrder(redisPersistence({ ...options }));
      const owners = redisOwners(new Redis({ ...options, lazyConnect: false, maxRetriesPerRequest: 3 }));
      return {
        mq,
        persistence,
        owners,
        describe: `redis (${options.host}:${options.port})`,
        close: async () => {
          await persistence.destroy().catch(() => undefined);
          await owners.close();
        },
      };
    }
  }
}

function redisOptions(url: string): { host: string; port: number; password?: string; db?: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new BrokerError('MEKONG_BROKER_BAD_CONFIG', `MEKONG_BROKER_REDIS_URL "${url}" is not a URL`, {
      cause,
    });
  }
  if (parsed.protocol !== 'redis:') {
    throw new BrokerError(
      'MEKONG_BROKER_BAD_CONFIG',
      `MEKONG_BROKER_REDIS_URL must start with redis://, got "${url}"`,
    );
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
  };
}

/** Sets the files directly in `dir` to 0600 (LevelDB's store has no subfolders). */
async function restrictFiles(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    // A file LevelDB removed meanwhile (compaction) needs nothing.
    await chmod(join(dir, entry.name), 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
