import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CELL_1,
  CELL_2,
  PASSWORD,
  startTestBroker,
  type TestBroker,
  topicOf,
} from './helpers/broker-fixture.js';

/**
 * A connected persistent subscriber gets every QoS 1 message its broker acknowledged, in each
 * publisher's order — also when an asynchronous store (durable mode) finishes storing messages out
 * of order, and when QoS 0 messages overtake QoS 1 ones still being stored. Both lost messages in
 * aedes 1.2.0 without delivery/exact-dedupe.ts and persistence/in-call-order.ts.
 */
describe.each(['memory', 'durable'] as const)('online delivery to a persistent session (%s)', (mode) => {
  let running: TestBroker | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('delivers every acknowledged QoS 1 message in order while QoS 0 traffic interleaves', async () => {
    running = await startTestBroker((config) => {
      config.persistence = { mode, dataDir: `${config.auth.credentialsFile}.data`, concurrency: 100 };
      config.limits.maxInflight = 1_000;
    });
    const url = `mqtt://127.0.0.1:${running.broker.ports.tcp}`;
    const subscriber = await mqtt.connectAsync(url, {
      clientId: 'bridge-online',
      username: 'bridge',
      password: PASSWORD,
      clean: false,
      reconnectPeriod: 0,
    });
    const received = new Map<string, number[]>();
    subscriber.on('message', (topic, payload, packet) => {
      if (packet.qos !== 1) return;
      const seqs = received.get(topic) ?? [];
      seqs.push(Number(payload.toString()));
      received.set(topic, seqs);
    });
    await subscriber.subscribeAsync('mekong/v1/#', { qos: 1 });

    const topics = [topicOf(CELL_1, 'count'), topicOf(CELL_2, 'count')];
    const publishers = await Promise.all(
      topics.map((_, i) =>
        mqtt.connectAsync(url, { clientId: `admin-p${i}`, username: 'admin', password: PASSWORD }),
      ),
    );
    const perTopic = 600;
    const acknowledged: Promise<unknown>[] = [];
    for (let seq = 0; seq < perTopic; seq += 20) {
      publishers.forEach((publisher, i) => {
        for (let k = seq; k < seq + 20; k++) {
          acknowledged.push(publisher.publishAsync(topics[i] as string, String(k), { qos: 1 }));
          void publisher.publishAsync(topicOf(i === 0 ? CELL_1 : CELL_2, 'sensor'), String(k), { qos: 0 });
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all(acknowledged);
    const expected = Array.from({ length: perTopic }, (_, k) => k);
    await expect
      .poll(() => topics.map((topic) => received.get(topic)?.length ?? 0), { timeout: 15_000 })
      .toEqual([perTopic, perTopic]);
    for (const topic of topics) expect(received.get(topic)).toEqual(expected);
    await Promise.all([...publishers, subscriber].map((client) => client.endAsync()));
  }, 60_000);
});
