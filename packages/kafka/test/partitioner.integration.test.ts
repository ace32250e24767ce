import { randomUUID } from 'node:crypto';
import { defaultPartitioner } from '@platformatic/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAdmin, createProducer } from '../src/kafka-client.js';
import { produceWithKcat, readWithKcat } from './helpers/kcat.js';

const brokers = inject('devstack').kafka.brokers;
const admin = createAdmin({ clientId: 'partitioner-test', brokers });

afterAll(async () => {
  await admin.close();
});

// Line paths like ours, UTF-8 names, and lengths 1 to 40 so that every murmur2 tail length (0-3 bytes) occurs.
const keys = [
  ...Array.from({ length: 400 }, (_, i) => `acme/site-${i % 5}/area-${i % 3}/line-${i}`),
  ...Array.from({ length: 200 }, (_, i) => `nhà máy/dây chuyền-${i}`),
  ...Array.from({ length: 400 }, (_, i) => 'k'.repeat(1 + (i % 40)) + String(i)),
];

async function partitionsChosenBy(
  produce: (topic: string) => Promise<void>,
  partitions: number,
): Promise<Map<string, number>> {
  const topic = `partitioner-${randomUUID()}`;
  await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  await produce(topic);
  const rows = await readWithKcat(brokers, topic);
  expect(rows).toHaveLength(keys.length);
  return new Map(rows.map((row) => [row.key, row.partition]));
}

describe('the producer partitions keys', () => {
  it.each([6, 7])(
    "as kcat's murmur2_random (the Java client's choice) does, over %i partitions",
    async (partitions) => {
      const byKcat = await partitionsChosenBy(
        (topic) =>
          produceWithKcat(
            brokers,
            topic,
            keys.map((key, i) => `${key}\tv${i}`),
          ),
        partitions,
      );
      const producer = createProducer({ clientId: 'partitioner-test', brokers });
      try {
        const ours = await partitionsChosenBy(async (topic) => {
          await producer.send({
            messages: keys.map((key, i) => ({ topic, key, value: Buffer.from(`v${i}`) })),
          });
        }, partitions);
        expect(new Set(byKcat.values()).size).toBe(partitions);
        expect(ours).toEqual(byKcat);
      } finally {
        await producer.close();
      }
      // The library's default partitioner would put some of these keys elsewhere: the test can tell.
      const byDefault = keys.filter(
        (key) => defaultPartitioner({ topic: 't' }, Buffer.from(key)) % partitions !== byKcat.get(key),
      );
      expect(byDefault.length).toBeGreaterThan(0);
    },
  );
});
