import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@mekong/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type MqttMessage,
  MqttSubscriber,
  type MqttSubscriberSettings,
} from '../../src/mqtt/mqtt-subscriber.js';
import { connack, FakeBroker, publish } from '../helpers/fake-broker.js';

const logger = createLogger({ service: 'test', level: 'silent' });
let broker: FakeBroker;
const subscribers: MqttSubscriber[] = [];

afterEach(async () => {
  for (const subscriber of subscribers.splice(0)) await subscriber.close();
  await broker?.close();
});

function settings(url: string, overrides: Partial<MqttSubscriberSettings> = {}): MqttSubscriberSettings {
  return {
    url,
    clientId: 'bridge-1',
    username: 'bridge',
    password: 'secret',
    protocolVersion: 5,
    topicFilters: ['mekong/v1/#'],
    sessionExpiryS: 3600,
    keepaliveS: 30,
    receiveMaximum: 500,
    reconnect: { initialMs: 20, maxMs: 50 },
    connectTimeoutMs: 2_000,
    ...overrides,
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await sleep(5);
  expect(check()).toBe(true);
}

function subscriberOf(overrides: Partial<MqttSubscriberSettings> = {}) {
  const messages: MqttMessage[] = [];
  const subscriber = new MqttSubscriber(
    settings(broker.url, overrides),
    { message: (m) => messages.push(m) },
    logger,
  );
  subscribers.push(subscriber);
  return { subscriber, messages };
}

describe('MqttSubscriber', () => {
  it('asks for a persistent MQTT 5 session with a session expiry and a receive maximum, then subscribes at QoS 1', async () => {
    broker = await FakeBroker.start();
    const { subscriber } = subscriberOf();
    await subscriber.start();
    const { connect, received } = broker.latest();
    expect(connect).toMatchObject({
      clientId: 'bridge-1',
      clean: false,
      username: 'bridge',
      protocolVersion: 5,
    });
    expect(connect.password?.toString()).toBe('secret');
    expect(connect.properties).toMatchObject({ sessionExpiryInterval: 3600, receiveMaximum: 500 });
    expect(received[0]).toMatchObject({
      cmd: 'subscribe',
      subscriptions: [{ topic: 'mekong/v1/#', qos: 1, rh: 1 }],
    });
  });

  it('uses clean session off with MQTT 3.1.1', async () => {
    broker = await FakeBroker.start();
    const { subscriber } = subscriberOf({ protocolVersion: 4 });
    await subscriber.start();
    expect(broker.latest().connect).toMatchObject({ clean: false, protocolVersion: 4 });
  });

  it('sends each PUBACK only when told, in any order, and never for a connection that is gone', async () => {
    broker = await FakeBroker.start();
    const { subscriber, messages } = subscriberOf();
    await subscriber.start();
    const connection = broker.latest();
    for (let id = 1; id <= 3; id++) connection.send(publish(id, 'mekong/v1/a/b/c/d/e/count', `m${id}`));
    await until(() => messages.length === 3);
    expect(messages.map((m) => m.payload.toString())).toEqual(['m1', 'm2', 'm3']);
    const pubacks = () => connection.received.filter((p) => p.cmd === 'puback').map((p) => p.messageId);
    // One socket keeps order: a PUBACK sent on receipt would arrive before the one for message 3.
    messages[2]?.ack();
    await until(() => pubacks().length >= 1);
    expect(pubacks()).toEqual([3]);
    messages[0]?.ack();
    messages[0]?.ack();
    await until(() => pubacks().length >= 2);
    expect(pubacks()).toEqual([3, 1]);

    connection.socket.destroy();
    await until(() => broker.connections.length === 2 && subscriber.status().connected);
    messages[1]?.ack();
    // Message 1 of the new connection, acked after the stale one: its PUBACK is the first and only one.
    broker.latest().send(publish(1, 'mekong/v1/a/b/c/d/e/count', 'fresh'));
    await until(() => messages.length === 4);
    messages[3]?.ack();
    const fresh = () => broker.latest().received.filter((p) => p.cmd === 'puback');
    await until(() => fresh().length >= 1);
    expect(fresh().map((p) => p.messageId)).toEqual([1]);
  });

  it('reconnects after a lost connection and does not subscribe again when the broker kept the session', async () => {
    broker = await FakeBroker.start();
    const { subscriber, messages } = subscriberOf();
    await subscriber.start();
    broker.onConnect = (c) => c.send(connack(c, { sessionPresent: true }));
    broker.latest().socket.destroy();
    await until(() => broker.connections.length === 2 && subscriber.status().connected);
    // A SUBSCRIBE would follow the CONNACK at once, before the PUBACK of a message sent after it.
    broker.latest().send(publish(1, 'mekong/v1/a/b/c/d/e/count', 'kept session'));
    await until(() => messages.length === 1);
    messages[0]?.ack();
    await until(() => broker.latest().received.some((p) => p.cmd === 'puback'));
    expect(broker.latest().received.filter((p) => p.cmd === 'subscribe')).toEqual([]);
    expect(subscriber.status().reconnects).toBe(1);
  });

  it('stops reading while paused: the broker’s messages wait in TCP until resume', async () => {
    broker = await FakeBroker.start();
    const { subscriber, messages } = subscriberOf();
    await subscriber.start();
    subscriber.pause();
    broker.latest().send(publish(1, 'mekong/v1/a/b/c/d/e/count', 'held'));
    // An absence has no event to wait for: 50 ms is the window in which a read would have shown.
    await sleep(50);
    expect(messages).toHaveLength(0);
    subscriber.resume();
    await until(() => messages.length === 1);
  });

  it('rejects start when the broker refuses the credentials, naming the settings to check', async () => {
    broker = await FakeBroker.start();
    broker.onConnect = (c) => c.send(connack(c, { sessionPresent: false, code: 0x86 }));
    const { subscriber } = subscriberOf();
    await expect(subscriber.start()).rejects.toMatchObject({
      code: 'MEKONG_MQTT_CONNECT_REFUSED',
      message: expect.stringContaining('MEKONG_MQTT_PASSWORD'),
    });
  });

  it('rejects start when the subscription is refused (ACL)', async () => {
    broker = await FakeBroker.start();
    broker.onSubscribe = (c, p) => c.send({ cmd: 'suback', messageId: p.messageId ?? 0, granted: [0x87] });
    const { subscriber } = subscriberOf();
    await expect(subscriber.start()).rejects.toMatchObject({ code: 'MEKONG_MQTT_SUBSCRIBE_REFUSED' });
  });

  it('rejects a $share filter when the broker says it has no shared subscriptions', async () => {
    broker = await FakeBroker.start();
    broker.onConnect = (c) =>
      c.send(connack(c, { sessionPresent: false, properties: { sharedSubscriptionAvailable: false } }));
    const { subscriber } = subscriberOf({ topicFilters: ['$share/bridges/mekong/v1/#'] });
    await expect(subscriber.start()).rejects.toMatchObject({
      code: 'MEKONG_MQTT_SHARED_SUBSCRIPTION_UNAVAILABLE',
    });
  });

  it('keeps trying an unreachable broker until it answers', async () => {
    broker = await FakeBroker.start();
    const url = broker.url;
    const port = Number(new URL(url).port);
    await broker.close();
    const messages: MqttMessage[] = [];
    const subscriber = new MqttSubscriber(settings(url), { message: (m) => messages.push(m) }, logger);
    subscribers.push(subscriber);
    let settled = false;
    const started = subscriber.start().finally(() => {
      settled = true;
    });
    await until(() => subscriber.status().lastError?.includes('ECONNREFUSED') === true);
    expect(subscriber.status().connected).toBe(false);
    expect(settled).toBe(false);
    broker = await FakeBroker.start(port);
    await started;
    expect(subscriber.status().connected).toBe(true);
    expect(broker.latest().received.filter((p) => p.cmd === 'subscribe')).toHaveLength(1);
    broker.latest().send(publish(1, 'mekong/v1/a/b/c/d/e/count', 'after the outage'));
    await until(() => messages.length === 1);
    expect(messages[0]?.payload.toString()).toBe('after the outage');
  });
});
