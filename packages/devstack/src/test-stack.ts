import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevstackConfig, devstackConfigFromEnv } from './devstack-config.js';
import { downLocalStack } from './local-stack.js';
import { freePort } from './ports.js';

const TEST_STACK_PREFIX = 'mekong-test-';

function isProcessGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Stops the processes of test stacks whose test run died without tearing down (a killed vitest),
 * so no orphan Kafka or InfluxDB outlives its run for long.
 */
export async function reapOrphanTestStacks(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => []);
  for (const entry of entries) {
    if (!entry.startsWith(TEST_STACK_PREFIX)) continue;
    const owner = Number(entry.slice(TEST_STACK_PREFIX.length));
    if (!Number.isInteger(owner) || !isProcessGone(owner)) continue;
    const stackDir = join(tmpdir(), entry);
    await downLocalStack({ instance: entry, stackDir }).catch(() => undefined);
    await rm(stackDir, { recursive: true, force: true });
  }
}

/**
 * Settings for a test run's own stack: fresh data in a temporary folder named after this process,
 * free ports (never a developer's 9092 or 8086), shared install cache.
 */
export async function testStackConfig(env: NodeJS.ProcessEnv = process.env): Promise<DevstackConfig> {
  const base = devstackConfigFromEnv(env);
  const instance = `${TEST_STACK_PREFIX}${process.pid}`;
  const anyPort = async () => ({ port: await freePort(), configured: false });
  return {
    ...base,
    instance,
    stackDir: join(tmpdir(), instance),
    ports: { kafka: await anyPort(), kafkaController: await anyPort(), influxdb: await anyPort() },
  };
}

export async function removeTestStack(config: DevstackConfig): Promise<void> {
  await rm(config.stackDir, { recursive: true, force: true });
}
