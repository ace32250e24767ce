import { randomBytes } from 'node:crypto';
import { DevstackError } from './errors.js';
import { startLocalInfluxdb } from './influxdb/local-influxdb.js';
import type { InstallContext } from './install-context.js';
import { withInstallLock } from './install-lock.js';
import { startLocalKafka } from './kafka/local-kafka.js';
import { choosePort, waitForPortFree } from './ports.js';
import { isProcessAlive, killProcess, stopProcess } from './process/managed-process.js';
import {
  type InfluxdbState,
  type KafkaState,
  type ProcessState,
  readStackState,
  type StackState,
  writeStackState,
} from './stack-state.js';

export type LocalServiceName = 'kafka' | 'influxdb';

export interface LocalStackLocation {
  instance: string;
  /** Folder of this stack: state file, data directories and logs of its processes. */
  stackDir: string;
}

export interface LocalStackOptions extends LocalStackLocation {
  ctx: InstallContext;
  services: readonly LocalServiceName[];
  /** Ports tried first; a port marked configured must be free, the others move when busy. */
  ports: {
    kafka: { port: number; configured: boolean };
    kafkaController: { port: number; configured: boolean };
    influxdb: { port: number; configured: boolean };
  };
}

export const isRunning = (process: ProcessState | undefined): process is ProcessState =>
  process !== undefined && isProcessAlive(process.pid, process.marker);

async function pickPort(
  step: string,
  saved: number | undefined,
  wanted: { port: number; configured: boolean },
  taken: Set<number>,
  ctx: InstallContext,
): Promise<number> {
  const busy = (port: number, cause?: unknown) =>
    new DevstackError('MEKONG_DEVSTACK_PORT_BUSY', step, `port ${port} is in use`, {
      hint: `stop whatever listens on ${port} (\`ss -ltnp | grep ${port}\`), or configure another port`,
      cause,
    });
  if (saved !== undefined) {
    // A restart keeps the port its clients know; a crashed process may hold it a moment longer.
    if (!(await waitForPortFree(saved, 15_000))) throw busy(saved);
    taken.add(saved);
    return saved;
  }
  try {
    const { port, movedFrom } = await choosePort(wanted.port, { configured: wanted.configured, taken });
    if (movedFrom !== undefined) ctx.progress(`${step}: port ${movedFrom} is busy, using ${port}`);
    taken.add(port);
    return port;
  } catch (error) {
    throw busy(wanted.port, error);
  }
}

async function bringUpKafka(options: LocalStackOptions, saved: KafkaState | undefined): Promise<KafkaState> {
  const taken = new Set<number>();
  const port = await pickPort('start Kafka', saved?.port, options.ports.kafka, taken, options.ctx);
  const controllerPort = await pickPort(
    'start Kafka controller',
    saved?.controllerPort,
    options.ports.kafkaController,
    taken,
    options.ctx,
  );
  const ports = { port, controllerPort };
  return { ...ports, process: await startLocalKafka(options.ctx, options.stackDir, ports) };
}

async function bringUpInfluxdb(
  options: LocalStackOptions,
  saved: InfluxdbState | undefined,
): Promise<InfluxdbState> {
  const port = await pickPort('start InfluxDB', saved?.port, options.ports.influxdb, new Set(), options.ctx);
  // Credentials are made once per stack, never defaulted, and kept in the owner-only state file.
  const username = saved?.username ?? 'mekong-admin';
  const password = saved?.password ?? randomBytes(18).toString('base64url');
  const config = {
    port,
    org: saved?.org ?? 'mekong',
    bucket: saved?.bucket ?? 'mekong',
    username,
    password,
    token: saved?.token ?? randomBytes(32).toString('base64url'),
  };
  return { ...config, process: await startLocalInfluxdb(options.ctx, options.stackDir, config) };
}

/**
 * Brings the local stack up: starts each wanted service that is not already running (a second `up`
 * is a no-op), reusing the ports and data it had before. Returns the state with live processes.
 */
export async function upLocalStack(options: LocalStackOptions): Promise<StackState> {
  return withInstallLock(options.stackDir, options.ctx.progress, async () => {
    let state = await readStackState(options.stackDir, options.instance);
    if (options.services.includes('kafka') && !isRunning(state.kafka?.process)) {
      state = { ...state, kafka: await bringUpKafka(options, state.kafka) };
      await writeStackState(options.stackDir, state);
    }
    if (options.services.includes('influxdb') && !isRunning(state.influxdb?.process)) {
      state = { ...state, influxdb: await bringUpInfluxdb(options, state.influxdb) };
      await writeStackState(options.stackDir, state);
    }
    return state;
  });
}

/** Stops every process of the stack (SIGTERM, then SIGKILL after a grace period); data stays. */
export async function downLocalStack(location: LocalStackLocation): Promise<StackState> {
  const state = await readStackState(location.stackDir, location.instance);
  const stopped: StackState = { instance: state.instance };
  if (state.kafka) {
    if (state.kafka.process) await stopProcess(state.kafka.process.pid, state.kafka.process.marker, 30_000);
    stopped.kafka = { port: state.kafka.port, controllerPort: state.kafka.controllerPort };
  }
  if (state.influxdb) {
    if (state.influxdb.process) await stopProcess(state.influxdb.process.pid, state.influxdb.process.marker);
    const { process: _stoppedProcess, ...rest } = state.influxdb;
    stopped.influxdb = rest;
  }
  await writeStackState(location.stackDir, stopped);
  return stopped;
}

/** Kills one service with SIGKILL, as a crash or power cut would; its ports and data are kept. */
export async function killLocalService(location: LocalStackLocation, name: LocalServiceName): Promise<void> {
  const state = await readStackState(location.stackDir, location.instance);
  const running = state[name]?.process;
  if (!isRunning(running)) {
    throw new DevstackError('MEKONG_DEVSTACK_NOT_RUNNING', `kill ${name}`, `${name} is not running`);
  }
  await killProcess(running.pid, running.marker);
}
