import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { writeTestCredentials } from '../../test/helpers/broker-fixture.js';

/** The broker (`src/main.ts`) in a child process, so that a crash shows as its exit, with its output. */
export interface BrokerProcess {
  port: number;
  /** Set once the process exited: its code or signal. */
  exited: string | undefined;
  /** The last lines the process wrote to stderr, and its log events of level error or worse. */
  tail(): string[];
  /** Connections the broker closed for a fault of its own (`connection_fault`): survived, but a bug. */
  faults: number;
  /** The distinct errors of those faults (their messages and first stack frame). */
  faultKinds: Set<string>;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const KEEP_LINES = 60;

export async function startBrokerProcess(env: Record<string, string> = {}): Promise<BrokerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'mekong-grammar-fuzz-'));
  const credentialsFile = join(dir, 'credentials.json');
  await writeTestCredentials(credentialsFile);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: {
      ...process.env,
      MEKONG_BROKER_HOST: '127.0.0.1',
      MEKONG_BROKER_PORT: '0',
      MEKONG_BROKER_WS_ENABLED: 'false',
      MEKONG_BROKER_HTTP_PORT: '0',
      MEKONG_BROKER_CREDENTIALS_FILE: credentialsFile,
      MEKONG_BROKER_PERSISTENCE: 'memory',
      MEKONG_BROKER_VALIDATE_PAYLOADS: 'true',
      MEKONG_BROKER_DRAIN_TIMEOUT_MS: '500',
      MEKONG_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > KEEP_LINES) lines.shift();
  };
  const broker: BrokerProcess = {
    port: 0,
    exited: undefined,
    faults: 0,
    faultKinds: new Set(),
    tail: () => [...lines],
    stop: async () => {
      if (broker.exited === undefined) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  const started = new Promise<number>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      broker.exited = signal ? `signal ${signal}` : `exit code ${code}`;
      reject(new Error(`the broker exited before it started (${broker.exited}):\n${lines.join('\n')}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let event: {
        event?: string;
        level?: number | string;
        ports?: { tcp: number };
        err?: { message?: string; stack?: string };
      };
      try {
        event = JSON.parse(line);
      } catch {
        keep(`stdout: ${line}`);
        return;
      }
      if (event.event === 'broker_started' && event.ports) resolve(event.ports.tcp);
      if (event.event === 'connection_fault') {
        broker.faults++;
        const at = event.err?.stack?.split('\n').find((l) => l.trim().startsWith('at '));
        if (broker.faultKinds.size < 20) broker.faultKinds.add(`${event.err?.message} ${at?.trim() ?? ''}`);
      }
      if (
        typeof event.level === 'number' ? event.level >= 50 : ['error', 'fatal'].includes(String(event.level))
      ) {
        keep(`log: ${line}`);
      }
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
      keep(`stderr: ${line}`),
    );
  });
  try {
    broker.port = await started;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return broker;
}
