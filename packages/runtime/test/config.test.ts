import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { cliOptionsOf, describeConfig, env, loadConfig } from '../src/config.js';
import { RuntimeError } from '../src/errors.js';

const schema = z.object({
  MEKONG_TEST_PORT: env.port(1883).describe('MQTT port'),
  MEKONG_TEST_DEV: env.boolean(false).describe('development mode'),
  MEKONG_TEST_NAME: z.string().min(1).optional().describe('a name'),
});

describe('loadConfig', () => {
  it('applies defaults and coerces values', () => {
    expect(loadConfig(schema, {})).toEqual({ MEKONG_TEST_PORT: 1883, MEKONG_TEST_DEV: false });
    expect(loadConfig(schema, { MEKONG_TEST_PORT: '8883', MEKONG_TEST_DEV: 'yes' })).toMatchObject({
      MEKONG_TEST_PORT: 8883,
      MEKONG_TEST_DEV: true,
    });
  });

  it('treats an empty string as unset', () => {
    expect(loadConfig(schema, { MEKONG_TEST_PORT: '' }).MEKONG_TEST_PORT).toBe(1883);
  });

  it('names the variable, the value and its description when a value is bad', () => {
    let thrown: unknown;
    try {
      loadConfig(schema, { MEKONG_TEST_PORT: 'abc', MEKONG_TEST_DEV: 'maybe' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RuntimeError);
    const error = thrown as RuntimeError;
    expect(error.code).toBe('MEKONG_CONFIG_INVALID');
    expect(error.message).toMatch(/MEKONG_TEST_PORT: .*got "abc".*MQTT port/);
    expect(error.message).toMatch(/MEKONG_TEST_DEV: expected true or false — got "maybe"/);
  });
});

describe('describeConfig', () => {
  it('lists every variable with description and default', () => {
    expect(describeConfig(schema)).toEqual([
      { name: 'MEKONG_TEST_PORT', description: 'MQTT port', default: '1883' },
      { name: 'MEKONG_TEST_DEV', description: 'development mode', default: 'false' },
      { name: 'MEKONG_TEST_NAME', description: 'a name', default: undefined },
    ]);
  });
});

describe('env.list', () => {
  const lists = z.object({ MEKONG_TEST_HOSTS: env.list('localhost:9092') });

  it('splits on commas, trims items and drops empty ones', () => {
    expect(loadConfig(lists, { MEKONG_TEST_HOSTS: ' k1:9092, k2:9092 ,,k3:9092,' })).toEqual({
      MEKONG_TEST_HOSTS: ['k1:9092', 'k2:9092', 'k3:9092'],
    });
  });

  it('falls back to the default list, and an all-blank value yields an empty list', () => {
    expect(loadConfig(lists, {}).MEKONG_TEST_HOSTS).toEqual(['localhost:9092']);
    expect(loadConfig(lists, { MEKONG_TEST_HOSTS: ' , ' }).MEKONG_TEST_HOSTS).toEqual([]);
  });
});

describe('cliOptionsOf', () => {
  it("turns each variable into a flag without MEKONG_ and the service's own prefix, keeping shared names whole", () => {
    const schema = z.object({
      MEKONG_BROKER_MAX_PACKET_BYTES: env.positiveInt(1024).describe('largest packet'),
      MEKONG_KAFKA_BROKERS: z.string().default('localhost:9092').describe('bootstrap servers'),
    });
    expect(cliOptionsOf(schema, 'BROKER_')).toEqual([
      {
        name: 'MEKONG_BROKER_MAX_PACKET_BYTES',
        flag: '--max-packet-bytes',
        description: 'largest packet',
        default: '1024',
        isSwitch: false,
      },
      {
        name: 'MEKONG_KAFKA_BROKERS',
        flag: '--kafka-brokers',
        description: 'bootstrap servers',
        default: 'localhost:9092',
        isSwitch: false,
      },
    ]);
  });

  it('makes a true/false variable a switch, `…_ENABLED` without its suffix', () => {
    const schema = z.object({
      MEKONG_BROKER_WS_ENABLED: env.boolean(true).describe('serve WebSocket'),
      MEKONG_BROKER_ALLOW_ANONYMOUS: env.boolean(false).describe('development only'),
    });
    expect(cliOptionsOf(schema, 'BROKER_').map((o) => [o.flag, o.isSwitch, o.default])).toEqual([
      ['--ws', true, 'true'],
      ['--allow-anonymous', true, 'false'],
    ]);
  });
});
