import { type Logger, LogThrottle } from '@mekong/runtime';
import { type logCreator, logLevel } from 'kafkajs';

// Said at every start because the services bound kafkajs' retries and retry whole batches themselves.
const EXPECTED = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/**
 * kafkajs log lines as pino events (`component: kafkajs`). While Kafka is away kafkajs says the same
 * thing several times a second; the service reports the outage itself with a code, so kafkajs' errors
 * come out as warnings, each distinct message at most once per 10 s (with how many were suppressed).
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  const throttle = new LogThrottle(10_000);
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const fields = { event: 'kafkajs', namespace, ...extra };
      if (EXPECTED.has(message)) child.debug(fields, message);
      else if (level === logLevel.ERROR || level === logLevel.WARN) {
        const admitted = throttle.admit(`${namespace}:${message}`, Date.now());
        if (admitted) child.warn({ ...fields, suppressed: admitted.suppressed }, message);
      } else if (level === logLevel.INFO) child.info(fields, message);
      else child.debug(fields, message);
    };
}

/** kafkajs' own threshold: INFO (group joins, rebalances) when the service logs at debug, else WARN. */
export function kafkaLogLevel(serviceLevel: string): logLevel {
  return serviceLevel === 'debug' || serviceLevel === 'trace' ? logLevel.INFO : logLevel.WARN;
}
