import { env } from '@mekong/runtime';
import type { TopicSpec } from './ensure-topics.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How a service creates the topics it needs that are missing at start. */
export interface TopicSettings {
  create: boolean;
  partitions: number;
  replicationFactor: number;
  /** Of the telemetry topics. */
  retentionMs: number;
  /** Of mekong.dlq.v1. */
  dlqRetentionMs: number;
}

/** The `MEKONG_KAFKA_*` variables of `TopicSettings`, with defaults, to spread into a service's env schema. */
export const topicSettingsEnv = {
  MEKONG_KAFKA_CREATE_TOPICS: env.boolean(true).describe('create missing Kafka topics at start'),
  MEKONG_KAFKA_TOPIC_PARTITIONS: env.positiveInt(6).describe('partitions of topics the bridge creates'),
  MEKONG_KAFKA_REPLICATION_FACTOR: env
    .positiveInt(1)
    .describe('replication factor of topics the bridge creates (3 on a production cluster)'),
  MEKONG_KAFKA_RETENTION_MS: env
    .positiveInt(7 * DAY_MS)
    .describe('retention of the telemetry topics the bridge creates, in ms'),
  MEKONG_KAFKA_DLQ_RETENTION_MS: env
    .positiveInt(30 * DAY_MS)
    .describe('retention of mekong.dlq.v1 when the bridge creates it, in ms'),
};

/** `TopicSettings` from an env schema parsed with `topicSettingsEnv` in it. */
export function topicSettingsFromEnv(parsed: {
  MEKONG_KAFKA_CREATE_TOPICS: boolean;
  MEKONG_KAFKA_TOPIC_PARTITIONS: number;
  MEKONG_KAFKA_REPLICATION_FACTOR: number;
  MEKONG_KAFKA_RETENTION_MS: number;
  MEKONG_KAFKA_DLQ_RETENTION_MS: number;
}): TopicSettings {
  return {
    create: parsed.MEKONG_KAFKA_CREATE_TOPICS,
    partitions: parsed.MEKONG_KAFKA_TOPIC_PARTITIONS,
    replicationFactor: parsed.MEKONG_KAFKA_REPLICATION_FACTOR,
    retentionMs: parsed.MEKONG_KAFKA_RETENTION_MS,
    dlqRetentionMs: parsed.MEKONG_KAFKA_DLQ_RETENTION_MS,
  };
}

/** What `ensureTopics` should create: the telemetry topics with `retentionMs`, the DLQ with `dlqRetentionMs`. */
export function topicSpecs(
  settings: TopicSettings,
  topics: { telemetry: readonly string[]; dlq: string },
): TopicSpec[] {
  const { partitions, replicationFactor, retentionMs, dlqRetentionMs } = settings;
  return [
    ...topics.telemetry.map((topic) => ({ topic, partitions, replicationFactor, retentionMs })),
    { topic: topics.dlq, partitions, replicationFactor, retentionMs: dlqRetentionMs },
  ];
}
