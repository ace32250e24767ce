import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const cliEntry = join(import.meta.dirname, '../../src/main.ts');

interface StatusJson {
  services: Array<{ name: string; running: boolean; pid?: number; endpoint?: string }>;
}

/** A stack of its own (not the test run's shared one), on the default ports, so their handling shows. */
let stackDir: string;
let env: NodeJS.ProcessEnv;
const blockers: Server[] = [];

async function mekong(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await execFileAsync('pnpm', ['exec', 'tsx', cliEntry, ...args], {
      env,
      timeout: 300_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

async function status(): Promise<StatusJson> {
  return JSON.parse((await mekong('devstack', 'status', '--json')).stdout) as StatusJson;
}

/** Holds the default Kafka port if nothing else does, so the stack must move off it. */
async function holdPort(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => {
    server.once('error', () => resolve());
    server.listen({ port, host: '::' }, () => {
      blockers.push(server);
      resolve();
    });
  });
}

/** A pid that is gone or a zombie (exited; only its parent has yet to reap it) runs no more. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

function processesUsing(dir: string): Promise<string> {
  return execFileAsync('pgrep', ['-af', dir]).then(
    ({ stdout }) => stdout,
    () => '',
  );
}

beforeAll(async () => {
  stackDir = await mkdtemp(join(tmpdir(), 'mekong-cli-stack-'));
  env = {
    ...process.env,
    MEKONG_DEVSTACK_INSTANCE: 'cli-test',
    MEKONG_DEVSTACK_DIR: stackDir,
    MEKONG_DEVSTACK_DOCKER: 'never',
    MEKONG_KAFKA_BROKERS: '',
    MEKONG_INFLUX_URL: '',
  };
  delete env.MEKONG_KAFKA_BROKERS;
  delete env.MEKONG_INFLUX_URL;
  await holdPort(9092);
});

afterAll(async () => {
  await mekong('devstack', 'down');
  await Promise.all(blockers.map((server) => new Promise((resolve) => server.close(resolve))));
  await rm(stackDir, { recursive: true, force: true });
});

describe('mekong devstack', () => {
  it('starts Kafka off a busy default port, and a second `up` changes nothing', async () => {
    const first = await mekong('devstack', 'up', '--json');
    expect(first.code, first.stderr).toBe(0);
    const endpoints = JSON.parse(first.stdout) as { kafka: { brokers: string[]; source: string } };
    expect(endpoints.kafka.source).toBe('local');
    expect(endpoints.kafka.brokers[0]).not.toBe('localhost:9092');
    expect(first.stderr).toContain('port 9092 is busy');

    const before = await status();
    expect(before.services.every((service) => service.running)).toBe(true);

    const second = await mekong('devstack', 'up', '--json');
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    expect(second.stderr).not.toContain('starting');
    expect(await status()).toEqual(before);
  });

  it('`down` stops every process of the stack and `status` says so', async () => {
    const before = await status();
    const pids = before.services.map((service) => service.pid).filter((pid) => pid !== undefined);
    expect(pids).toHaveLength(2);

    expect((await mekong('devstack', 'down')).code).toBe(0);

    for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
    expect(await processesUsing(stackDir)).toBe('');
    const after = await mekong('devstack', 'status', '--json');
    expect(after.code).toBe(3);
    expect((JSON.parse(after.stdout) as StatusJson).services.map((service) => service.running)).toEqual([
      false,
      false,
    ]);
  });
});
