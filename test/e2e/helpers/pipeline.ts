import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BrokerConfig,
  defaultBrokerConfig,
  passwd,
  type RunningBroker,
  startBroker,
} from '@mekong/broker';
import {
  defaultKafkaInfluxConfig,
  type KafkaInfluxBridgeConfig,
  type RunningKafkaInfluxBridge,
  startKafkaInfluxBridge,
} from '@mekong/kafka-influx-bridge';
import {
  defaultMqttKafkaConfig,
  type MqttKafkaBridgeConfig,
  type RunningMqttKafkaBridge,
  startMqttKafkaBridge,
} from '@mekong/mqtt-kafka-bridge';
import { createLogger, type Logger } from '@mekong/runtime';
import type { InfluxEndpoint } from './observe.js';
import { type CellRef, cellPathOf } from './telemetry.js';

export const PASSWORD = 'e2e-correct-horse';
export const repoRoot = join(import.meta.dirname, '../../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '::', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    server.on('error', reject);
  });
}

export const deviceUser = (cell: CellRef) => `${cell.enterprise}.${cell.line}.${cell.cell}`;

/** A credentials file with the bridge (service), an admin, and one device per cell, all with PASSWORD. */
export async function writeCredentials(dir: string, cells: CellRef[]): Promise<string> {
  const file = join(dir, 'credentials.json');
  await passwd(file, { username: 'bridge', password: PASSWORD, role: 'service' });
  await passwd(file, { username: 'admin', password: PASSWORD, role: 'admin' });
  for (const cell of cells) {
    await passwd(file, {
      username: deviceUser(cell),
      password: PASSWORD,
      role: 'device',
      cell: cellPathOf(cell),
      labour: false,
    });
  }
  return file;
}

const tempDirs: string[] = [];

