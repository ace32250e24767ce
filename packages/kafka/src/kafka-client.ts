import {
  Admin,
  Consumer,
  FetchIsolationLevels,
  ProduceAcks,
  Producer,
  type ProducerOptions,
  stringDeserializer,
  stringSerializer,
} from '@platformatic/kafka';
import { cachingCompatiblePartitioner } from './compatible-partitioner.js';

export interface KafkaClientSettings {
  clientId: string;
  /** Bootstrap servers, `host:port`. */
  brokers: string[];
}

/**
 * The client's own retries of a request: short, so that an outage reaches the service's own retry loop
 * (and /health) within a couple of seconds instead of hiding inside the client.
 */
export const KAFKA_CLIENT_RETRY = { retries: 3, retryDelay: 250 };

const baseOptions = (settings: KafkaClientSettings) => ({
  clientId: settings.clientId,
  bootstrapBrokers: settings.brokers,
  connectTimeout: 3_000,
  requestTimeout: 30_000,
  timeout: 30_000,
  ...KAFKA_CLIENT_RETRY,
});

/** Keys and header values as strings or bytes; values as bytes; header names as strings. */
export type MekongProducer = Producer<string | Buffer, Buffer, string, string | Buffer>;
/** Keys and values as bytes (null when absent), header names as strings, header values as bytes. */
export type MekongConsumer = Consumer<Buffer, Buffer, string, Buffer>;

const bytes = (data?: string | Buffer): Buffer | undefined =>
  typeof data === 'string' ? Buffer.from(data) : data;
const asIs = (data?: Buffer): Buffer | undefined => data;

export interface ProducerSettings {
  /** gzip runs on the event loop (zlib's synchronous calls); lz4 is WebAssembly and far cheaper. */
  compression?: 'lz4' | 'gzip' | 'none';
  /** Makes the producer transactional; stable across restarts so that a new instance fences the old one. */
  transactionalId?: string;
}

/**
 * The producer every Mekong service uses: idempotent, acks = all, keys partitioned as the Java clients
 * do, topics never auto-created. Callers keep one send in flight when order matters.
 */
export function createProducer(
  settings: KafkaClientSettings,
  options: ProducerSettings = {},
): MekongProducer {
  const producerOptions: ProducerOptions<string | Buffer, Buffer, string, string | Buffer> = {
    ...baseOptions(settings),
    idempotent: true,
    acks: ProduceAcks.ALL,
    partitioner: cachingCompatiblePartitioner(),
    autocreateTopics: false,
    serializers: { key: bytes, value: asIs, headerKey: stringSerializer, headerValue: bytes },
  };
  if (options.compression !== undefined && options.compression !== 'none')
    producerOptions.compression = options.compression;
  if (options.transactionalId !== undefined) producerOptions.transactionalId = options.transactionalId;
  return new Producer(producerOptions);
}

export interface ConsumerSettings {
  groupId: string;
  /** A member that died is noticed (and its partitions handed over) within this time. */
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxBytesPerPartition?: number;
  maxWaitTimeMs?: number;
  /** Only records of committed transactions (and non-transactional ones); the default. */
  readCommitted?: boolean;
}

/** A consumer group member; offsets are committed by the caller, never automatically. */
export function createConsumer(settings: KafkaClientSettings, options: ConsumerSettings): MekongConsumer {
  return new Consumer<Buffer, Buffer, string, Buffer>({
    ...baseOptions(settings),
    groupId: options.groupId,
    autocommit: false,
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    rebalanceTimeout: options.rebalanceTimeoutMs ?? 30_000,
    heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
    ...(options.maxBytesPerPartition === undefined
      ? {}
      : { maxBytesPerPartition: options.maxBytesPerPartition }),
    maxWaitTime: options.maxWaitTimeMs ?? 500,
    isolationLevel:
      options.readCommitted === false
        ? FetchIsolationLevels.READ_UNCOMMITTED
        : FetchIsolationLevels.READ_COMMITTED,
    deserializers: { key: asIs, value: asIs, headerKey: stringDeserializer, headerValue: asIs },
  });
}

/** An admin client (topic creation, group offsets) with the same timeouts and retries. */
export function createAdmin(settings: KafkaClientSettings): Admin {
  return new Admin(baseOptions(settings));
}
