import { type Logger, LogThrottle } from '@mekong/runtime';

interface BrokerEventPayload {
  broker?: { host: string; port: number };
}

/** What `logKafkaEvents` listens to: any @platformatic/kafka client. */
export interface KafkaEventSource {
  on(event: string, listener: (payload: BrokerEventPayload) => void): unknown;
}

/**
 * The client's connection events as pino events (`component: kafka`). While Kafka is away the client
 * fails to connect several times a second; the service reports the outage itself with a code, so each
 * broker's failure is logged at most once per 10 s (with how many were suppressed).
 */
export function logKafkaEvents(client: KafkaEventSource, logger: Logger, now = Date.now): void {
  const child = logger.child({ component: 'kafka' });
  const throttle = new LogThrottle(10_000);
  const address = (payload: BrokerEventPayload) =>
    payload.broker ? `${payload.broker.host}:${payload.broker.port}` : 'unknown';
  client.on('client:broker:failed', (payload) => {
    const broker = address(payload);
    const admitted = throttle.admit(broker, now());
    if (admitted) {
      child.warn(
        { event: 'kafka_broker_unreachable', broker, suppressed: admitted.suppressed },
        `cannot connect to the Kafka broker ${broker}`,
      );
    }
  });
  client.on('client:broker:connect', (payload) =>
    child.debug({ event: 'kafka_broker_connected', broker: address(payload) }, 'connected to a Kafka broker'),
  );
  client.on('client:broker:disconnect', (payload) =>
    child.debug(
      { event: 'kafka_broker_disconnected', broker: address(payload) },
      'a Kafka connection closed',
    ),
  );
}
