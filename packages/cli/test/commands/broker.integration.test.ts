import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const cliEntry = join(import.meta.dirname, '../../src/main.ts');
const CELL = 'acme/hcm/assembly/line-1/press-1';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '::', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let broker: ChildProcess;
let mqttPort: number;
let httpPort: number;
let credentials: string;

async function publish(user: string, password: string, host: string): Promise<number> {
  try {
    await execFileAsync(
      'mosquitto_pub',
      [
        '-h',
        host,
        '-p',
        String(mqttPort),
        '-u',
        user,
        '-P',
        password,
        '-q',
        '1',
        '-V',
        'mqttv5',
        '-t',
        `mekong/v1/${CELL}/count`,
        '-m',
        '{"ts":1,"seq":1,"good":1,"scrap":0,"product":"p"}',
      ],
      { timeout: 10_000 },
    );
    return 0;
  } catch (error) {
    return (error as { code: number }).code;
  }
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mekong-cli-broker-'));
  credentials = join(dir, 'credentials.json');
  const added = await execFileAsync(
    'pnpm',
    ['exec', 'tsx', cliEntry, 'broker', 'passwd', credentials, 'press-1', '--role', 'device', '--cell', CELL],
    { env: { ...process.env, MEKONG_BROKER_PASSWORD: 'correct horse battery' } },
  );
  expect(added.stdout).toContain('press-1 saved');
  mqttPort = await freePort();
  httpPort = await freePort();
  // Node itself (not a pnpm wrapper) so that the signals of the last test reach the broker.
  broker = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cliEntry,
      'broker',
      '--port',
      String(mqttPort),
      '--http-port',
      String(httpPort),
      '--no-ws',
      '--credentials-file',
      credentials,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (let i = 0; i < 100; i++) {
    const healthy = await fetch(`http://127.0.0.1:${httpPort}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return;
    await sleep(200);
  }
  throw new Error('mekong broker did not become healthy');
});

afterAll(() => {
  broker.kill('SIGKILL');
});

describe('mekong broker', () => {
  it('lets a device added with `mekong broker passwd` publish, on IPv4 and IPv6', async () => {
    expect(await publish('press-1', 'correct horse battery', '127.0.0.1')).toBe(0);
    expect(await publish('press-1', 'correct horse battery', '::1')).toBe(0);
  });

  it('refuses a wrong password', async () => {
    expect(await publish('press-1', 'wrong password!', '127.0.0.1')).not.toBe(0);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => broker.once('exit', resolve));
    broker.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
