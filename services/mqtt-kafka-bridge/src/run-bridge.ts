import { createLogger, createShutdown } from '@mekong/runtime';
import type { MqttKafkaBridgeConfig } from './config.js';
import { startMqttKafkaBridge } from './start-bridge.js';

/**
 * The bridge as a process: logger, signal handling and graceful shutdown around `startMqttKafkaBridge`.
 * Both the container entry (`main.ts`) and `mekong bridge mqtt-kafka` run it.
 */
export async function runMqttKafkaBridge(config: MqttKafkaBridgeConfig): Promise<void> {
  const logger = createLogger({ service: 'mqtt-kafka-bridge', level: config.logLevel });
  const shutdown = createShutdown({ logger, timeoutMs: config.drainTimeoutMs + 10_000 });
  shutdown.installSignalHandlers();
  try {
    const bridge = await startMqttKafkaBridge(config, {
      logger,
      onFatal: (error) => {
        logger.fatal({ event: 'fatal', code: (error as { code?: string }).code, err: error }, error.message);
        shutdown.run('fatal').finally(() => process.exit(1));
      },
    });
    shutdown.add('mqtt-kafka bridge', () => bridge.close());
  } catch (error) {
    logger.fatal(
      { event: 'start_failed', code: (error as { code?: string }).code, err: error },
      `the MQTT → Kafka bridge did not start: ${(error as Error).message}`,
    );
    process.exit(1);
  }
}
