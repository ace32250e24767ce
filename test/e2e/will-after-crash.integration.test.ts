import { join } from 'node:path';
import { cacheRoot, consoleProgress, type LocalRedis, startLocalRedis } from '@mekong/devstack';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deviceUser,
  freePort,
  PASSWORD,
  removeTempDirs,
  type ServiceProcess,
  spawnService,
  tempDir,
  waitForHealthy,
  writeCredentials,
} from './helpers/pipeline.js';
import { cellsOf, topicOf, uniqueEnterprise } from './helpers/telemetry.js';

// Issue 10, item 2: after SIGKILL, aedes publishes the wills it stored with no client to check
// (`client = null`). The will carries its owner, whose rights decide: a will within them arrives.
const enterprise = uniqueEnterprise('will-crash');
const [cell] = cellsOf(enterprise, 1, 1);
let dir: string;
let env: Record<string, string>;
let mqttPort: number;
let httpPort: number;
let broker: ServiceProcess | undefined;
const clients: MqttClient[] = [];

async function startBroker(): Promise<ServiceProcess> {
  const service = await spawnService('services/broker/src/main.ts', env, httpPort, dir, 'broker');
  await waitForHealthy(httpPort, 60_000);
  return service;
}

async function connect(username: string, clientId: string, extra: mqtt.IClientOptions = {}) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    username,
    password: PASSWORD,
    clientId,
    protocolVersion: 5,
    reconnectPeriod: 0,
    ...extra,
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  dir = await tempDir('e2e-will-crash');
  mqttPort = await freePort();
  httpPort = await freePort();
  env = {
    MEKONG_BROKER_PORT: String(mqttPort),
    MEKONG_BROKER_HTTP_PORT: String(httpPort),
    MEKONG_BROKER_WS_ENABLED: 'false',
    MEKONG_BROKER_CREDENTIALS_FILE: await writeCredentials(dir, [cell as NonNullable<typeof cell>]),
    MEKONG_BROKER_PERSISTENCE: 'durable',
    MEKONG_BROKER_DATA_DIR: join(dir, 'data'),
    // The sweep for a dead broker's wills runs every 4 heartbeats.
    MEKONG_BROKER_HEARTBEAT_MS: '500',
  };
  broker = await startBroker();
}, 120_000);

let redis: LocalRedis | undefined;
const others: ServiceProcess[] = [];

afterAll(async () => {
  for (const client of clients) client.end(true);
  await broker?.kill('SIGTERM');
  await Promise.all(others.map((o) => o.kill('SIGTERM')));
  await redis?.stop();
  await removeTempDirs();
});

describe('a will stored in durable mode, its broker killed with SIGKILL', () => {
  it('is published after the restart, checked against the rights of the device that set it', async () => {
    const target = cell as NonNullable<typeof cell>;
    const willTopic = topicOf(target, 'state');
    await connect(deviceUser(target), `${deviceUser(target)}-w`, {
      will: { topic: willTopic, payload: Buffer.from('{"will":true}'), qos: 1, retain: false },
    });
    expect(await broker?.kill('SIGKILL')).toBeNull();
    broker = await startBroker();
    const watcher = await connect('bridge', 'bridge-watch');
    const seen: string[] = [];
    watcher.on('message', (topic, payload) => seen.push(`${topic} ${payload}`));
    await watcher.subscribeAsync(willTopic, { qos: 1 });
    await vi.waitFor(() => expect(seen).toEqual([`${willTopic} {"will":true}`]), {
      timeout: 20_000,
      interval: 100,
    });
    const logs = await broker.logs();
    expect(logs.filter((l) => l.reason === 'will_not_allowed')).toEqual([]);
  });
});

describe('a will in a Redis cluster, its broker killed with SIGKILL', () => {
  it('is published by the surviving broker with no client to check, within its owner’s rights', async () => {
    redis = await startLocalRedis(
      { cacheRoot: cacheRoot(), progress: consoleProgress },
      join(dir, 'redis'),
      await freePort(),
    );
    const target = cell as NonNullable<typeof cell>;
    const cluster = async (name: string) => {
      const port = await freePort();
      const http = await freePort();
      const service = await spawnService(
        'services/broker/src/main.ts',
        {
          ...env,
          MEKONG_BROKER_PORT: String(port),
          MEKONG_BROKER_HTTP_PORT: String(http),
          MEKONG_BROKER_PERSISTENCE: 'redis',
          MEKONG_BROKER_REDIS_URL: (redis as LocalRedis).url,
        },
        http,
        dir,
        name,
      );
      others.push(service);
      await waitForHealthy(http, 60_000);
      return { service, port };
    };
    const a = await cluster('broker-a');
    const b = await cluster('broker-b');
    const willTopic = topicOf(target, 'alarm');
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, {
      username: 'bridge',
      password: PASSWORD,
      clientId: 'bridge-cluster-watch',
      reconnectPeriod: 0,
    });
    clients.push(watcher);
    const seen: string[] = [];
    watcher.on('message', (topic, payload) => seen.push(`${topic} ${payload}`));
    await watcher.subscribeAsync(willTopic, { qos: 1 });
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${a.port}`, {
      username: deviceUser(target),
      password: PASSWORD,
      clientId: `${deviceUser(target)}-cluster`,
      protocolVersion: 5,
      reconnectPeriod: 0,
      will: { topic: willTopic, payload: Buffer.from('{"lost":true}'), qos: 1, retain: false },
    });
    clients.push(device);
    expect(await a.service.kill('SIGKILL')).toBeNull();
    await vi.waitFor(() => expect(seen).toEqual([`${willTopic} {"lost":true}`]), {
      timeout: 30_000,
      interval: 100,
    });
    expect((await b.service.logs()).filter((l) => l.reason === 'will_not_allowed')).toEqual([]);
  });
});
