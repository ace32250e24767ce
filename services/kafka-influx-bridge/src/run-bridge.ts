import { createLogger, createShutdown } from '@mekong/runtime';
import type { KafkaInfluxBridgeConfig } from './config.js';
import { startKafkaInfluxBridge } from './start-bridge.js';

/**
 * The bridge as a process: logger, signal handling and graceful shutdown around `startKafkaInfluxBridge`.
 * Both the container entry (`main.ts`) and `mekong bridge kafka-influx` run it.
 */
export async function runKafkaInfluxBridge(config: KafkaInfluxBridgeConfig): Promise<void> {
  const logger = createLogger({ service: 'kafka-influx-bridge', level: config.logLevel });
  const shutdown = createShutdown({ logger, timeoutMs: config.drainTimeoutMs + 10_000 });
  shutdown.installSignalHandlers();
  try {
    const bridge = await startKafkaInfluxBridge(config, { logger });
    shutdown.add('kafka-influx bridge', () => bridge.close());
  } catch (error) {
    logger.fatal(
      { event: 'start_failed', code: (error as { code?: string }).code, err: error },
      `the Kafka → InfluxDB bridge did not start: ${(error as Error).message}`,
    );
    process.exit(1);
  }
}
