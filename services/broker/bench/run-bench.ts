import { type ChildProcess, execFile, fork, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLogger } from '@mekong/runtime';
import { passwd } from '../src/auth/credentials-file.js';
import { defaultBrokerConfig } from '../src/config.js';
import { startBroker } from '../src/start-broker.js';

/** Throughput and latency of one run, as the subscriber saw it. */
interface RunResult {
  sent: number;
  received: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
}

interface Target {
  name: string;
  url: string;
  username: string;
  password: string;
}

const WORKER = fileURLToPath(new URL('./load-worker.mjs', import.meta.url));
const PASSWORD = 'bench-password-123';
const settings = {
  publisherProcesses: Number(process.env.BENCH_PUBLISHER_PROCESSES ?? 2),
  publishersPerProcess: Number(process.env.BENCH_PUBLISHERS_PER_PROCESS ?? 10),
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  runs: Number(process.env.BENCH_RUNS ?? 3),
  window: 50,
};

function forkWorker(options: Record<string, unknown>): ChildProcess {
  return fork(WORKER, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

const nextMessage = <T>(child: ChildProcess) =>
  new Promise<T>((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('exit', (code) => reject(new Error(`load worker exited with ${code}`)));
  });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function runOnce(target: Target, qos: 0 | 1): Promise<RunResult> {
  const base = { url: target.url, username: target.username, password: target.password, qos };
  const subscriber = forkWorker({ ...base, role: 'sub' });
  await nextMessage(subscriber);
  const publishers = Array.from({ length: settings.publisherProcesses }, (_, worker) =>
    forkWorker({
      ...base,
      role: 'pub',
      worker,
      publishers: settings.publishersPerProcess,
      seconds: settings.seconds,
      window: settings.window,
    }),
  );
  await Promise.all(publishers.map((p) => nextMessage(p)));
  const done = publishers.map((p) => nextMessage<{ sent: number }>(p));
  for (const p of publishers) p.send('go');
  const sent = (await Promise.all(done)).reduce((sum, r) => sum + r.sent, 0);
  await sleep(1_500); // deliveries still on their way
  const report = nextMessage<{ received: number; seconds: number; latencies: number[] }>(subscriber);
  subscriber.send('report');
  const { received, seconds, latencies } = await report;
  latencies.sort((a, b) => a - b);
  return {
    sent,
    received,
    throughput: seconds > 0 ? received / seconds : 0,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
  };
}

async function startOurs(dir: string) {
  const credentialsFile = join(dir, 'credentials.json');
  await passwd(credentialsFile, {
    username: 'bench',
    password: PASSWORD,
    role: 'service',
    publish: ['bench/#'],
    subscribe: ['bench/#'],
  });
  const config = defaultBrokerConfig();
  config.host = '127.0.0.1';
  config.ports = { tcp: 0, ws: null, tls: 0, http: null };
  config.auth.credentialsFile = credentialsFile;
  // Every generator connection logs in as `bench` (as with Mosquitto): lift the per-identity cap.
  config.limits.maxConnectionsPerIdentity = 10_000;
  const broker = await startBroker(config, { logger: createLogger({ service: 'broker', level: 'error' }) });
  return {
    target: {
      name: 'mekong (aedes, auth+ACL)',
      url: `mqtt://127.0.0.1:${broker.ports.tcp}`,
      username: 'bench',
      password: PASSWORD,
    },
    stop: () => broker.close(),
  };
}

async function startMosquitto(dir: string) {
  const run = promisify(execFile);
  const passwordFile = join(dir, 'mosquitto.passwd');
  const aclFile = join(dir, 'mosquitto.acl');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  await writeFile(passwordFile, '');
  await run('mosquitto_passwd', ['-b', passwordFile, 'bench', PASSWORD]);
  await writeFile(aclFile, 'user bench\ntopic readwrite bench/#\n');
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      // Run as whoever runs the bench, so it can read the files of this temporary folder.
      `user ${userInfo().username}`,
      'allow_anonymous false',
      `password_file ${passwordFile}`,
      `acl_file ${aclFile}`,
      'persistence false',
      'max_queued_messages 0',
      'log_type error',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForPort(port);
  return {
    target: {
      name: 'mosquitto (Debian, auth+ACL)',
      url: `mqtt://127.0.0.1:${port}`,
      username: 'bench',
      password: PASSWORD,
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`mosquitto did not listen on ${port}`);
}

/** Runs every configuration `runs` times, alternating brokers, and prints medians and the ratio. */
export async function runBrokerBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mekong-bench-'));
  const ours = await startOurs(dir);
  const mosquitto = await startMosquitto(dir);
  const results: Record<string, RunResult[]> = {};
  try {
    for (const qos of [0, 1] as const) {
      for (let run = 0; run < settings.runs; run++) {
        for (const broker of [ours, mosquitto]) {
          const result = await runOnce(broker.target, qos);
          const key = `${broker.target.name} QoS ${qos}`;
          results[key] = [...(results[key] ?? []), result];
          process.stderr.write(
            `${key} run ${run + 1}: ${Math.round(result.throughput)} msg/s, p50 ${result.p50.toFixed(1)} ms (sent ${result.sent}, received ${result.received})\n`,
          );
        }
      }
    }
  } finally {
    await ours.stop();
    await mosquitto.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const rows = Object.entries(results).map(([name, runs]) => ({
    name,
    throughput: median(runs.map((r) => r.throughput)),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
    delivered: median(runs.map((r) => r.received / Math.max(1, r.sent))),
  }));
  console.log(
    `\nbroker benchmark: ${settings.publisherProcesses}×${settings.publishersPerProcess} publishers in ${settings.publisherProcesses} processes, 1 subscriber process, 100-byte payloads, ${settings.seconds} s a run, medians of ${settings.runs} runs\n`,
  );
  console.log('| broker | msg/s delivered | p50 ms | p95 ms | p99 ms | delivered/sent |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${Math.round(row.throughput)} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.delivered.toFixed(2)} |`,
    );
  }
  for (const qos of [0, 1]) {
    const a = rows.find((r) => r.name.startsWith('mekong') && r.name.endsWith(`QoS ${qos}`));
    const b = rows.find((r) => r.name.startsWith('mosquitto') && r.name.endsWith(`QoS ${qos}`));
    if (a && b)
      console.log(`QoS ${qos}: mekong / mosquitto throughput = ${(a.throughput / b.throughput).toFixed(2)}`);
  }
}
