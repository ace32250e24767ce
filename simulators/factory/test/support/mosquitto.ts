import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot, consoleProgress, ensureDebianPackages } from '@mekong/devstack';

const execFileAsync = promisify(execFile);

export interface Mosquitto {
  url: string;
  port: number;
  /** Mosquitto's own log: connections, disconnections, errors. */
  logFile: string;
  /** SIGTERM (Mosquitto saves its persistent sessions) and wait for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * Debian's Mosquitto on a free port of 127.0.0.1, with a generated config in a temp folder: users
 * from `users` (no anonymous access), persistent sessions, no queue limits (a subscriber that falls
 * behind must not lose messages in a delivery test).
 */
export async function startMosquitto(users: Record<string, string>): Promise<Mosquitto> {
  await ensureDebianPackages({ cacheRoot: cacheRoot(), progress: consoleProgress }, ['mosquitto']);
  const dir = mkdtempSync(join(tmpdir(), 'sim-mosquitto-'));
  const port = await freePort();
  const passwd = join(dir, 'passwd');
  writeFileSync(
    passwd,
    Object.entries(users)
      .map(([user, password]) => `${user}:${password}\n`)
      .join(''),
    { mode: 0o600 },
  );
  await execFileAsync('mosquitto_passwd', ['-U', passwd]);
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      // As root Mosquitto would switch to the "mosquitto" user, who cannot read this private folder.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      'allow_anonymous false',
      `password_file ${passwd}`,
      'persistence true',
      `persistence_location ${dir}/`,
      'max_queued_messages 0',
      'max_queued_bytes 0',
      'max_inflight_messages 0',
      'set_tcp_nodelay true',
      `log_dest file ${dir}/mosquitto.log`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await waitForPort(port, 10_000);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    logFile: join(dir, 'mosquitto.log'),
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
