import { randomUUID } from 'node:crypto';
import { type Message, MessagesStreamFallbackModes, MessagesStreamModes } from '@platformatic/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAdmin, createConsumer, createProducer, type MekongConsumer } from '../src/kafka-client.js';
import { readWithKcat } from './helpers/kcat.js';

const brokers = inject('devstack').kafka.brokers;
const admin = createAdmin({ clientId: 'transactions-test', brokers });

afterAll(async () => {
  await admin.close();
});

type Record = Message<Buffer, Buffer, string, Buffer>;

/** The next `count` records the group reads from `topic`, from its committed offset on. */
async function readNext(consumer: MekongConsumer, topic: string, count: number): Promise<Record[]> {
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
  });
  const read: Record[] = [];
  for await (const message of stream) {
    read.push(message);
    if (read.length === count) break;
  }
  await stream.close();
  return read;
}

async function waitForCommittedOffset(groupId: string, topic: string, offset: bigint): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId], requireStable: true });
    const committed = group?.topics.find((t) => t.name === topic)?.partitions[0]?.committedOffset;
    if (committed === offset) return;
    if (Date.now() > deadline)
      throw new Error(`committed offset of ${groupId} is ${committed}, not ${offset}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a transaction', () => {
  it('makes its records and its consumer offsets visible together, and neither when aborted', async () => {
    const input = `tx-in-${randomUUID()}`;
    const output = `tx-out-${randomUUID()}`;
    const groupId = `tx-${randomUUID()}`;
    await admin.createTopics({ topics: [input, output], partitions: 1, replicas: 1 });
    const plain = createProducer({ clientId: 'transactions-test', brokers });
    const transactional = createProducer(
      { clientId: 'transactions-test', brokers },
      { transactionalId: `tx-${randomUUID()}` },
    );
    const consumer = createConsumer({ clientId: 'transactions-test', brokers }, { groupId });
    const processIn = async (records: Record[], outcome: 'commit' | 'abort') => {
      const transaction = await transactional.beginTransaction();
      await transaction.addConsumer(consumer);
      await transaction.send({
        messages: records.map((record) => ({
          topic: output,
          key: record.key,
          value: Buffer.from(`out-${record.value.toString()}`),
        })),
      });
      await transaction.addOffset(records.at(-1) as Record);
      if (outcome === 'commit') await transaction.commit();
      else await transaction.abort();
    };
    const inputRecords = (from: number) =>
      Array.from({ length: 10 }, (_, i) => ({
        topic: input,
        key: 'line-1',
        value: Buffer.from(String(from + i)),
      }));

    try {
      await plain.send({ messages: inputRecords(0) });
      await processIn(await readNext(consumer, input, 10), 'commit');
      // The offsets of a committed transaction become readable once its markers are written; a read in
      // between can still see the offsets before it. Kafka answers for them once stable (requireStable).
      await waitForCommittedOffset(groupId, input, 10n);
      await plain.send({ messages: inputRecords(10) });
      const second = await readNext(consumer, input, 10);
      expect(second.map((record) => record.value.toString())).toEqual(
        Array.from({ length: 10 }, (_, i) => String(10 + i)),
      );
      await processIn(second, 'abort');
    } finally {
      await consumer.close(true);
      await transactional.close();
      await plain.close();
    }

    const committedOnly = await readWithKcat(brokers, output, 'read_committed');
    expect(committedOnly.map((row) => row.value)).toEqual(Array.from({ length: 10 }, (_, i) => `out-${i}`));
    // The aborted records are in the log, only hidden from read_committed readers.
    const everything = await readWithKcat(brokers, output, 'read_uncommitted');
    expect(everything.map((row) => row.value)).toEqual(Array.from({ length: 20 }, (_, i) => `out-${i}`));

    const offsets = await admin.listConsumerGroupOffsets({
      groups: [{ groupId, topics: [{ name: input, partitionIndexes: [0] }] }],
    });
    expect(offsets[0]?.topics[0]?.partitions[0]?.committedOffset).toBe(10n);
    // So the group reads the aborted transaction's input again.
    const again = createConsumer({ clientId: 'transactions-test-2', brokers }, { groupId });
    try {
      const reread = await readNext(again, input, 10);
      expect(reread.map((record) => record.value.toString())).toEqual(
        Array.from({ length: 10 }, (_, i) => String(10 + i)),
      );
    } finally {
      await again.close(true);
    }
  });
});
