import { createLogger, createShutdown } from '@mekong/runtime';
import type { BrokerConfig } from './config.js';
import { startBroker } from './start-broker.js';

/**
 * The broker as a process: logger, signal handling and graceful shutdown around `startBroker`.
 * Both the container entry (`main.ts`) and `mekong broker` run it.
 */
export async function runBroker(config: BrokerConfig): Promise<void> {
  const logger = createLogger({ service: 'broker', level: config.logLevel });
  const shutdown = createShutdown({ logger, timeoutMs: config.drainTimeoutMs + 10_000 });
  shutdown.installSignalHandlers();
  try {
    const broker = await startBroker(config, { logger });
    shutdown.add('mqtt broker', () => broker.close());
  } catch (error) {
    logger.fatal(
      { event: 'start_failed', code: (error as { code?: string }).code, err: error },
      'broker did not start',
    );
    process.exit(1);
  }
}
