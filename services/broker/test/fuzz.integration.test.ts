import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from '../fuzz/fuzz-loop.js';
import { metricValue, PASSWORD, startTestBroker, type TestBroker } from './helpers/broker-fixture.js';

let t: TestBroker;
beforeAll(async () => {
  t = await startTestBroker((config) => {
    config.limits.connectTimeoutMs = 1_000;
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('fuzzing (short; `pnpm --filter @mekong/broker fuzz` runs a minute or more)', () => {
  it('keeps serving through 10 s of malformed MQTT, counting what it refused', async () => {
    const probe = async () => {
      const client = await mqtt.connectAsync(`mqtt://[::1]:${t.broker.ports.tcp}`, {
        clientId: 'admin-probe',
        username: 'admin',
        password: PASSWORD,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
      });
      await client.publishAsync('fuzz/probe', 'ok', { qos: 1 });
      await client.endAsync();
      return true;
    };
    const result = await runFuzz(
      { port: t.broker.ports.tcp, seconds: 10, username: 'admin', password: PASSWORD, probe },
      12345,
    );
    expect(result.failedProbe).toBe(false);
    // That the fuzzer ran at all, not how fast: speed belongs to benchmarks.
    expect(result.connections).toBeGreaterThan(10);
    expect(result.probes).toBeGreaterThan(1);
    expect(
      await metricValue(t.broker, 'mekong_broker_refusals_total{reason="malformed_packet"}'),
    ).toBeGreaterThan(10);
    expect(
      await metricValue(t.broker, 'mekong_broker_refusals_total{reason="protocol_error"}'),
    ).toBeGreaterThan(10);
  }, 60_000);
});
