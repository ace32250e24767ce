import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { DevstackError } from '../errors.js';
import type { InstallContext } from '../install-context.js';
import { isProcessAlive, spawnDetached } from '../process/managed-process.js';
import { runStep } from '../run-step.js';
import type { KafkaState, ProcessState } from '../stack-state.js';
import { installKafka } from './install-kafka.js';
import { kafkaLog4j2Properties, kafkaServerProperties } from './kafka-config.js';

/** A fixed cluster id: one node, one cluster per data folder, and a restart must find the same one. */
const CLUSTER_ID = 'bWVrb25nLWRldnN0YWNrMQ';

/** Small heap and few threads: everything runs co-resident on 2 cores. */
const JVM_OPTIONS = [
  '-Xms256m',
  '-Xmx768m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
];

export async function isKafkaReady(brokers: string[]): Promise<boolean> {
  const admin = new Admin({
    clientId: 'mekong-devstack',
    bootstrapBrokers: brokers,
    retries: 0,
    connectTimeout: 2_000,
    requestTimeout: 5_000,
  });
  try {
    const cluster = await admin.metadata({ topics: [] });
    return cluster.brokers.size > 0 && cluster.controllerId >= 0;
  } catch {
    return false;
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/**
 * Starts the local Kafka node of a stack: installs the jars if needed, formats storage on first use,
 * launches the JVM and resolves once a metadata request succeeds.
 */
export async function startLocalKafka(
  ctx: InstallContext,
  stackDir: string,
  state: Omit<KafkaState, 'process'>,
): Promise<ProcessState> {
  const install = await installKafka(ctx);
  const dir = join(stackDir, 'kafka');
  const dataDir = join(dir, 'data');
  const propertiesFile = join(dir, 'server.properties');
  const logFile = join(dir, 'kafka.log');
  const classpath = `${install.libDir}/*`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(propertiesFile, kafkaServerProperties(state, dataDir));
  await writeFile(join(dir, 'log4j2.properties'), kafkaLog4j2Properties(join(dir, 'server.log')));
  const jvm = [
    ...JVM_OPTIONS,
    `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
    '-cp',
    classpath,
  ];

  if (!existsSync(join(dataDir, 'meta.properties'))) {
    await runStep({
      step: 'format Kafka storage',
      command: 'java',
      args: [...jvm, 'kafka.tools.StorageTool', 'format', '-t', CLUSTER_ID, '-c', propertiesFile],
      logFile,
      progress: ctx.progress,
      hint: `remove ${dataDir} if it holds a half-written format, then run again`,
    });
  }

  ctx.progress(`starting Kafka ${install.version} on port ${state.port}`);
  const pid = spawnDetached({ command: 'java', args: [...jvm, 'kafka.Kafka', propertiesFile] }, logFile);
  const processState: ProcessState = {
    pid,
    marker: propertiesFile,
    logFile,
    startedAt: new Date().toISOString(),
  };
  const brokers = [`localhost:${state.port}`];
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid, propertiesFile)) {
      throw new DevstackError('MEKONG_DEVSTACK_START_FAILED', 'start Kafka', 'the Kafka process exited', {
        logFile,
        hint: `read the end of ${logFile} (and ${join(dir, 'server.log')})`,
      });
    }
    if (await isKafkaReady(brokers)) {
      ctx.progress(`Kafka ready on localhost:${state.port}`);
      return processState;
    }
    await sleep(500);
  }
  throw new DevstackError('MEKONG_DEVSTACK_NOT_READY', 'start Kafka', 'no metadata answer within 180 s', {
    logFile,
    hint: 'the machine may be overloaded; run `mekong devstack down` and try again',
  });
}
