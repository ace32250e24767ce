import { describe, expect, it } from 'vitest';
import { topicSettingsEnv, topicSettingsFromEnv, topicSpecs } from '../src/topic-settings.js';

/** What `loadConfig` does with these variables inside a service's env schema. */
function fromEnvironment(environment: Record<string, string>) {
  const variables = topicSettingsEnv;
  return topicSettingsFromEnv({
    MEKONG_KAFKA_CREATE_TOPICS: variables.MEKONG_KAFKA_CREATE_TOPICS.parse(
      environment.MEKONG_KAFKA_CREATE_TOPICS,
    ),
    MEKONG_KAFKA_TOPIC_PARTITIONS: variables.MEKONG_KAFKA_TOPIC_PARTITIONS.parse(
      environment.MEKONG_KAFKA_TOPIC_PARTITIONS,
    ),
    MEKONG_KAFKA_REPLICATION_FACTOR: variables.MEKONG_KAFKA_REPLICATION_FACTOR.parse(
      environment.MEKONG_KAFKA_REPLICATION_FACTOR,
    ),
    MEKONG_KAFKA_RETENTION_MS: variables.MEKONG_KAFKA_RETENTION_MS.parse(
      environment.MEKONG_KAFKA_RETENTION_MS,
    ),
    MEKONG_KAFKA_DLQ_RETENTION_MS: variables.MEKONG_KAFKA_DLQ_RETENTION_MS.parse(
      environment.MEKONG_KAFKA_DLQ_RETENTION_MS,
    ),
  });
}

describe('topicSettingsEnv', () => {
  it('defaults to creating 6-partition topics kept 7 days, the DLQ 30 days', () => {
    expect(fromEnvironment({})).toEqual({
      create: true,
      partitions: 6,
      replicationFactor: 1,
      retentionMs: 7 * 24 * 3600 * 1000,
      dlqRetentionMs: 30 * 24 * 3600 * 1000,
    });
  });

  it('reads every variable', () => {
    expect(
      fromEnvironment({
        MEKONG_KAFKA_CREATE_TOPICS: 'false',
        MEKONG_KAFKA_TOPIC_PARTITIONS: '12',
        MEKONG_KAFKA_REPLICATION_FACTOR: '3',
        MEKONG_KAFKA_RETENTION_MS: '1000',
        MEKONG_KAFKA_DLQ_RETENTION_MS: '2000',
      }),
    ).toEqual({
      create: false,
      partitions: 12,
      replicationFactor: 3,
      retentionMs: 1000,
      dlqRetentionMs: 2000,
    });
  });

  it('refuses a partition count of 0', () => {
    expect(() => fromEnvironment({ MEKONG_KAFKA_TOPIC_PARTITIONS: '0' })).toThrow();
  });
});

describe('topicSpecs', () => {
  it('gives the telemetry topics their retention and the DLQ its own', () => {
    const settings = {
      create: true,
      partitions: 3,
      replicationFactor: 2,
      retentionMs: 10,
      dlqRetentionMs: 20,
    };
    expect(topicSpecs(settings, { telemetry: ['mekong.a.v1', 'mekong.b.v1'], dlq: 'mekong.dlq.v1' })).toEqual(
      [
        { topic: 'mekong.a.v1', partitions: 3, replicationFactor: 2, retentionMs: 10 },
        { topic: 'mekong.b.v1', partitions: 3, replicationFactor: 2, retentionMs: 10 },
        { topic: 'mekong.dlq.v1', partitions: 3, replicationFactor: 2, retentionMs: 20 },
      ],
    );
  });
});
