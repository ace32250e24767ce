import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { devstackKill, devstackRestart } from '@mekong/devstack';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAdmin, createProducer } from '../src/kafka-client.js';
import { readWithKcat } from './helpers/kcat.js';

const brokers = inject('devstack').kafka.brokers;
const devstackConfig = inject('devstackConfig');
const admin = createAdmin({ clientId: 'idempotence-test', brokers });

afterAll(async () => {
  await admin.close();
});

describe('the idempotent producer', () => {
  it('writes every record exactly once while Kafka is killed with SIGKILL and restarted mid-stream', async () => {
    const topic = `idempotence-${randomUUID()}`;
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
    const producer = createProducer({ clientId: 'idempotence-test', brokers });
    const total = 3_000;
    const batch = 50;
    let acknowledged = 0;
    let failedSends = 0;
    const outage = (async () => {
      while (acknowledged < 600) await sleep(5);
      await devstackKill(devstackConfig, 'kafka');
      await sleep(1_000);
      await devstackRestart(devstackConfig, 'kafka', () => undefined);
    })();
    try {
      for (let first = 0; first < total; first += batch) {
        const messages = Array.from({ length: batch }, (_, i) => ({
          topic,
          key: `line-${(first + i) % 7}`,
          value: Buffer.from(String(first + i)),
        }));
        // As the bridge does: the same batch again until Kafka acknowledges it.
        for (;;) {
          try {
            await producer.send({ messages });
            break;
          } catch {
            failedSends++;
            await sleep(250);
          }
        }
        acknowledged = first + batch;
      }
      await outage;
    } finally {
      await producer.close().catch(() => undefined);
    }
    expect(failedSends).toBeGreaterThan(0);
    const seen = (await readWithKcat(brokers, topic)).map((row) => Number(row.value));
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(total - 1);
  });
});
