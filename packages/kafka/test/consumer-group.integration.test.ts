import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MessagesStreamFallbackModes, MessagesStreamModes } from '@platformatic/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAdmin, createConsumer, createProducer, type MekongConsumer } from '../src/kafka-client.js';
import { commitIfStillOwned } from '../src/owned-commit.js';

const brokers = inject('devstack').kafka.brokers;
const admin = createAdmin({ clientId: 'group-test', brokers });

afterAll(async () => {
  await admin.close();
});

interface Member {
  name: string;
  consumer: MekongConsumer;
  delivered: number;
  close(): Promise<void>;
}

describe('a consumer group', () => {
  it('hands partitions over between two members without losing or re-delivering committed records', async () => {
    const topic = `group-${randomUUID()}`;
    const groupId = `group-${randomUUID()}`;
    await admin.createTopics({ topics: [topic], partitions: 6, replicas: 1 });
    const producer = createProducer({ clientId: 'group-test', brokers });
    const produce = async (from: number, count: number) => {
      await producer.send({
        messages: Array.from({ length: count }, (_, i) => ({
          topic,
          key: `line-${(from + i) % 12}`,
          value: Buffer.from(String(from + i)),
        })),
      });
    };
    const committed = new Set<number>();
    const delivered = new Map<number, number>();
    const redeliveredAfterCommit: number[] = [];

    const join = async (name: string): Promise<Member> => {
      const consumer = createConsumer({ clientId: name, brokers }, { groupId, sessionTimeoutMs: 10_000 });
      const stream = await consumer.consume({
        topics: [topic],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      });
      const member: Member = {
        name,
        consumer,
        delivered: 0,
        close: async () => {
          await stream.close();
          await consumer.close();
        },
      };
      stream.on('data', (message) => {
        const seq = Number(message.value.toString());
        member.delivered++;
        if (committed.has(seq)) redeliveredAfterCommit.push(seq);
        delivered.set(seq, (delivered.get(seq) ?? 0) + 1);
        // A commit that loses to a rebalance leaves the record uncommitted: it may come again, and may.
        commitIfStillOwned(consumer, message, consumer.generationId).then(
          (made) => {
            if (made) committed.add(seq);
          },
          () => undefined,
        );
      });
      stream.on('error', () => undefined);
      return member;
    };

    try {
      await produce(0, 600);
      const first = await join('member-a');
      while (committed.size < 300) await sleep(20);
      const second = await join('member-b');
      for (let from = 600; from < 1_800; from += 100) {
        await produce(from, 100);
        await sleep(100);
      }
      const deadline = Date.now() + 60_000;
      while (committed.size < 1_800 && Date.now() < deadline) await sleep(50);
      expect(second.delivered).toBeGreaterThan(0);
      expect(first.delivered).toBeGreaterThan(300);
      await first.close();
      await second.close();
    } finally {
      await producer.close();
    }

    expect(redeliveredAfterCommit).toEqual([]);
    expect(committed.size).toBe(1_800);
    expect([...delivered.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 1_800 }, (_, i) => i));
    // The group's committed offsets cover every record of every partition.
    const offsets = await admin.listConsumerGroupOffsets({
      groups: [{ groupId, topics: [{ name: topic, partitionIndexes: [0, 1, 2, 3, 4, 5] }] }],
    });
    const total = offsets[0]?.topics
      .flatMap((t) => t.partitions)
      .reduce((sum, p) => sum + Number(p.committedOffset), 0);
    expect(total).toBe(1_800);
  });
});
