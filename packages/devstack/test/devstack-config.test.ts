import { describe, expect, it } from 'vitest';
import { devstackConfigFromEnv } from '../src/devstack-config.js';

describe('devstack settings from the environment', () => {
  it('defaults to local processes on the usual ports under the XDG cache', () => {
    const config = devstackConfigFromEnv({ XDG_CACHE_HOME: '/x/cache' });
    expect(config.instance).toBe('default');
    expect(config.cacheRoot).toBe('/x/cache/mekong');
    expect(config.stackDir).toBe('/x/cache/mekong/stacks/default');
    expect(config.external).toEqual({});
    expect(config.ports.kafka).toEqual({ port: 9092, configured: false });
    expect(config.ports.influxdb).toEqual({ port: 8086, configured: false });
  });

  it('takes Kafka and InfluxDB endpoints given in env', () => {
    const config = devstackConfigFromEnv({
      MEKONG_KAFKA_BROKERS: 'k1:9092, k2:9092',
      MEKONG_INFLUX_URL: 'http://influx:8086/',
      MEKONG_INFLUX_TOKEN: 'secret',
    });
    expect(config.external.kafka).toEqual({ brokers: ['k1:9092', 'k2:9092'] });
    expect(config.external.influxdb).toEqual({
      url: 'http://influx:8086',
      token: 'secret',
      org: 'mekong',
      bucket: 'mekong',
    });
  });

  it('marks ports given in env as configured', () => {
    const config = devstackConfigFromEnv({ MEKONG_KAFKA_PORT: '19092' });
    expect(config.ports.kafka).toEqual({ port: 19092, configured: true });
  });

  it.each([
    [{ MEKONG_KAFKA_PORT: '70000' }, 'MEKONG_KAFKA_PORT'],
    [{ MEKONG_DEVSTACK_DOCKER: 'maybe' }, 'MEKONG_DEVSTACK_DOCKER'],
    [{ MEKONG_DEVSTACK_INSTANCE: 'Has Spaces' }, 'MEKONG_DEVSTACK_INSTANCE'],
    [{ MEKONG_INFLUX_URL: 'http://influx:8086' }, 'MEKONG_INFLUX_TOKEN'],
  ])('names the variable that is wrong: %j', (env, variable) => {
    expect(() => devstackConfigFromEnv(env)).toThrow(variable);
  });
});
