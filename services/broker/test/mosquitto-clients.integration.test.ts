import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRoot, consoleProgress, ensureDebianPackages } from '@mekong/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CELL_1,
  CELL_2,
  countPayload,
  PASSWORD,
  refusalsOf,
  startTestBroker,
  type TestBroker,
  topicOf,
} from './helpers/broker-fixture.js';
import { createTestCa, type TestCa } from './helpers/test-ca.js';

let t: TestBroker;
let ca: TestCa;
let caDir: string;
let subscriber: ChildProcess;
const seen: string[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mosquittoPub(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('mosquitto_pub', args, { timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

const login = (user: string, clientId = user) => ['-i', clientId, '-u', user, '-P', PASSWORD];

beforeAll(async () => {
  await ensureDebianPackages({ cacheRoot: cacheRoot(), progress: consoleProgress }, ['mosquitto-clients']);
  caDir = await mkdtemp(join(tmpdir(), 'mekong-ca-'));
  ca = await createTestCa(caDir);
  t = await startTestBroker((config) => {
    config.tls = { certFile: ca.certFile, keyFile: ca.keyFile };
  });
  subscriber = spawn('mosquitto_sub', [
    '-h',
    '::1',
    '-p',
    String(t.broker.ports.tcp),
    ...login('bridge', 'bridge-mosq'),
    '-t',
    'mekong/#',
    '-q',
    '1',
    '-v',
  ]);
  subscriber.stdout?.on('data', (data: Buffer) => seen.push(...data.toString().split('\n').filter(Boolean)));
  // mosquitto_sub prints nothing when subscribed: wait until a message of its own comes through.
  const probe = topicOf(CELL_1, 'state');
  const deadline = Date.now() + 10_000;
  while (!seen.some((line) => line.startsWith(probe)) && Date.now() < deadline) {
    await mosquittoPub([
      '-h',
      '127.0.0.1',
      '-p',
      String(t.broker.ports.tcp),
      ...login('press-1'),
      '-t',
      probe,
      '-m',
      '{}',
      '-q',
      '1',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 600_000);

afterAll(async () => {
  subscriber?.kill();
  await t?.stop();
  if (caDir) await rm(caDir, { recursive: true, force: true });
});

async function eventuallySeen(line: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (seen.includes(line)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('with mosquitto_pub and mosquitto_sub', () => {
  it.each([
    ['127.0.0.1', 'mqttv311'],
    ['::1', 'mqttv311'],
    ['127.0.0.1', 'mqttv5'],
    ['::1', 'mqttv5'],
  ])(
    'a device with good credentials publishes on %s (%s) and the subscriber gets it',
    async (host, version) => {
      const payload = countPayload(Math.floor(Math.random() * 1e9));
      const run = await mosquittoPub([
        '-h',
        host,
        '-p',
        String(t.broker.ports.tcp),
        '-V',
        version,
        ...login('press-1'),
        '-t',
        topicOf(CELL_1, 'count'),
        '-m',
        payload,
        '-q',
        '1',
      ]);
      expect(run.code).toBe(0);
      expect(await eventuallySeen(`${topicOf(CELL_1, 'count')} ${payload}`)).toBe(true);
    },
  );

  it('refuses bad credentials', async () => {
    const before = await refusalsOf(t.broker, 'bad_credentials');
    const run = await mosquittoPub([
      '-h',
      '127.0.0.1',
      '-p',
      String(t.broker.ports.tcp),
      '-i',
      'press-1',
      '-u',
      'press-1',
      '-P',
      'not-the-password',
      '-t',
      topicOf(CELL_1, 'count'),
      '-m',
      '{}',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.toLowerCase()).toContain('bad user name or password');
    const v5 = await mosquittoPub([
      '-h',
      '::1',
      '-p',
      String(t.broker.ports.tcp),
      '-V',
      'mqttv5',
      '-i',
      'press-1',
      '-u',
      'press-1',
      '-P',
      'nope-nope',
      '-t',
      topicOf(CELL_1, 'count'),
      '-m',
      '{}',
    ]);
    expect(v5.code).not.toBe(0);
    expect(v5.stderr.toLowerCase()).toContain('bad user name or password');
    expect((await refusalsOf(t.broker, 'bad_credentials')) - before).toBe(2);
  });

  it("refuses a device publishing into another cell's topic; the subscriber never sees it", async () => {
    const payload = countPayload(424242);
    const v5 = await mosquittoPub([
      '-h',
      '127.0.0.1',
      '-p',
      String(t.broker.ports.tcp),
      '-V',
      'mqttv5',
      ...login('press-1'),
      '-t',
      topicOf(CELL_2, 'count'),
      '-m',
      payload,
      '-q',
      '1',
    ]);
    expect(v5.stderr.toLowerCase()).toContain('not authorized');
    const v311 = await mosquittoPub([
      '-h',
      '::1',
      '-p',
      String(t.broker.ports.tcp),
      ...login('press-1'),
      '-t',
      topicOf(CELL_2, 'count'),
      '-m',
      payload,
      '-q',
      '1',
    ]);
    expect(v311.code).not.toBe(0);
    expect(await eventuallySeen(`${topicOf(CELL_2, 'count')} ${payload}`)).toBe(false);
    expect(await refusalsOf(t.broker, 'topic_not_allowed')).toBe(2);
  });

  it.each(['127.0.0.1', '::1'])('works over TLS on %s with the test CA, and not without it', async (host) => {
    const payload = countPayload(777_000 + (host === '::1' ? 1 : 0));
    const tls = ['-h', host, '-p', String(t.broker.ports.tls)];
    const run = await mosquittoPub([
      ...tls,
      '--cafile',
      ca.caFile,
      ...login('press-1'),
      '-t',
      topicOf(CELL_1, 'count'),
      '-m',
      payload,
      '-q',
      '1',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await eventuallySeen(`${topicOf(CELL_1, 'count')} ${payload}`)).toBe(true);
    const untrusted = await mosquittoPub([
      '-d', // prints OpenSSL's reason
      ...tls,
      '--capath',
      caDir,
      ...login('press-1'),
      '-t',
      topicOf(CELL_1, 'count'),
      '-m',
      payload,
    ]);
    expect(untrusted.code).not.toBe(0);
    // Refused for the certificate, not for anything else (a wrong port or password would also fail).
    expect(`${untrusted.stdout}${untrusted.stderr}`).toMatch(/certificate verify failed/);
  });
});
