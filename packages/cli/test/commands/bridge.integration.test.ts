import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { defaultBrokerConfig, passwd, type RunningBroker, startBroker } from '@mekong/broker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const execFileAsync = promisify(execFile);
const cliEntry = join(import.meta.dirname, '../../src/main.ts');
const devstack = inject('devstack');
const PASSWORD = 'cli-bridge-password';
const enterprise = `cli-${Date.now().toString(36)}`;
const topic = `mekong/v1/${enterprise}/hcm/assembly/line-1/press-1/count`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '::', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let broker: RunningBroker;
let dir: string;
const children: ChildProcess[] = [];
let mqttKafkaPort: number;
let kafkaInfluxPort: number;

/** Node itself (not a pnpm wrapper) so that signals reach the bridge. */
function runCli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MEKONG_INFLUX_TOKEN: devstack.influxdb.token },
  });
  children.push(child);
  return child;
}

async function metric(port: number, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** Points of this test's enterprise in InfluxDB, through its HTTP query API (Flux, CSV answer). */
async function pointsOfEnterprise(): Promise<number> {
  const { url, token, org, bucket } = devstack.influxdb;
  const response = await fetch(`${url}/api/v2/query?org=${encodeURIComponent(org)}`, {
    method: 'POST',
    headers: {
      authorization: `Token ${token}`,
      'content-type': 'application/vnd.flux',
      accept: 'application/csv',
    },
    body: `from(bucket: "${bucket}") |> range(start: -1d, stop: 1d) |> filter(fn: (r) => r.enterprise == "${enterprise}" and r._field == "seq") |> group() |> count()`,
  });
  const lines = (await response.text()).split(/\r?\n/);
  const column = (lines[0] ?? '').split(',').indexOf('_value');
  const row = lines.find((line) => line.startsWith(',_result'));
  return row && column >= 0 ? Number(row.split(',')[column]) : 0;
}

async function healthy(url: string): Promise<boolean> {
  return fetch(url)
    .then((r) => r.json() as Promise<{ status: string }>)
    .then(
      (report) => report.status === 'ok',
      () => false,
    );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-cli-bridge-'));
  const credentials = join(dir, 'credentials.json');
  await passwd(credentials, { username: 'bridge', password: PASSWORD, role: 'service' });
  await passwd(credentials, { username: 'admin', password: PASSWORD, role: 'admin' });
  const config = defaultBrokerConfig();
  config.ports = { tcp: 0, ws: null, tls: 0, http: 0 };
  config.auth.credentialsFile = credentials;
  config.logLevel = 'silent';
  broker = await startBroker(config);
  mqttKafkaPort = await freePort();
  kafkaInfluxPort = await freePort();
  runCli([
    'bridge',
    'mqtt-kafka',
    '--mqtt-url',
    `mqtt://[::1]:${broker.ports.tcp}`,
    '--mqtt-username',
    'bridge',
    '--mqtt-password',
    PASSWORD,
    '--mqtt-topic-filters',
    `mekong/v1/${enterprise}/#`,
    '--kafka-brokers',
    devstack.kafka.brokers.join(','),
    '--http-port',
    String(mqttKafkaPort),
  ]);
  runCli([
    'bridge',
    'kafka-influx',
    '--kafka-brokers',
    devstack.kafka.brokers.join(','),
    '--group-id',
    `cli-${enterprise}`,
    '--influx-url',
    devstack.influxdb.url,
    '--influx-org',
    devstack.influxdb.org,
    '--influx-bucket',
    devstack.influxdb.bucket,
    '--http-port',
    String(kafkaInfluxPort),
  ]);
  for (const port of [mqttKafkaPort, kafkaInfluxPort]) {
    for (let i = 0; !(await healthy(`http://127.0.0.1:${port}/health`)); i++) {
      if (i > 300) throw new Error(`mekong bridge on ${port} did not become healthy`);
      await sleep(200);
    }
  }
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await broker?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('mekong bridge', () => {
  it('explains every option with its variable and default', async () => {
    const { stdout } = await execFileAsync('pnpm', [
      'exec',
      'tsx',
      cliEntry,
      'bridge',
      'mqtt-kafka',
      '--help',
    ]);
    expect(stdout).toContain('--mqtt-topic-filters');
    expect(stdout).toContain('MEKONG_MQTT_TOPIC_FILTERS');
    expect(stdout).toContain('default: mekong/v1/#');
    const influx = await execFileAsync('pnpm', ['exec', 'tsx', cliEntry, 'bridge', 'kafka-influx', '--help']);
    expect(influx.stdout).toContain('--batch-max-points');
    expect(influx.stdout).toContain('MEKONG_KAFKA_INFLUX_BATCH_MAX_POINTS');
  });

  it('runs both bridges from their flags: a reading published over MQTT is written to InfluxDB', async () => {
    await execFileAsync('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(broker.ports.tcp),
      '-u',
      'admin',
      '-P',
      PASSWORD,
      '-q',
      '1',
      '-t',
      topic,
      '-m',
      JSON.stringify({ ts: Date.now(), seq: 1, good: 3, scrap: 0, product: 'bracket-a' }),
    ]);
    for (let i = 0; (await metric(mqttKafkaPort, 'mekong_mqtt_kafka_records_sent_total')) < 1; i++) {
      if (i > 150) throw new Error('the MQTT → Kafka bridge forwarded nothing');
      await sleep(200);
    }
    for (let i = 0; (await pointsOfEnterprise()) < 1; i++) {
      if (i > 150) throw new Error('the point did not reach InfluxDB');
      await sleep(200);
    }
    expect(await metric(mqttKafkaPort, 'mekong_mqtt_kafka_records_sent_total')).toBe(1);
    expect(await pointsOfEnterprise()).toBe(1);
  });

  it('answers /health on IPv6 and IPv4', async () => {
    for (const port of [mqttKafkaPort, kafkaInfluxPort]) {
      expect(await healthy(`http://[::1]:${port}/health`)).toBe(true);
      expect(await healthy(`http://127.0.0.1:${port}/health`)).toBe(true);
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    for (const child of children) {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
