import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createLogger } from '@mekong/runtime';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/core/process-records.js';
import { GroupReader, type GroupReaderSettings, type ReaderConsumer } from '../../src/kafka/group-reader.js';

/** A consumer whose stream the test writes records into; commits are recorded as `topic/partition@offset`. */
function fakeConsumer() {
  const stream = Object.assign(new PassThrough({ objectMode: true }), {
    close: async () => undefined,
    isActive: () => true,
  });
  const commits: string[] = [];
  // The group as the consumer sees it: every partition written to is assigned, until a test changes it.
  const owned = new Map<string, Set<number>>();
  const consumer = Object.assign(new EventEmitter(), {
    consume: async () => stream,
    startLagMonitoring: () => undefined,
    stopLagMonitoring: () => undefined,
    close: async () => undefined,
    generationId: 1,
  });
  // A getter of its own: Object.assign would copy one value of it.
  Object.defineProperty(consumer, 'assignments', {
    get: () => [...owned].map(([topic, partitions]) => ({ topic, partitions: [...partitions] })),
  });
  const write = (topic: string, partition: number, offsets: number[]) => {
    owned.set(topic, (owned.get(topic) ?? new Set()).add(partition));
    for (const offset of offsets) {
      stream.write({
        topic,
        partition,
        offset: BigInt(offset),
        key: Buffer.from('line'),
        value: Buffer.from(String(offset)),
        headers: new Map([['mekong-mqtt-topic', Buffer.from('t')]]),
        commit: async () => {
          commits.push(`${topic}/${partition}@${offset}`);
        },
      });
    }
  };
  const rebalance = () => {
    consumer.generationId++;
    owned.clear();
  };
  return { consumer: consumer as unknown as ReaderConsumer, stream, commits, write, rebalance };
}

/** processBatch that holds each batch until the test releases it. */
function heldBatches() {
  const batches: Array<{ records: SourceRecord[]; release(): void }> = [];
  return {
    batches,
    processBatch: (records: SourceRecord[]) =>
      new Promise<void>((resolve) => {
        batches.push({ records, release: resolve });
      }),
  };
}

const settings = (overrides: Partial<GroupReaderSettings> = {}): GroupReaderSettings => ({
  topics: ['mekong.count.v1'],
  fromBeginning: true,
  partitionsConcurrently: 6,
  maxBatchRecords: 100,
  maxBufferedRecords: 1_000,
  ...overrides,
});

function start(overrides: Partial<GroupReaderSettings> = {}) {
  const fake = fakeConsumer();
  const held = heldBatches();
  const reader = new GroupReader(
    fake.consumer,
    settings(overrides),
    {
      processBatch: held.processBatch,
      onJoined: () => undefined,
      onCommitted: () => undefined,
      onCommitFailed: () => undefined,
      onFailed: () => undefined,
      onLag: () => undefined,
    },
    createLogger({ service: 'test', level: 'silent' }),
  );
  return { ...fake, ...held, reader };
}

const offsetsOf = (records: SourceRecord[]) => records.map((record) => Number(record.offset));
const settle = async () => {
  for (let i = 0; i < 5; i++) await nextTurn();
};

describe('GroupReader', () => {
  it("hands a partition's records over in order, one batch at a time, and commits a batch once processed", async () => {
    const { reader, write, batches, commits } = start();
    await reader.start();
    write('mekong.count.v1', 0, [0, 1, 2, 3, 4]);
    await settle();
    expect(batches.map((batch) => offsetsOf(batch.records))).toEqual([[0, 1, 2, 3, 4]]);
    write('mekong.count.v1', 0, [5, 6]);
    await settle();
    expect(batches).toHaveLength(1);
    expect(commits).toEqual([]);
    batches[0]?.release();
    await settle();
    expect(commits).toEqual(['mekong.count.v1/0@4']);
    expect(batches.map((batch) => offsetsOf(batch.records))).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6],
    ]);
    batches[1]?.release();
    await settle();
    expect(commits).toEqual(['mekong.count.v1/0@4', 'mekong.count.v1/0@6']);
  });

  it('does not commit a batch whose partition was taken away by a rebalance while it was processed', async () => {
    const { reader, write, batches, commits, rebalance } = start();
    await reader.start();
    write('mekong.count.v1', 0, [0, 1, 2]);
    await settle();
    rebalance();
    batches[0]?.release();
    await settle();
    // Its new owner reads the records from the group's committed offset; committing here would move it.
    expect(commits).toEqual([]);
  });

  it('processes different partitions at once, at most partitionsConcurrently, batches of maxBatchRecords', async () => {
    const { reader, write, batches } = start({ partitionsConcurrently: 2, maxBatchRecords: 2 });
    await reader.start();
    write('mekong.count.v1', 0, [0, 1, 2]);
    write('mekong.count.v1', 1, [10]);
    write('mekong.count.v1', 2, [20]);
    await settle();
    expect(batches.map((batch) => [batch.records[0]?.partition, offsetsOf(batch.records)])).toEqual([
      [0, [0, 1]],
      [1, [10]],
    ]);
    batches[1]?.release();
    await settle();
    expect(batches.map((batch) => offsetsOf(batch.records))).toEqual([[0, 1], [10], [20]]);
  });

  it('skips a record fetched again after a rebalance when it is already queued or processed', async () => {
    const { reader, write, batches, commits } = start();
    await reader.start();
    write('mekong.count.v1', 0, [0, 1, 2]);
    await settle();
    write('mekong.count.v1', 0, [1, 2, 3]);
    await settle();
    batches[0]?.release();
    await settle();
    expect(batches.map((batch) => offsetsOf(batch.records))).toEqual([[0, 1, 2], [3]]);
    batches[1]?.release();
    await settle();
    expect(commits).toEqual(['mekong.count.v1/0@2', 'mekong.count.v1/0@3']);
  });

  it('stops reading the stream while maxBufferedRecords are held, and while paused by the caller', async () => {
    const { reader, write, batches, stream } = start({ maxBufferedRecords: 3 });
    await reader.start();
    write('mekong.count.v1', 0, [0, 1, 2]);
    await settle();
    expect(stream.isPaused()).toBe(true);
    batches[0]?.release();
    await settle();
    expect(stream.isPaused()).toBe(false);
    reader.pause(true);
    expect(stream.isPaused()).toBe(true);
    reader.pause(false);
    expect(stream.isPaused()).toBe(false);
  });

  it('on close finishes and commits the batch in progress, and leaves queued records uncommitted', async () => {
    const { reader, write, batches, commits } = start();
    await reader.start();
    write('mekong.count.v1', 0, [0, 1]);
    await settle();
    write('mekong.count.v1', 0, [2]);
    await settle();
    const closed = reader.close();
    await settle();
    batches[0]?.release();
    await closed;
    expect(commits).toEqual(['mekong.count.v1/0@1']);
    expect(batches).toHaveLength(1);
  });
});
