import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import {
  Admin,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { devstackKill, devstackRestart, devstackStatus } from '../../src/devstack.js';

const execFileAsync = promisify(execFile);
const endpoints = inject('devstack');
const config = inject('devstackConfig');
const brokers = endpoints.kafka.brokers;
let admin = new Admin({ clientId: 'devstack-test', bootstrapBrokers: brokers });

afterAll(async () => {
  await admin.close();
});

async function createTopic(): Promise<string> {
  const topic = `devstack-test-${randomUUID()}`;
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
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

async function produce(topic: string, records: Array<{ key: string; value: string }>): Promise<void> {
  const producer = new Producer({
    clientId: 'devstack-test',
    bootstrapBrokers: brokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    serializers: stringSerializers,
  });
  try {
    await producer.send({ messages: records.map((record) => ({ topic, ...record })) });
  } finally {
    await producer.close();
  }
}

async function consume(topic: string, count: number): Promise<string[]> {
  const consumer = new Consumer({
    clientId: 'devstack-test',
    bootstrapBrokers: brokers,
    groupId: `devstack-test-${randomUUID()}`,
    deserializers: stringDeserializers,
  });
  const seen: string[] = [];
  try {
    const stream = await consumer.consume({
      topics: [topic],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
    });
    const timer = setTimeout(
      () => stream.destroy(new Error(`only ${seen.length} of ${count} records arrived`)),
      60_000,
    );
    try {
      for await (const message of stream) {
        seen.push(`${message.key}=${message.value}`);
        if (seen.length >= count) break;
      }
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.close(true);
  }
  return seen;
}

describe('Kafka from the devstack', () => {
  it('serves a record produced with @platformatic/kafka to kcat', async () => {
    const topic = await createTopic();
    await produce(topic, [
      { key: 'acme/hcm/assembly/line-1', value: 'xin chào' },
      { key: 'acme/hcm/assembly/line-2', value: '{"seq":2}' },
    ]);
    expect(await readWithKcat(topic)).toEqual([
      'acme/hcm/assembly/line-1=xin chào',
      'acme/hcm/assembly/line-2={"seq":2}',
    ]);
  });

  it('serves a record produced with kcat to @platformatic/kafka', async () => {
    const topic = await createTopic();
    const kcat = spawn('kcat', ['-b', brokers.join(','), '-P', '-t', topic, '-K', ':'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    kcat.stdin.end('line-1:from kcat\nline-2:second\n');
    const exitCode = await new Promise<number | null>((resolve) => kcat.on('close', resolve));
    expect(exitCode).toBe(0);
    expect(await consume(topic, 2)).toEqual(['line-1=from kcat', 'line-2=second']);
  });

  it('keeps committed records when the Kafka process is killed with SIGKILL and started again', async () => {
    const topic = await createTopic();
    const records = Array.from({ length: 500 }, (_, i) => ({ key: `line-${i % 4}`, value: `record-${i}` }));
    await produce(topic, records);
    await admin.close();

    await devstackKill(config, 'kafka');
    const afterKill = await devstackStatus(config);
    expect(afterKill.services.find((service) => service.name === 'kafka')?.running).toBe(false);
    await devstackRestart(config, 'kafka', () => undefined);

    admin = new Admin({ clientId: 'devstack-test', bootstrapBrokers: brokers });
    const read = await readWithKcat(topic);
    expect(read).toHaveLength(records.length);
    expect(read).toEqual(records.map((record) => `${record.key}=${record.value}`));
  });
});
