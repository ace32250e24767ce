import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@mekong/runtime';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { type BrokerConfig, defaultBrokerConfig } from '../src/config.js';
import { type RunningBroker, startBroker } from '../src/start-broker.js';
import { CELL_1, countPayload, PASSWORD, topicOf, writeTestCredentials } from './helpers/broker-fixture.js';

const dirs: string[] = [];
const brokers: RunningBroker[] = [];
afterAll(async () => {
  await Promise.all(brokers.map((b) => b.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function configIn(mode: 'memory' | 'durable'): Promise<BrokerConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'mekong-durable-'));
  dirs.push(dir);
  await writeTestCredentials(join(dir, 'credentials.json'));
  const config = defaultBrokerConfig();
  config.ports = { tcp: 0, ws: null, tls: 0, http: null };
  config.auth.credentialsFile = join(dir, 'credentials.json');
  config.persistence = { mode, dataDir: join(dir, 'data'), concurrency: 100 };
  config.drainTimeoutMs = 500;
  return config;
}

const logger = createLogger({ service: 'broker', level: 'silent' });

/** Subscribes a persistent session, goes away, has a device publish `count` messages, then stops the broker. */
async function leaveMessagesBehind(config: BrokerConfig, count: number): Promise<void> {
  const broker = await startBroker(config, { logger });
  const url = `mqtt://127.0.0.1:${broker.ports.tcp}`;
  const bridge = await mqtt.connectAsync(url, {
    clientId: 'bridge-durable',
    username: 'bridge',
    password: PASSWORD,
    clean: false,
    reconnectPeriod: 0,
  });
  await bridge.subscribeAsync(topicOf(CELL_1, 'count'), { qos: 1 });
  await bridge.endAsync();
  const device = await mqtt.connectAsync(url, {
    clientId: 'press-1',
    username: 'press-1',
    password: PASSWORD,
    reconnectPeriod: 0,
  });
  for (let seq = 0; seq < count; seq++)
    await device.publishAsync(topicOf(CELL_1, 'count'), countPayload(seq), { qos: 1 });
  await device.endAsync();
  await broker.close();
}

/** Starts a new broker on the same configuration and collects what the persistent session receives. */
async function collectAfterRestart(config: BrokerConfig, expected: number): Promise<number[]> {
  const broker = await startBroker(config, { logger });
  brokers.push(broker);
  const seqs: number[] = [];
  const bridge = mqtt.connect(`mqtt://[::1]:${broker.ports.tcp}`, {
    clientId: 'bridge-durable',
    username: 'bridge',
    password: PASSWORD,
    clean: false,
    reconnectPeriod: 0,
  });
  bridge.on('message', (_topic, payload) => seqs.push(JSON.parse(payload.toString()).seq));
  await new Promise((resolve) => bridge.once('connect', resolve));
  const deadline = Date.now() + 5_000;
  while (seqs.length < expected && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 200));
  await bridge.endAsync();
  return seqs;
}

describe('durable persistence', () => {
  it('keeps the QoS 1 messages of a persistent session across a broker restart', async () => {
    const config = await configIn('durable');
    await leaveMessagesBehind(config, 20);
    expect(await collectAfterRestart(config, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('in memory mode the same restart loses them (the reason durable mode exists)', async () => {
    const config = await configIn('memory');
    await leaveMessagesBehind(config, 5);
    expect(await collectAfterRestart(config, 5)).toEqual([]);
  });
});
