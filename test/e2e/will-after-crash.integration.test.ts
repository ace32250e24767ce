import { join } from 'node:path';
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

afterAll(async () => {
  for (const client of clients) client.end(true);
  await broker?.kill('SIGTERM');
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
