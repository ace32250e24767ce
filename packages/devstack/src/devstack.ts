import { ensureDebianPackages } from './debian-packages.js';
import type { DevstackConfig } from './devstack-config.js';
import { isDockerAvailable, startDockerInfluxdb, startDockerKafka } from './docker-stack.js';
import type { DevstackEndpoints, EndpointSource, InfluxdbEndpoint, KafkaEndpoint } from './endpoints.js';
import { DevstackError } from './errors.js';
import {
  downLocalStack,
  isRunning,
  killLocalService,
  type LocalServiceName,
  upLocalStack,
} from './local-stack.js';
import { consoleProgress, type Progress } from './run-step.js';
import { readStackState, type StackState } from './stack-state.js';

/** Independent MQTT and Kafka peers that tests and benchmarks use to prove interoperability. */
const CLIENT_TOOLS = ['mosquitto', 'mosquitto-clients', 'kcat'];

export interface RunningDevstack {
  endpoints: DevstackEndpoints;
  /** True when a service lives only as long as this process (Docker containers). */
  attached: boolean;
  /** Stops what this call started: local processes, or containers. Endpoints from env are left alone. */
  stop(): Promise<void>;
}

const localKafkaEndpoint = (state: StackState): KafkaEndpoint => ({
  brokers: [`localhost:${state.kafka?.port}`],
});

const localInfluxdbEndpoint = (state: StackState): InfluxdbEndpoint => {
  const influxdb = state.influxdb;
  if (!influxdb) throw new Error('no local InfluxDB in this stack');
  return {
    url: `http://localhost:${influxdb.port}`,
    token: influxdb.token,
    org: influxdb.org,
    bucket: influxdb.bucket,
  };
};

async function chooseSource(config: DevstackConfig, progress: Progress): Promise<'docker' | 'local'> {
  if (config.docker === 'never') return 'local';
  if (await isDockerAvailable()) {
    progress('a Docker engine answers: starting Kafka and InfluxDB as containers (testcontainers)');
    return 'docker';
  }
  if (config.docker === 'always') {
    throw new DevstackError('MEKONG_DEVSTACK_START_FAILED', 'find Docker', 'no Docker engine answers', {
      hint: 'start Docker, or set MEKONG_DEVSTACK_DOCKER=auto to run local processes instead',
    });
  }
  return 'local';
}

/**
 * Brings up Kafka and InfluxDB, each from the first source that has it: an endpoint given in the
 * environment, else Docker when an engine answers, else local processes installed on first use.
 */
export async function devstackUp(
  config: DevstackConfig,
  progress: Progress = consoleProgress,
): Promise<RunningDevstack> {
  const { kafka: envKafka, influxdb: envInfluxdb } = config.external;
  const wanted: LocalServiceName[] = [];
  if (!envKafka) wanted.push('kafka');
  if (!envInfluxdb) wanted.push('influxdb');
  await ensureDebianPackages({ cacheRoot: config.cacheRoot, progress }, CLIENT_TOOLS);
  const source: EndpointSource = wanted.length === 0 ? 'env' : await chooseSource(config, progress);

  let kafka: KafkaEndpoint | undefined = envKafka;
  let influxdb: InfluxdbEndpoint | undefined = envInfluxdb;
  const stops: Array<() => Promise<void>> = [];
  if (source === 'docker') {
    if (!kafka) {
      const started = await startDockerKafka();
      kafka = started.endpoint;
      stops.push(async () => void (await started.container.stop()));
    }
    if (!influxdb) {
      const started = await startDockerInfluxdb();
      influxdb = started.endpoint;
      stops.push(async () => void (await started.container.stop()));
    }
  } else if (source === 'local') {
    const state = await upLocalStack({
      ...config,
      ctx: { cacheRoot: config.cacheRoot, progress },
      services: wanted,
    });
    if (!kafka) kafka = localKafkaEndpoint(state);
    if (!influxdb) influxdb = localInfluxdbEndpoint(state);
    stops.push(async () => void (await downLocalStack(config)));
  }
  if (!kafka || !influxdb) throw new Error('unreachable: every service has a source');
  return {
    endpoints: {
      kafka: { ...kafka, source: envKafka ? 'env' : source },
      influxdb: { ...influxdb, source: envInfluxdb ? 'env' : source },
    },
    attached: source === 'docker',
    stop: async () => {
      for (const stop of stops) await stop();
    },
  };
}

/** Stops the local stack's processes; its data stays for the next `up`. */
export async function devstackDown(config: DevstackConfig): Promise<void> {
  await downLocalStack(config);
}

export interface ServiceStatus {
  name: LocalServiceName;
  running: boolean;
  pid?: number;
  endpoint?: string;
  logFile?: string;
}

export interface DevstackStatus {
  instance: string;
  stackDir: string;
  services: ServiceStatus[];
}

export async function devstackStatus(config: DevstackConfig): Promise<DevstackStatus> {
  const state = await readStackState(config.stackDir, config.instance);
  const describe = (name: LocalServiceName, endpoint: string | undefined): ServiceStatus => {
    const process = state[name]?.process;
    const running = isRunning(process);
    return {
      name,
      running,
      ...(running && process ? { pid: process.pid } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(process ? { logFile: process.logFile } : {}),
    };
  };
  return {
    instance: config.instance,
    stackDir: config.stackDir,
    services: [
      describe('kafka', state.kafka ? localKafkaEndpoint(state).brokers.join(',') : undefined),
      describe('influxdb', state.influxdb ? localInfluxdbEndpoint(state).url : undefined),
    ],
  };
}

/** Kills one local service with SIGKILL (for failure tests); `devstackRestart` brings it back. */
export async function devstackKill(config: DevstackConfig, name: LocalServiceName): Promise<void> {
  await killLocalService(config, name);
}

/** Starts one local service again on the same ports, with the data it had. */
export async function devstackRestart(
  config: DevstackConfig,
  name: LocalServiceName,
  progress: Progress = consoleProgress,
): Promise<void> {
  await upLocalStack({ ...config, ctx: { cacheRoot: config.cacheRoot, progress }, services: [name] });
}
