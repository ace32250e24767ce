import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { devstackKill, devstackRestart, devstackStatus } from '../../src/devstack.js';

const execFileAsync = promisify(execFile);
const endpoints = inject('devstack');
const config = inject('devstackConfig');
const brokers = endpoints.kafka.brokers;
const kafka = new Kafka({ clientId: 'devstack-test', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();

afterAll(async () => {
  await admin.disconnect();
});

async function createTopic(): Promise<string> {
  const topic = `devstack-test-${randomUUID()}`;
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  return topic;
}

/** Reads every record of a topic with kcat, an independent client (librdkafka). */
async function readWithKcat(topic: string): Promise<string[]> {
  const { stdout } = await execFileAsync(
    'kcat',
    ['-b', brokers.join(','), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k=%s\\n'],
    { timeout: 30_000 },
  );
  return stdout.split('\n').filter((line) => line.length > 0);
}

async function produceWithKafkajs(
  topic: string,
  records: Array<{ key: string; value: string }>,
): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records });
  } finally {
    await producer.disconnect();
  }
}

async function consumeWithKafkajs(topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `devstack-test-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${seen.length} of ${count} records arrived`)),
        60_000,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(`${message.key?.toString()}=${message.value?.toString()}`);
          if (seen.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('Kafka from the devstack', () => {
  it('serves a record produced with kafkajs to kcat', async () => {
    const topic = await createTopic();
    await produceWithKafkajs(topic, [
      { key: 'acme/hcm/assembly/line-1', value: 'xin chào' },
      { key: 'acme/hcm/assembly/line-2', value: '{"seq":2}' },
    ]);
    expect(await readWithKcat(topic)).toEqual([
      'acme/hcm/assembly/line-1=xin chào',
      'acme/hcm/assembly/line-2={"seq":2}',
    ]);
  });

  it('serves a record produced with kcat to kafkajs', async () => {
    const topic = await createTopic();
    const kcat = spawn('kcat', ['-b', brokers.join(','), '-P', '-t', topic, '-K', ':'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    kcat.stdin.end('line-1:from kcat\nline-2:second\n');
    const exitCode = await new Promise<number | null>((resolve) => kcat.on('close', resolve));
    expect(exitCode).toBe(0);
    expect(await consumeWithKafkajs(topic, 2)).toEqual(['line-1=from kcat', 'line-2=second']);
  });

  it('keeps committed records when the Kafka process is killed with SIGKILL and started again', async () => {
    const topic = await createTopic();
    const records = Array.from({ length: 500 }, (_, i) => ({ key: `line-${i % 4}`, value: `record-${i}` }));
    await produceWithKafkajs(topic, records);
    await admin.disconnect();

    await devstackKill(config, 'kafka');
    const afterKill = await devstackStatus(config);
    expect(afterKill.services.find((service) => service.name === 'kafka')?.running).toBe(false);
    await devstackRestart(config, 'kafka', () => undefined);

    const read = await readWithKcat(topic);
    expect(read).toHaveLength(records.length);
    expect(read).toEqual(records.map((record) => `${record.key}=${record.value}`));
  });
});
