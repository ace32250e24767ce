import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { devstackUp } from './devstack.js';
import type { DevstackConfig } from './devstack-config.js';
import type { DevstackEndpoints } from './endpoints.js';
import { consoleProgress } from './run-step.js';
import { reapOrphanTestStacks, removeTestStack, testStackConfig } from './test-stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoints of the real Kafka and InfluxDB this test run uses. */
    devstack: DevstackEndpoints;
    /** Settings of the test stack, for tests that kill and restart its processes. */
    devstackConfig: DevstackConfig;
  }
}

/** Starts the devstack once per test run and hands its endpoints to the integration tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await reapOrphanTestStacks();
  const config = await testStackConfig();
  const started = Date.now();
  const stack = await devstackUp(config, consoleProgress);
  consoleProgress(
    `test stack up in ${Math.round((Date.now() - started) / 1000)} s: Kafka ${stack.endpoints.kafka.brokers.join(',')} (${stack.endpoints.kafka.source}), InfluxDB ${stack.endpoints.influxdb.url} (${stack.endpoints.influxdb.source})`,
  );
  project.provide('devstack', stack.endpoints);
  project.provide('devstackConfig', config);
  return async () => {
    await stack.stop();
    await removeTestStack(config);
  };
}
