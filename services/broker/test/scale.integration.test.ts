import { SignJWT } from 'jose';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countPayload,
  metricValue,
  PASSWORD,
  startTestBroker,
  type TestBroker,
} from './helpers/broker-fixture.js';

const SECRET = 'scale-test-secret-long-enough-for-hs256!';
const CLIENTS = 1_000;
let t: TestBroker;
const clients: MqttClient[] = [];

beforeAll(async () => {
  t = await startTestBroker((config) => {
    config.auth.jwt = { key: SECRET };
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
  await t?.stop();
});

const cellOf = (i: number) => `acme/hcm/assembly/line-${i % 10}/cell-${i}`;

describe('1,000 concurrent clients', () => {
  it('all connect (JWT devices, over IPv4 and IPv6) and each publishes once; the service receives every message', async () => {
    const key = new TextEncoder().encode(SECRET);
    const tokens = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        new SignJWT({ mekong: { role: 'device', cell: cellOf(i) } })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(`dev-${i}`)
          .setExpirationTime('1h')
          .sign(key),
      ),
    );
    const bridge = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
      clientId: 'bridge-scale',
      username: 'bridge',
      password: PASSWORD,
      reconnectPeriod: 0,
    });
    clients.push(bridge);
    const received = new Set<string>();
    bridge.on('message', (topic) => received.add(topic));
    await bridge.subscribeAsync('mekong/v1/#', { qos: 1 });

    for (let batch = 0; batch < CLIENTS; batch += 100) {
      const connected = await Promise.all(
        Array.from({ length: 100 }, (_, k) => {
          const i = batch + k;
          const host = i % 2 === 0 ? '127.0.0.1' : '[::1]';
          return mqtt.connectAsync(`mqtt://${host}:${t.broker.ports.tcp}`, {
            clientId: `dev-${i}`,
            username: `dev-${i}`,
            password: tokens[i],
            reconnectPeriod: 0,
            connectTimeout: 30_000,
          });
        }),
      );
      clients.push(...connected);
    }
    expect(await metricValue(t.broker, 'mekong_broker_connections')).toBe(CLIENTS + 1);

    await Promise.all(
      clients
        .slice(1)
        .map((client, i) => client.publishAsync(`mekong/v1/${cellOf(i)}/count`, countPayload(i), { qos: 1 })),
    );
    const deadline = Date.now() + 30_000;
    while (received.size < CLIENTS && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.size).toBe(CLIENTS);
    expect(await metricValue(t.broker, 'mekong_broker_messages_in_total{qos="1"}')).toBe(CLIENTS);
  }, 120_000);
});
