import { logLevel } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kafkaLogCreator, kafkaLogLevel } from '../src/kafka-logger.js';
import { capturedLogger } from './helpers/captured-logger.js';

const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) => ({
  namespace: 'Connection',
  level,
  label: logLevel[level],
  log: { message, timestamp: '2025-01-01T00:00:00.000Z', ...extra },
});

describe('kafkaLogCreator', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns kafkajs lines into pino events of component kafkajs, errors as warnings', () => {
    const { logger, events } = capturedLogger();
    const log = kafkaLogCreator(logger)(logLevel.INFO);
    log(entry(logLevel.ERROR, 'Connection error', { broker: 'k1:9092' }));
    log(entry(logLevel.INFO, 'Consumer has joined the group'));
    log(entry(logLevel.DEBUG, 'Request Fetch'));
    expect(
      events.map(({ level, component, event, namespace, msg }) => ({
        level,
        component,
        event,
        namespace,
        msg,
      })),
    ).toEqual([
      {
        level: 'warn',
        component: 'kafkajs',
        event: 'kafkajs',
        namespace: 'Connection',
        msg: 'Connection error',
      },
      {
        level: 'info',
        component: 'kafkajs',
        event: 'kafkajs',
        namespace: 'Connection',
        msg: 'Consumer has joined the group',
      },
      {
        level: 'debug',
        component: 'kafkajs',
        event: 'kafkajs',
        namespace: 'Connection',
        msg: 'Request Fetch',
      },
    ]);
    expect(events[0]).toMatchObject({ broker: 'k1:9092', suppressed: 0 });
    expect(events[0]).not.toHaveProperty('timestamp');
  });

  it('says each distinct error at most once per 10 s, then how many it held back', () => {
    vi.useFakeTimers({ now: 0 });
    const { logger, events } = capturedLogger();
    const log = kafkaLogCreator(logger)(logLevel.INFO);
    log(entry(logLevel.ERROR, 'Connection error'));
    vi.setSystemTime(1_000);
    log(entry(logLevel.ERROR, 'Connection error'));
    log(entry(logLevel.WARN, 'Connection error'));
    log(entry(logLevel.ERROR, 'Request timed out'));
    vi.setSystemTime(10_000);
    log(entry(logLevel.ERROR, 'Connection error'));
    expect(events.map(({ msg, suppressed }) => ({ msg, suppressed }))).toEqual([
      { msg: 'Connection error', suppressed: 0 },
      { msg: 'Request timed out', suppressed: 0 },
      { msg: 'Connection error', suppressed: 2 },
    ]);
  });

  it('keeps the warning every start brings at debug', () => {
    const { logger, events } = capturedLogger();
    kafkaLogCreator(logger)(logLevel.INFO)(
      entry(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'),
    );
    expect(events).toEqual([expect.objectContaining({ level: 'debug' })]);
  });
});

describe('kafkaLogLevel', () => {
  it.each([
    ['trace', logLevel.INFO],
    ['debug', logLevel.INFO],
    ['info', logLevel.WARN],
    ['warn', logLevel.WARN],
    ['silent', logLevel.WARN],
  ])('service level %s lets kafkajs log from %i', (serviceLevel, expected) => {
    expect(kafkaLogLevel(serviceLevel)).toBe(expected);
  });
});
