import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@mekong/runtime';
import { passwd } from '../../src/auth/credentials-file.js';
import { type BrokerConfig, defaultBrokerConfig } from '../../src/config.js';
import { type RunningBroker, startBroker } from '../../src/start-broker.js';

export const PASSWORD = 'correct-horse-battery';
export const CELL_1 = 'acme/hcm/assembly/line-1/press-1';
export const CELL_2 = 'acme/hcm/assembly/line-1/press-2';
export const topicOf = (cell: string, kind: string) => `mekong/v1/${cell}/${kind}`;

/** A valid count payload, so edge validation passes. */
export const countPayload = (seq: number) =>
  JSON.stringify({ ts: '2026-03-02T06:15:00+07:00', seq, good: 1, scrap: 0, product: 'bracket-a' });

export interface TestBroker {
  broker: RunningBroker;
  config: BrokerConfig;
  dir: string;
  credentialsFile: string;
  /** Every log event the broker wrote. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Users of every test broker: two devices of line-1, a service and an admin, all with PASSWORD. */
export async function writeTestCredentials(file: string): Promise<void> {
  await passwd(file, { username: 'press-1', password: PASSWORD, role: 'device', cell: CELL_1, labour: true });
  await passwd(file, { username: 'press-2', password: PASSWORD, role: 'device', cell: CELL_2 });
  await passwd(file, { username: 'bridge', password: PASSWORD, role: 'service' });
  await passwd(file, { username: 'admin', password: PASSWORD, role: 'admin' });
}

/** A broker on free ports of `::` with the test users, plus whatever `adjust` changes in its config. */
export async function startTestBroker(
  adjust: (config: BrokerConfig) => void | Promise<void> = () => {},
): Promise<TestBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'mekong-broker-'));
  const credentialsFile = join(dir, 'credentials.json');
  await writeTestCredentials(credentialsFile);
  const config = defaultBrokerConfig();
  config.ports = { tcp: 0, ws: 0, tls: 0, http: 0 };
  config.auth.credentialsFile = credentialsFile;
  config.drainTimeoutMs = 1_000;
  await adjust(config);
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      callback();
    },
  });
  const logger = createLogger({ service: 'broker', level: 'info', destination });
  const broker = await startBroker(config, { logger });
  return {
    broker,
    config,
    dir,
    credentialsFile,
    logs,
    stop: async () => {
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Reads one series of the broker's /metrics over HTTP, 0 when absent. */
export async function metricValue(broker: RunningBroker, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${broker.ports.http}/metrics`)).text();
  const prefix = series.includes('{') ? series.slice(0, -1) : `${series}{`;
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(prefix) || line.startsWith(`${series} `)) total += Number(line.split(' ').at(-1));
  }
  return total;
}

export const refusalsOf = (broker: RunningBroker, reason: string) =>
  metricValue(broker, `mekong_broker_refusals_total{reason="${reason}"}`);
