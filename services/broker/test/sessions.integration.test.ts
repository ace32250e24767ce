import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CELL_1,
  countPayload,
  PASSWORD,
  startTestBroker,
  type TestBroker,
  topicOf,
} from './helpers/broker-fixture.js';

let t: TestBroker;

beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(async () => {
  await t?.stop();
});

describe('persistent sessions', () => {
  it.each([4, 5] as const)(
    'MQTT %s: QoS 1 messages published while the subscriber was away arrive after it reconnects',
    async (protocolVersion) => {
      const url = `mqtt://[::1]:${t.broker.ports.tcp}`;
      const session = {
        clientId: `bridge-persist-${protocolVersion}`,
        username: 'bridge',
        password: PASSWORD,
        clean: false,
        protocolVersion,
        reconnectPeriod: 0,
        ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {}),
      };
      const first = await mqtt.connectAsync(url, session);
      await first.subscribeAsync(topicOf(CELL_1, 'count'), { qos: 1 });
      await first.endAsync();

      const device = await mqtt.connectAsync(url, {
        clientId: 'press-1',
        username: 'press-1',
        password: PASSWORD,
        reconnectPeriod: 0,
      });
      for (let seq = 0; seq < 10; seq++)
        await device.publishAsync(topicOf(CELL_1, 'count'), countPayload(seq), { qos: 1 });
      await device.endAsync();

      const seqs: number[] = [];
      const second = mqtt.connect(url, session);
      second.on('message', (_topic, payload) => seqs.push(JSON.parse(payload.toString()).seq));
      const connack = await new Promise<{ sessionPresent: boolean }>((resolve) =>
        second.once('connect', resolve),
      );
      const deadline = Date.now() + 10_000;
      while (seqs.length < 10 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      await second.endAsync();
      expect(connack.sessionPresent).toBe(true);
      expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    },
  );

  it('a clean session gets nothing that was published while it was away', async () => {
    const url = `mqtt://127.0.0.1:${t.broker.ports.tcp}`;
    const session = {
      clientId: 'bridge-clean',
      username: 'bridge',
      password: PASSWORD,
      clean: true,
      reconnectPeriod: 0,
    };
    const first = await mqtt.connectAsync(url, session);
    await first.subscribeAsync(topicOf(CELL_1, 'alarm'), { qos: 1 });
    await first.endAsync();
    const device = await mqtt.connectAsync(url, {
      clientId: 'press-1',
      username: 'press-1',
      password: PASSWORD,
      reconnectPeriod: 0,
    });
    await device.publishAsync(topicOf(CELL_1, 'alarm'), '{}', { qos: 1 });
    await device.endAsync();
    const second = await mqtt.connectAsync(url, session);
    const got: string[] = [];
    second.on('message', (topic) => got.push(topic));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await second.endAsync();
    expect(got).toEqual([]);
  });
});
