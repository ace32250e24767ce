import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { logKafkaEvents } from '../src/kafka-events.js';
import { capturedLogger } from './helpers/captured-logger.js';

const broker = { host: 'k1', port: 9092 };

describe('logKafkaEvents', () => {
  it('logs a broker that cannot be reached once per 10 s, saying how many failures it left out', () => {
    const client = new EventEmitter();
    const { logger, events } = capturedLogger('info');
    let now = 1_000;
    logKafkaEvents(client, logger, () => now);
    client.emit('client:broker:failed', { broker });
    now = 5_000;
    client.emit('client:broker:failed', { broker });
    client.emit('client:broker:failed', { broker });
    now = 11_500;
    client.emit('client:broker:failed', { broker });
    expect(
      events.map(({ level, component, event, broker, suppressed }) => ({
        level,
        component,
        event,
        broker,
        suppressed,
      })),
    ).toEqual([
      {
        level: 'warn',
        component: 'kafka',
        event: 'kafka_broker_unreachable',
        broker: 'k1:9092',
        suppressed: 0,
      },
      {
        level: 'warn',
        component: 'kafka',
        event: 'kafka_broker_unreachable',
        broker: 'k1:9092',
        suppressed: 2,
      },
    ]);
  });

  it('logs connections at debug only', () => {
    const client = new EventEmitter();
    const info = capturedLogger('info');
    logKafkaEvents(client, info.logger);
    client.emit('client:broker:connect', { broker });
    expect(info.events).toEqual([]);
    const debug = capturedLogger('debug');
    logKafkaEvents(client, debug.logger);
    client.emit('client:broker:connect', { broker });
    expect(debug.events).toEqual([
      expect.objectContaining({ event: 'kafka_broker_connected', broker: 'k1:9092' }),
    ]);
  });
});
