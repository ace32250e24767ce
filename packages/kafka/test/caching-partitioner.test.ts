import fc from 'fast-check';
import { type PartitionerArgs, Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { CachingDefaultPartitioner } from '../src/caching-partitioner.js';

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    partitionErrorCode: 0,
  }));

const args = (
  topic: string,
  count: number,
  key: Buffer | string | null,
  partition?: number,
): PartitionerArgs => ({
  topic,
  partitionMetadata: metadata(count),
  message: { key, value: 'v', ...(partition === undefined ? {} : { partition }) },
});

describe('CachingDefaultPartitioner', () => {
  it("chooses the partition kafkajs' DefaultPartitioner (murmur2, Java-compatible) chooses, asked once or many times", () => {
    const cached = CachingDefaultPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(
        fc.constantFrom('mekong.count.v1', 'mekong.state.v1'),
        fc.integer({ min: 1, max: 64 }),
        fc.oneof(
          fc.string(),
          fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
        ),
        (topic, count, key) => {
          const expected = reference(args(topic, count, key));
          expect(cached(args(topic, count, key))).toBe(expected);
          expect(cached(args(topic, count, key))).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a string key and a Buffer key with the same latin1 text apart when their bytes differ', () => {
    const cached = CachingDefaultPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    // 'é' is the byte e9 in latin1 but c3 a9 in UTF-8, which kafkajs hashes for a string key.
    const text = 'line-é';
    for (const key of [text, Buffer.from(text, 'latin1')]) {
      expect(cached(args('t', 31, key))).toBe(reference(args('t', 31, key)));
    }
  });

  it('honours an explicit partition and spreads keyless records over the partitions', () => {
    const cached = CachingDefaultPartitioner();
    expect(cached(args('t', 6, 'acme/hcm/a/line-1', 4))).toBe(4);
    const chosen = new Set(Array.from({ length: 60 }, () => cached(args('t', 6, null))));
    expect(chosen.size).toBe(6);
  });
});
