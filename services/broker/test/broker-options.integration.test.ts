import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { passwd } from '../src/auth/credentials-file.js';
import {
  CELL_1,
  countPayload,
  metricValue,
  PASSWORD,
  startTestBroker,
  type TestBroker,
  topicOf,
} from './helpers/broker-fixture.js';
import { createTestCa } from './helpers/test-ca.js';

// Options of the broker that had no test (issue 20), each tried with real clients.
const run = promisify(execFile);
const started: TestBroker[] = [];
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(started.map((b) => b.stop()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function broker(adjust: Parameters<typeof startTestBroker>[0]): Promise<TestBroker> {
  const t = await startTestBroker(adjust);
  started.push(t);
  return t;
}

async function canLogIn(t: TestBroker, username: string, password: string): Promise<boolean> {
  try {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
      username,
      password,
      clientId: `${username}-probe`,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    await client.endAsync();
    return true;
  } catch {
    return false;
  }
}

describe('anonymous development mode', () => {
  it('warns at start, and gives a client without credentials full rights (mosquitto clients)', async () => {
    const t = await broker((config) => {
      config.auth.allowAnonymous = true;
    });
    expect(t.logs.find((l) => l.event === 'anonymous_allowed')).toMatchObject({ level: 'warn' });
    const port = String(t.broker.ports.tcp);
    let output: string | undefined;
    void run('mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-t', '#', '-C', '1', '-W', '5']).then(
      (r) => {
        output = r.stdout;
      },
      () => {
        output = '';
      },
    );
    // The subscriber connects in parallel: publish until it has its one message.
    for (let i = 0; i < 50 && output === undefined; i++) {
      await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-t', 'anything/at/all', '-m', 'hello']);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await vi.waitFor(() => expect(output).toBeDefined());
    expect(t.logs.some((l) => l.reason === 'not_authorized')).toBe(false);
    expect((output ?? '').trim()).toBe('hello');
  });

  it('refuses a client without credentials when the flag is off (the default): 3.1.1 code 5', async () => {
    const t = await broker(() => {});
    const result = await run('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(t.broker.ports.tcp),
      '-t',
      'x',
      '-m',
      'y',
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/not authori[sz]ed/i);
  });
});

describe('the credentials file, changed while the broker runs', () => {
  it('forgets a cached password when it is changed, and keeps the old entries when an edit breaks the file', async () => {
    const t = await broker((config) => {
      config.auth.credentialsCheckMs = 50;
    });
    expect(await canLogIn(t, 'press-2', PASSWORD)).toBe(true); // now cached
    await passwd(t.credentialsFile, {
      username: 'press-2',
      password: 'a-brand-new-password',
      role: 'device',
      cell: CELL_1,
    });
    await vi.waitFor(async () => expect(await canLogIn(t, 'press-2', PASSWORD)).toBe(false), {
      timeout: 5_000,
    });
    expect(await canLogIn(t, 'press-2', 'a-brand-new-password')).toBe(true);
    await writeFile(t.credentialsFile, '{ "version": 1, "users": { broken');
    await vi.waitFor(
      () => expect(t.logs.some((l) => l.code === 'MEKONG_BROKER_CREDENTIALS_FILE')).toBe(true),
      {
        timeout: 5_000,
      },
    );
    expect(await canLogIn(t, 'press-2', 'a-brand-new-password')).toBe(true);
    expect(await canLogIn(t, 'admin', PASSWORD)).toBe(true);
  });
});

describe('QoS 2 and back-pressure', () => {
  it('delivers QoS 2 exactly once from mosquitto_pub to mosquitto_sub', async () => {
    const t = await broker(() => {});
    const port = String(t.broker.ports.tcp);
    const topic = topicOf(CELL_1, 'count');
    const sub = run('mosquitto_sub', [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-u',
      'bridge',
      '-P',
      PASSWORD,
      '-i',
      'bridge-q2',
      '-t',
      topic,
      '-q',
      '2',
      '-W',
      '4',
      '-v',
    ]).then(
      (r) => r.stdout,
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    const deadline = Date.now() + 3_000;
    let sent = 0;
    // The subscriber connects in parallel: send numbered messages until it has seen some, then count.
    while (Date.now() < deadline && sent < 20) {
      await run('mosquitto_pub', [
        '-h',
        '127.0.0.1',
        '-p',
        port,
        '-u',
        'press-1',
        '-P',
        PASSWORD,
        '-i',
        'press-1',
        '-t',
        topic,
        '-q',
        '2',
        '-m',
        countPayload(sent++),
      ]);
    }
    const lines = (await sub).trim().split('\n').filter(Boolean);
    const seqs = lines.map((line) => JSON.parse(line.slice(topic.length + 1)).seq as number);
    expect(seqs.length).toBeGreaterThan(0);
    // Exactly once and in order: the seqs seen are consecutive and unique.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => (seqs[0] as number) + i));
  });

  it('stops reading a client at its in-flight limit and delivers everything once acknowledgements return', async () => {
    const t = await broker((config) => {
      config.limits.maxInflight = 2;
    });
    const before = await metricValue(t.broker, 'mekong_broker_inflight_throttled_total');
    const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
      username: 'bridge',
      password: PASSWORD,
      clientId: 'bridge-bp',
      reconnectPeriod: 0,
    });
    const seen: number[] = [];
    sub.on('message', (_topic, payload) => seen.push(JSON.parse(String(payload)).seq));
    await sub.subscribeAsync(topicOf(CELL_1, 'count'), { qos: 1 });
    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
      username: 'press-1',
      password: PASSWORD,
      clientId: 'press-1-bp',
      reconnectPeriod: 0,
    });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        pub.publishAsync(topicOf(CELL_1, 'count'), countPayload(i), { qos: 1 }),
      ),
    );
    await vi.waitFor(() => expect(seen).toHaveLength(50));
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect((await metricValue(t.broker, 'mekong_broker_inflight_throttled_total')) - before).toBeGreaterThan(
      0,
    );
    await Promise.all([sub.endAsync(), pub.endAsync()]);
  });
});

describe('TLS with a CA bundle', () => {
  it('asks clients for a certificate from that CA (openssl s_client lists it) and still lets them log in by password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mekong-tls-ca-'));
    dirs.push(dir);
    const ca = await createTestCa(dir);
    const t = await broker((config) => {
      config.tls = { certFile: ca.certFile, keyFile: ca.keyFile, caFile: ca.caFile };
    });
    const { stdout } = await run('bash', [
      '-c',
      `openssl s_client -connect 127.0.0.1:${t.broker.ports.tls} -CAfile ${ca.caFile} </dev/null 2>/dev/null`,
    ]);
    expect(stdout).toMatch(/Acceptable client certificate CA names/);
    expect(stdout).toMatch(/CN\s*=\s*Mekong Test CA/);
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${t.broker.ports.tls}`, {
      username: 'admin',
      password: PASSWORD,
      clientId: 'admin-tls',
      ca: [await readFile(ca.caFile)],
      reconnectPeriod: 0,
    });
    await client.endAsync();
  });
});
