import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultBrokerConfig, passwd, type RunningBroker, startBroker } from '@mekong/broker';
import { createLogger } from '@mekong/runtime';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const cliEntry = join(import.meta.dirname, '../../packages/cli/src/main.ts');
const SIM_ARGS = [
  '--scenario',
  'demo',
  '--seed',
  '11',
  '--start',
  '2026-03-02T06:00:00+07:00',
  '--duration',
  '1h',
];
const ADMIN_PASSWORD = 'observer-secret-1';

const mekong = (...args: string[]) =>
  execFileAsync(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
    timeout: 240_000,
    maxBuffer: 1 << 26,
  });

/** `mekong/v1/<enterprise>/<site>/<area>/<line>/<cell>`: one publisher, one seq counter. */
const publisherOf = (topic: string) => topic.split('/').slice(0, 7).join('/');

let dir: string;
let broker: RunningBroker;
let observer: MqttClient;
const received = new Map<string, Set<number>>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-sim-broker-'));
  await mekong('sim', 'record', ...SIM_ARGS, '--out', join(dir, 'expected.jsonl'), '--no-progress');

  // Per-device accounts as a plant would have them: each cell bound to its own path; each line's
  // labour terminal allowed to publish its line's labour events.
  const credentials = join(dir, 'credentials.json');
  const publishers = new Set(
    (await readFile(join(dir, 'expected.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => publisherOf((JSON.parse(line) as { topic: string }).topic)),
  );
  const cellsOfLine = new Map<string, string>();
  for (const publisher of publishers) {
    const [, , enterprise, site, area, line, cell] = publisher.split('/');
    const linePath = `${enterprise}/${site}/${area}/${line}`;
    if (cell !== '_line') {
      cellsOfLine.set(linePath, `${linePath}/${cell}`);
      await passwd(credentials, {
        username: `${line}.${cell}`,
        password: `pw-${cell}-secret`,
        role: 'device',
        cell: `${linePath}/${cell}`,
      });
    }
  }
  for (const [linePath, someCell] of cellsOfLine) {
    const line = linePath.split('/')[3];
    await passwd(credentials, {
      username: `${line}._line`,
      password: 'pw-_line-secret',
      role: 'device',
      cell: someCell,
      labour: true,
    });
  }
  await passwd(credentials, { username: 'observer', password: ADMIN_PASSWORD, role: 'admin' });

  const config = defaultBrokerConfig();
  config.ports = { tcp: 0, ws: 0, tls: 0, http: 0 };
  config.auth.credentialsFile = credentials;
  broker = await startBroker(config, { logger: createLogger({ service: 'broker', level: 'warn' }) });
  observer = await connectAsync(`mqtt://127.0.0.1:${broker.ports.tcp}`, {
    clientId: 'sim-observer',
    username: 'observer',
    password: ADMIN_PASSWORD,
    reconnectPeriod: 0,
  });
  observer.on('message', (topic, payload) => {
    const seq = (JSON.parse(payload.toString()) as { seq: number }).seq;
    const publisher = publisherOf(topic);
    if (!received.has(publisher)) received.set(publisher, new Set());
    received.get(publisher)?.add(seq);
  });
  await observer.subscribeAsync('mekong/v1/#', { qos: 1 });
}, 300_000);

afterAll(async () => {
  await observer?.endAsync();
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the simulator publishing to our broker', () => {
  it('delivers every message of a `mekong sim run` through auth and ACL, counted by seq', async () => {
    await mekong(
      'sim',
      'run',
      ...SIM_ARGS,
      '--url',
      `mqtt://127.0.0.1:${broker.ports.tcp}`,
      '--speed',
      'max',
      '--qos',
      '1',
      // The broker takes a client id only if it is the username or starts with "<username>-".
      '--client-id',
      '{line}.{cell}',
      '--username',
      '{line}.{cell}',
      '--password',
      'pw-{cell}-secret',
      '--no-progress',
    );
    const expected = new Map<string, Set<number>>();
    for (const line of (await readFile(join(dir, 'expected.jsonl'), 'utf8')).split('\n').filter(Boolean)) {
      const { topic, payload } = JSON.parse(line) as { topic: string; payload: { seq: number } };
      const publisher = publisherOf(topic);
      if (!expected.has(publisher)) expected.set(publisher, new Set());
      expected.get(publisher)?.add(payload.seq);
    }
    for (
      let i = 0;
      i < 100 && [...expected].some(([p, seqs]) => (received.get(p)?.size ?? 0) < seqs.size);
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(expected.size).toBeGreaterThan(20);
    expect(new Map([...received].map(([p, seqs]) => [p, [...seqs].sort((a, b) => a - b)]))).toEqual(
      new Map([...expected].map(([p, seqs]) => [p, [...seqs].sort((a, b) => a - b)])),
    );
  });
});
