import { describe, expect, it } from 'vitest';
import { createKafkaClient } from '../src/kafka-client.js';
import { capturedLogger } from './helpers/captured-logger.js';

describe('createKafkaClient', () => {
  it.each([
    ['info', ['warn']],
    ['debug', ['info', 'warn']],
  ])("sends kafkajs' own lines through the service logger at %s: %j", (level, expected) => {
    const { logger, events } = capturedLogger(level);
    const kafka = createKafkaClient({
      clientId: 'test',
      brokers: ['localhost:9092'],
      logger,
      logLevel: level,
    });
    kafka.logger().debug('never', {});
    kafka.logger().info('group joined');
    kafka.logger().warn('broker unreachable', { broker: 'localhost:9092' });
    expect(events.map((event) => event.level)).toEqual(expected);
    expect(events.at(-1)).toMatchObject({
      component: 'kafkajs',
      msg: 'broker unreachable',
      broker: 'localhost:9092',
    });
  });
});
