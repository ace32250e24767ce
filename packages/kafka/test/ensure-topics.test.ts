import type { Admin, ITopicConfig } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ensureTopics, type TopicSpec } from '../src/ensure-topics.js';
import { KafkaError } from '../src/errors.js';
import { capturedLogger } from './helpers/captured-logger.js';

const spec = (topic: string, partitions = 6): TopicSpec => ({
  topic,
  partitions,
  replicationFactor: 1,
  retentionMs: 1_000,
});

/** An Admin holding `existing` topics (name → partition count); records what it was asked to create. */
function fakeAdmin(existing: Record<string, number>, fail?: unknown) {
  const created: ITopicConfig[][] = [];
  const admin = {
    async listTopics() {
      if (fail) throw fail;
      return Object.keys(existing);
    },
    async createTopics({ topics }: { topics: ITopicConfig[] }) {
      created.push(topics);
      return true;
    },
    async fetchTopicMetadata({ topics }: { topics: string[] }) {
      return {
        topics: topics.map((name) => ({
          name,
          partitions: Array.from({ length: existing[name] ?? 0 }, (_, partitionId) => ({ partitionId })),
        })),
      };
    },
  };
  return { admin: admin as unknown as Admin, created };
}

describe('ensureTopics', () => {
  it('creates only the missing topics, with partitions, replication and retention', async () => {
    const { admin, created } = fakeAdmin({ 'mekong.telemetry.v1': 6 });
    const { logger, events } = capturedLogger();
    await ensureTopics(admin, [spec('mekong.telemetry.v1'), spec('mekong.dlq.v1', 3)], logger);
    expect(created).toEqual([
      [
        {
          topic: 'mekong.dlq.v1',
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: '1000' }],
        },
      ],
    ]);
    expect(events).toEqual([
      expect.objectContaining({ event: 'kafka_topics_created', topics: ['mekong.dlq.v1'] }),
    ]);
  });

  it('leaves an existing topic with another partition count as it is, with a warning', async () => {
    const { admin, created } = fakeAdmin({ 'mekong.telemetry.v1': 3 });
    const { logger, events } = capturedLogger();
    await ensureTopics(admin, [spec('mekong.telemetry.v1', 6)], logger);
    expect(created).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'kafka_topic_partitions_differ',
        topic: 'mekong.telemetry.v1',
        partitions: 3,
        wanted: 6,
      }),
    ]);
  });

  it('accepts a topic another instance created meanwhile', async () => {
    const { admin } = fakeAdmin({}, Object.assign(new Error('exists'), { type: 'TOPIC_ALREADY_EXISTS' }));
    await expect(ensureTopics(admin, [spec('a')], capturedLogger().logger)).resolves.toBeUndefined();
  });

  it('fails with MEKONG_KAFKA_TOPIC_SETUP_FAILED and the cause otherwise', async () => {
    const cause = new Error('Connection refused');
    const { admin } = fakeAdmin({}, cause);
    const thrown = await ensureTopics(admin, [spec('a')], capturedLogger().logger).catch((error) => error);
    expect(thrown).toBeInstanceOf(KafkaError);
    expect(thrown).toMatchObject({
      code: 'MEKONG_KAFKA_TOPIC_SETUP_FAILED',
      message: 'could not create the Kafka topics: Connection refused',
      cause,
    });
  });
});