/** A temporary folder removed by `removeTempDirs` (each test file calls it in its afterAll). */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `mekong-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Broker settings for the tests: free ports, no WebSocket, devices not rate-limited (tests publish fast). */
export function testBrokerConfig(credentialsFile: string): BrokerConfig {
  const config = defaultBrokerConfig();
  config.ports = { tcp: 0, ws: null, tls: 0, http: 0 };
  config.auth.credentialsFile = credentialsFile;
  config.limits.publishRate.device = 0;
  config.limits.maxInflight = 1_000;
  config.drainTimeoutMs = 1_000;
  config.logLevel = 'warn';
  return config;
}

export async function startTestBroker(config: BrokerConfig): Promise<RunningBroker> {
  return startBroker(config, { logger: createLogger({ service: 'broker', level: 'warn' }) });
}

/** A logger and the events it logged, which the test can read back. */
export interface CapturedLog {
  logger: Logger;
  events: Record<string, unknown>[];
}

/** A logger whose events the test can read back. */
export function capturingLogger(service: string, level = 'info'): CapturedLog {
  const events: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const event = JSON.parse(line) as Record<string, unknown>;
        events.push(event);
        if (event.level === 'error' || event.level === 'fatal') process.stderr.write(`${line}\n`);
      }
      callback();
    },
  });
  return { logger: createLogger({ service, level, destination }), events };
}

export function mqttKafkaTestConfig(
  mqttUrl: string,
  brokers: string[],
  clientId: string,
): MqttKafkaBridgeConfig {
  const config = defaultMqttKafkaConfig();
  config.mqtt.url = mqttUrl;
  config.mqtt.username = 'bridge';
  config.mqtt.password = PASSWORD;
  config.mqtt.clientId = clientId;
  config.kafka.brokers = brokers;
  config.http.port = 0;
  config.retryMaxMs = 2_000;
  config.drainTimeoutMs = 5_000;
  config.logLevel = 'info';
  return config;
}

/** Starts an MQTT → Kafka bridge in-process, logging to `log`. */
export function startTestMqttKafkaBridge(
  config: MqttKafkaBridgeConfig,
  log: CapturedLog = capturingLogger('mqtt-kafka-bridge'),
): Promise<RunningMqttKafkaBridge> {
  return startMqttKafkaBridge(config, { logger: log.logger });
}

export function kafkaInfluxTestConfig(
  brokers: string[],
  influx: InfluxEndpoint,
  groupId: string,
): KafkaInfluxBridgeConfig {
  const config = defaultKafkaInfluxConfig();
  config.kafka.brokers = brokers;
  config.kafka.groupId = groupId;
  config.influx = {
    ...config.influx,
    url: influx.url,
    token: influx.token,
    org: influx.org,
    bucket: influx.bucket,
  };
  config.http.port = 0;
  config.retryMaxMs = 2_000;
  config.drainTimeoutMs = 5_000;
  config.logLevel = 'info';
  return config;
}

/** Starts a Kafka → InfluxDB bridge in-process, logging to `log`. */
export function startTestKafkaInfluxBridge(
  config: KafkaInfluxBridgeConfig,
  log: CapturedLog = capturingLogger('kafka-influx-bridge'),
): Promise<RunningKafkaInfluxBridge> {
  return startKafkaInfluxBridge(config, { logger: log.logger });
}

export interface TestPipelineOptions {
  /** Prefix of the pipeline's temporary folder (`tempDir`), which holds the credentials file. */
  name: string;
  /** Cells that get a device account (`writeCredentials`). */
  cells: CellRef[];
  /** Kafka bootstrap servers of the bridges. */
  brokers: string[];
  /** Starts an MQTT → Kafka bridge (`mqttKafkaTestConfig`) on the broker, with this client id. */
  mqttKafka?: { clientId: string };
  /** Starts a Kafka → InfluxDB bridge (`kafkaInfluxTestConfig`) after it, writing to `influx` in group `groupId`. */
  kafkaInflux?: { influx: InfluxEndpoint; groupId: string };
}

/**
 * A test broker in-process (`startTestBroker`, credentials of the cells in a temporary folder) and, if
 * asked, an MQTT → Kafka then a Kafka → InfluxDB bridge on it, each with a capturing logger. For a test
 * file's hooks: `beforeAll(() => pipeline.start())` and `afterAll(() => pipeline.close())`; `close`
 * stops whatever `start` got to start, even if it failed half-way.
 */
export class TestPipeline {
  readonly #options: TestPipelineOptions;
  #dir: string | undefined;
  #broker: RunningBroker | undefined;
  #mqttKafka: { bridge: RunningMqttKafkaBridge; log: CapturedLog } | undefined;
  #kafkaInflux: { bridge: RunningKafkaInfluxBridge; log: CapturedLog } | undefined;

  constructor(options: TestPipelineOptions) {
    this.#options = options;
  }

  /** Starts the broker, then the MQTT → Kafka bridge, then the Kafka → InfluxDB bridge. */
  async start(): Promise<void> {
    const { name, cells, brokers, mqttKafka, kafkaInflux } = this.#options;
    const dir = await tempDir(name);
    this.#dir = dir;
    const broker = await startTestBroker(testBrokerConfig(await writeCredentials(dir, cells)));
    this.#broker = broker;
    if (mqttKafka) {
      const config = mqttKafkaTestConfig(`mqtt://127.0.0.1:${broker.ports.tcp}`, brokers, mqttKafka.clientId);
      const log = capturingLogger('mqtt-kafka-bridge');
      this.#mqttKafka = { bridge: await startTestMqttKafkaBridge(config, log), log };
    }
    if (kafkaInflux) {
      const config = kafkaInfluxTestConfig(brokers, kafkaInflux.influx, kafkaInflux.groupId);
      const log = capturingLogger('kafka-influx-bridge');
      this.#kafkaInflux = { bridge: await startTestKafkaInfluxBridge(config, log), log };
    }
  }

  /** Closes the MQTT → Kafka bridge, the Kafka → InfluxDB bridge and the broker, then `removeTempDirs`. */
  async close(): Promise<void> {
    await this.#mqttKafka?.bridge.close();
    await this.#kafkaInflux?.bridge.close();
    await this.#broker?.close();
    await removeTempDirs();
  }

  /** The temporary folder, which holds the credentials file. */
  get dir(): string {
    return started(this.#dir, 'temporary folder');
  }

  get broker(): RunningBroker {
    return started(this.#broker, 'broker');
  }

  get mqttKafka(): RunningMqttKafkaBridge {
    return started(this.#mqttKafka, 'MQTT → Kafka bridge').bridge;
  }

  get mqttKafkaLog(): CapturedLog {
    return started(this.#mqttKafka, 'MQTT → Kafka bridge').log;
  }

  get kafkaInflux(): RunningKafkaInfluxBridge {
    return started(this.#kafkaInflux, 'Kafka → InfluxDB bridge').bridge;
  }

  get kafkaInfluxLog(): CapturedLog {
    return started(this.#kafkaInflux, 'Kafka → InfluxDB bridge').log;
  }
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the test pipeline has no ${what}: not started, or not asked for`);
  return value;
}

/**
 * Publishes `payloads` to `topic` with mosquitto_pub (QoS 1, one message per stdin line), feeding
 * `chunk` lines every `everyMs` so that the stream lasts a while. Resolves with mosquitto_pub's exit code.
 */
export async function publishWithMosquitto(options: {
  port: number;
  host?: string;
  username: string;
  topic: string;
  payloads: string[];
  chunk?: number;
  everyMs?: number;
  protocol?: 'mqttv311' | 'mqttv5';
  /** Sends this file's bytes as one message instead of the lines of `payloads`. */
  fileArgument?: string;
}): Promise<number> {
  const child = spawn(
    'mosquitto_pub',
    [
      '-h',
      options.host ?? '127.0.0.1',
      '-p',
      String(options.port),
      '-u',
      options.username,
      '-P',
      PASSWORD,
      '-q',
      '1',
      '-V',
      options.protocol ?? 'mqttv311',
      '-t',
      options.topic,
      ...(options.fileArgument ? ['-f', options.fileArgument] : ['-l']),
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  // mosquitto_pub that could not connect exits before reading its input; its exit code says so below.
  child.stdin?.on('error', (error) => {
    stderr += `(stdin: ${error.message})`;
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  // A publisher stuck on a refused or dead connection must not outlive the test.
  const guard = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const chunk = Math.max(1, options.chunk ?? options.payloads.length);
  for (let i = 0; i < options.payloads.length; i += chunk) {
    child.stdin?.write(`${options.payloads.slice(i, i + chunk).join('\n')}\n`);
    if (options.everyMs && i + chunk < options.payloads.length) await sleep(options.everyMs);
  }
  child.stdin?.end();
  const code = await exited;
  clearTimeout(guard);
  if (code !== 0) throw new Error(`mosquitto_pub ${options.topic} exited ${code}: ${stderr}`);
  return code;
}

export interface ServiceProcess {
  child: ChildProcess;
  logFile: string;
  httpPort: number;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  logs(): Promise<Record<string, unknown>[]>;
}

/** Runs a service's own `main.ts` as a separate Node process (as its container would), logs to a file. */
export async function spawnService(
  entry: string,
  env: Record<string, string>,
  httpPort: number,
  logDir: string,
  name: string,
): Promise<ServiceProcess> {
  const logFile = join(logDir, `${name}-${Date.now()}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, entry)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    logFile,
    httpPort,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
    logs: async () =>
      (await readFile(logFile, 'utf8'))
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Waits until `GET /health` answers (any status) on `port`. */
export async function waitForHttp(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answered = await fetch(`http://127.0.0.1:${port}/health`).then(
      (response) => response.ok || response.status === 503,
      () => false,
    );
    if (answered) return;
    await sleep(200);
  }
  throw new Error(`nothing answered on http://127.0.0.1:${port}/health within ${timeoutMs} ms`);
}

/** Waits until `/health` says ok. */
export async function waitForHealthy(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`)
      .then((response) => response.json() as Promise<{ status: string }>)
      .then(
        (report) => report.status === 'ok',
        () => false,
      );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`http://127.0.0.1:${port}/health did not report ok within ${timeoutMs} ms`);
}
