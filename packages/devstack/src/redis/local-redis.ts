import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDebianPackages } from '../debian-packages.js';
import { DevstackError } from '../errors.js';
import type { InstallContext } from '../install-context.js';

export interface LocalRedis {
  /** `redis://127.0.0.1:<port>`; the same server also answers on `[::1]`. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const REDIS_SERVER = '/usr/bin/redis-server';

/**
 * Starts Debian's redis-server (installed on first use) in the foreground as a child of this
 * process, bound to 127.0.0.1 and ::1, without persistence, its files under `dir`. `stop()` asks it
 * to shut down (SIGTERM) and kills it if it has not exited within 5 s.
 */
export async function startLocalRedis(ctx: InstallContext, dir: string, port: number): Promise<LocalRedis> {
  await ensureDebianPackages(ctx, ['redis-server']);
  await mkdir(dir, { recursive: true });
  const logFile = join(dir, 'redis.log');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '::1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--logfile',
    logFile,
    '--protected-mode',
    'yes',
  ];
  ctx.progress(`starting Redis on port ${port}`);
  const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exit.then(() => true), sleep(5_000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exit;
    }
  };

  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new DevstackError('MEKONG_DEVSTACK_START_FAILED', 'start Redis', 'redis-server exited', {
        logFile,
        hint: log.includes('Address already in use')
          ? `port ${port} is taken; choose another`
          : `read ${logFile}`,
      });
    }
    // Another server on the same port would answer PING too: only our own process id counts.
    if ((await serverProcessId(port)) === child.pid) {
      ctx.progress(`Redis ready on port ${port}`);
      return { url: `redis://127.0.0.1:${port}`, port, stop };
    }
    await sleep(100);
  }
  await stop();
  throw new DevstackError('MEKONG_DEVSTACK_NOT_READY', 'start Redis', 'PING got no answer within 15 s', {
    logFile,
  });
}

/** The `process_id` that the Redis server on 127.0.0.1:`port` reports, or undefined when none answers. */
async function serverProcessId(port: number): Promise<number | undefined> {
  const reply = await request(port, '127.0.0.1', 'INFO server\r\n', (text) =>
    /process_id:\d+\r\n/.test(text),
  );
  const match = reply ? /process_id:(\d+)/.exec(reply) : null;
  return match ? Number(match[1]) : undefined;
}

/** True when a Redis server on 127.0.0.1:`port` answers PING with PONG. */
export async function answersPing(port: number, host = '127.0.0.1'): Promise<boolean> {
  const reply = await request(port, host, 'PING\r\n', (text) => text.includes('\r\n'));
  return reply?.startsWith('+PONG') ?? false;
}

function request(
  port: number,
  host: string,
  command: string,
  complete: (text: string) => boolean,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    let answer = '';
    const done = (result: string | undefined) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(complete(answer) ? answer : undefined));
    socket.on('connect', () => socket.write(command));
    socket.on('data', (data) => {
      answer += data.toString('latin1');
      if (complete(answer)) done(answer);
    });
  });
}
