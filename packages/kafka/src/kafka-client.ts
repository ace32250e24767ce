import type { Logger } from '@mekong/runtime';
import { Kafka } from 'kafkajs';
import { kafkaLogCreator, kafkaLogLevel } from './kafka-logger.js';

/**
 * kafkajs' retries of connections and metadata requests: short, so that an outage reaches the service's
 * own retry loop (and /health) within a couple of seconds instead of after kafkajs' default 30 s.
 */
export const KAFKA_CLIENT_RETRY = { initialRetryTime: 200, maxRetryTime: 2_000, retries: 4 };

export interface KafkaClientSettings {
  clientId: string;
  /** Bootstrap servers, `host:port`. */
  brokers: string[];
  /** kafkajs' own lines go here, as `component: kafkajs` events. */
  logger: Logger;
  /** The service's log level; kafkajs logs INFO at debug and trace, else WARN and ERROR only. */
  logLevel: string;
}

/** The kafkajs client every Mekong service uses: short client retries, its logs through pino. */
export function createKafkaClient(settings: KafkaClientSettings): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: KAFKA_CLIENT_RETRY,
    logCreator: kafkaLogCreator(settings.logger),
    logLevel: kafkaLogLevel(settings.logLevel),
  });
}
