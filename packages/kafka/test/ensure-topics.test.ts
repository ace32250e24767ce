import { describe, expect, it } from 'vitest';
import { ensureTopics, type TopicAdmin, type TopicSpec } from '../src/ensure-topics.js';
import { KafkaError } from '../src/errors.js';
import { capturedLogger } from './helpers/captured-logger.js';

const spec = (topic: string, partitions = 6): TopicSpec => ({
  topic,
  partitions,
  replicationFactor: 1,
  retentionMs: 1_000,
});

interface CreateRequest {
  topics: string[];
  partitions?: number;
  replicas?: number;
  configs?: Array<{ name: string; value?: string | null }>;
}

/**
 * An admin holding `existing` topics (name → partition count); records what it was asked to create.
 * `racing` topics appear (created by someone else) when this admin tries to create them.
 */
function fakeAdmin(existing: Record<string, number>, options: { fail?: unknown; racing?: string[] } = {}) {
  const created: CreateRequest[] = [];
  const admin = {
    async listTopics() {
      if (options.fail) throw options.fail;
      return Object.keys(existing);
    },
    async createTopics(request: CreateRequest) {
      const topic = request.topics[0] as string;
      if (options.racing?.includes(topic)) {
        existing[topic] = 6;
        throw new Error('Topic already exists');
      }
      created.push(request);
      existing[topic] = request.partitions ?? 1;
      return [];
    },
    async metadata({ topics }: { topics: string[] }) {
      return {
        topics: new Map(topics.map((name) => [name, { partitionsCount: existing[name] ?? 0 }])),
      };
    },
  };
  return { admin: admin as unknown as TopicAdmin, created };
}

describe('ensureTopics', () => {
  it('creates only the missing topics, with partitions, replication and retention', async () => {
    const { admin, created } = fakeAdmin({ 'mekong.telemetry.v1': 6 });
    const { logger, events } = capturedLogger();
    await ensureTopics(admin, [spec('mekong.telemetry.v1'), spec('mekong.dlq.v1', 3)], logger);
    expect(created).toEqual([
      {
        topics: ['mekong.dlq.v1'],
        partitions: 3,
        replicas: 1,
        configs: [{ name: 'retention.ms', value: '1000' }],
      },
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
    const { admin, created } = fakeAdmin({}, { racing: ['a'] });
    await expect(
      ensureTopics(admin, [spec('a'), spec('b')], capturedLogger().logger),
    ).resolves.toBeUndefined();
    expect(created.map((request) => request.topics)).toEqual([['b']]);
  });

  it('fails with MEKONG_KAFKA_TOPIC_SETUP_FAILED and the cause otherwise', async () => {
    const cause = new Error('Connection refused');
    const { admin } = fakeAdmin({}, { fail: cause });
    const thrown = await ensureTopics(admin, [spec('a')], capturedLogger().logger).catch((error) => error);
    expect(thrown).toBeInstanceOf(KafkaError);
    expect(thrown).toMatchObject({
      code: 'MEKONG_KAFKA_TOPIC_SETUP_FAILED',
      message: 'could not create the Kafka topics: Connection refused',
      cause,
    });
  });
});
