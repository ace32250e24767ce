import { describe, expect, it } from 'vitest';
import { cachingCompatiblePartitioner } from '../src/compatible-partitioner.js';

const message = { topic: 't' };
const partitionOf = (
  key: Buffer | undefined,
  partitions: number,
  partitioner = cachingCompatiblePartitioner(),
) => partitioner(message, key) % partitions;

describe('cachingCompatiblePartitioner', () => {
  // murmur2 values from the Java client's own test (org.apache.kafka.common.utils.UtilsTest#testMurmur2);
  // the Java partitioner takes `hash & 0x7fffffff` modulo the partition count.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('puts %s where the Java client does (murmur2 %i), asked once or again', (key, javaHash) => {
    const partitioner = cachingCompatiblePartitioner();
    for (const partitions of [1, 6, 7, 64, 2_147_483_647]) {
      const expected = (javaHash & 0x7fffffff) % partitions;
      expect(partitionOf(Buffer.from(key), partitions, partitioner)).toBe(expected);
      expect(partitionOf(Buffer.from(key), partitions, partitioner)).toBe(expected);
    }
  });

  it('spreads keyless records over the partitions', () => {
    const partitioner = cachingCompatiblePartitioner();
    const chosen = new Set(Array.from({ length: 60 }, () => partitionOf(undefined, 6, partitioner)));
    expect(chosen.size).toBe(6);
  });
});
