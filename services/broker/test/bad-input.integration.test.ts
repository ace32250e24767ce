import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CELL_1,
  CELL_2,
  countPayload,
  metricValue,
  PASSWORD,
  refusalsOf,
  startTestBroker,
  type TestBroker,
  topicOf,
} from './helpers/broker-fixture.js';
import { connectPacket, encodeLength, publishWithTopicBytes, rawClient } from './helpers/raw-client.js';

let t: TestBroker;
let port: number;
// A well-behaved device and a service that listens to it, running through every case below.
let watcherPub: MqttClient;
let watcherSub: MqttClient;
const watched: number[] = [];
let watchSeq = 0;
let watchTimer: NodeJS.Timeout;

beforeAll(async () => {
  t = await startTestBroker((config) => {
    config.limits.connectTimeoutMs = 1_000;
    config.limits.maxPacketSize = 64 * 1024;
    config.limits.publishRate.device = 50;
    config.limits.publishBurst = 50;
  });
  port = t.broker.ports.tcp;
  watcherSub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: 'bridge-watch',
    username: 'bridge',
    password: PASSWORD,
    reconnectPeriod: 0,
  });
  await watcherSub.subscribeAsync(topicOf(CELL_2, 'count'), { qos: 1 });
  watcherSub.on('message', (_topic, payload) => watched.push(JSON.parse(payload.toString()).seq));
  watcherPub = await mqtt.connectAsync(`mqtt://[::1]:${port}`, {
    clientId: 'press-2',
    username: 'press-2',
    password: PASSWORD,
    reconnectPeriod: 0,
  });
  watchTimer = setInterval(() => {
    watcherPub.publish(topicOf(CELL_2, 'count'), countPayload(watchSeq++), { qos: 1 });
  }, 100);
});

afterAll(async () => {
  clearInterval(watchTimer);
  await watcherPub?.endAsync();
  await watcherSub?.endAsync();
  await t?.stop();
});

/** The broker still answers: a fresh client can connect, subscribe and receive its own message. */
async function brokerServes(): Promise<boolean> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: 'admin-probe',
    username: 'admin',
    password: PASSWORD,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
  });
  try {
    await client.subscribeAsync('probe/x', { qos: 1 });
    const got = new Promise<boolean>((resolve) => {
      client.once('message', () => resolve(true));
      setTimeout(() => resolve(false), 5_000);
    });
    await client.publishAsync('probe/x', 'ping', { qos: 1 });
    return await got;
  } finally {
    await client.endAsync();
  }
}

describe('bad input never brings the broker down', () => {
  it('closes connections that send random bytes, and counts them', async () => {
    const before = await metricValue(t.broker, 'mekong_broker_refusals_total');
    let closedByBroker = 0;
    for (let i = 0; i < 100; i++) {
      const client = await rawClient(port, i % 2 === 0 ? '127.0.0.1' : '::1');
      // Noise; half of it after a valid CONNECT header, so it is read as a (broken) CONNECT.
      const noise = randomBytes(1 + ((i * 37) % 2000));
      client.send(i % 4 === 0 ? Buffer.concat([Buffer.from([0x10, 0x20]), noise]) : noise);
      if (await client.closed(3_000)) closedByBroker++;
      client.socket.destroy();
    }
    const after = await metricValue(t.broker, 'mekong_broker_refusals_total');
    expect(closedByBroker).toBe(100);
    expect(after - before).toBe(100);
    expect(await brokerServes()).toBe(true);
  });

  it('times out a truncated CONNECT and counts it', async () => {
    const before = await refusalsOf(t.broker, 'connect_timeout');
    const connect = connectPacket('press-1', 'press-1', PASSWORD);
    const client = await rawClient(port);
    client.send(connect.subarray(0, connect.length - 5));
    expect(await client.closed(3_000)).toBe(true);
    expect((await refusalsOf(t.broker, 'connect_timeout')) - before).toBe(1);
  });

  it('counts a connection dropped in the middle of a packet', async () => {
    const before = await metricValue(t.broker, 'mekong_broker_disconnects_total{cause="dropped"}');
    const client = await rawClient(port);
    client.send(connectPacket('press-1', 'press-1', PASSWORD));
    expect(((await client.next('connack')) as { returnCode?: number } | undefined)?.returnCode).toBe(0);
    const publish = publishWithTopicBytes(
      Buffer.from(topicOf(CELL_1, 'count')),
      Buffer.from(countPayload(1)),
      1,
    );
    client.send(publish.subarray(0, 20));
    client.socket.destroy();
    await waitFor(
      async () => (await metricValue(t.broker, 'mekong_broker_disconnects_total{cause="dropped"}')) > before,
    );
  });

  it('refuses an oversized packet from its header, before reading the body', async () => {
    const before = await refusalsOf(t.broker, 'packet_too_large');
    const client = await rawClient(port);
    client.send(connectPacket('press-1', 'press-1', PASSWORD));
    expect(((await client.next('connack')) as { returnCode?: number } | undefined)?.returnCode).toBe(0);
    // Announces 10 MB; sends only the header and a few bytes.
    client.send(
      Buffer.concat([
        Buffer.from([0x30]),
        encodeLength(10 * 1024 * 1024),
        Buffer.from([0, 3, 0x61, 0x2f, 0x62]),
      ]),
    );
    expect(await client.closed(3_000)).toBe(true);
    expect((await refusalsOf(t.broker, 'packet_too_large')) - before).toBe(1);
  });

  it('refuses a topic that is not UTF-8, and no subscriber sees it', async () => {
    const spy = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: 'admin-spy',
      username: 'admin',
      password: PASSWORD,
      reconnectPeriod: 0,
    });
    const seen: string[] = [];
    spy.on('message', (topic) => seen.push(topic));
    await spy.subscribeAsync('#');
    const before = await refusalsOf(t.broker, 'malformed_packet');
    const client = await rawClient(port);
    client.send(connectPacket('admin-bad-utf8', 'admin', PASSWORD));
    expect(((await client.next('connack')) as { returnCode?: number } | undefined)?.returnCode).toBe(0);
    client.send(publishWithTopicBytes(Buffer.from([0x61, 0x2f, 0xff, 0xfe, 0xc3]), Buffer.from('x')));
    expect(await client.closed(3_000)).toBe(true);
    expect((await refusalsOf(t.broker, 'malformed_packet')) - before).toBe(1);
    const zero = await rawClient(port);
    zero.send(connectPacket('admin-nul', 'admin', PASSWORD));
    await zero.next('connack');
    zero.send(publishWithTopicBytes(Buffer.from('a/\u0000/b'), Buffer.from('x')));
    expect(await zero.closed(3_000)).toBe(true);
    // A fence: once a publish sent after the bad ones has reached the spy, none of them can still come.
    const fence = await rawClient(port);
    fence.send(connectPacket('admin-fence', 'admin', PASSWORD));
    await fence.next('connack');
    fence.send(publishWithTopicBytes(Buffer.from('fence/done'), Buffer.from('x')));
    await waitFor(async () => seen.includes('fence/done'));
    fence.socket.destroy();
    await spy.endAsync();
    expect(seen.filter((topic) => !topic.startsWith('mekong/') && topic !== 'fence/done')).toEqual([]);
  });

  it('throttles a flooding device with quota refusals while others keep flowing', async () => {
    const before = await refusalsOf(t.broker, 'rate_exceeded');
    const flooder = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: 'press-1-flood',
      username: 'press-1',
      password: PASSWORD,
      reconnectPeriod: 0,
    });
    const end = Date.now() + 2_000;
    let sent = 0;
    while (Date.now() < end) {
      for (let i = 0; i < 100; i++)
        flooder.publish(topicOf(CELL_1, 'count'), countPayload(sent++), { qos: 0 });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const acceptedBefore = await metricValue(t.broker, 'mekong_broker_messages_in_total');
    await flooder.endAsync();
    // Every publish the client sent is either accepted or refused by the time the broker has read them all.
    const refusedSoFar = async () => (await refusalsOf(t.broker, 'rate_exceeded')) - before;
    await waitFor(
      async () =>
        (await refusedSoFar()) +
          (await metricValue(t.broker, 'mekong_broker_messages_in_total')) -
          acceptedBefore >=
        sent - 200,
    );
    const refused = await refusedSoFar();
    // 50/s with a burst of 50 over ~2 s lets at most ~160 through.
    expect(refused).toBeGreaterThan(sent - 200);
    expect(await brokerServes()).toBe(true);
  });

  it('survives 20 publishers flooding QoS 0 and then dropping their connections (the mqemitter hazard)', async () => {
    let maxQueue = 0;
    const sampler = setInterval(async () => {
      const detail = (await t.broker.health()).components.mqtt?.detail as { deliveryQueue: number };
      maxQueue = Math.max(maxQueue, detail.deliveryQueue);
    }, 20);
    const droppedBefore = await metricValue(t.broker, 'mekong_broker_disconnects_total{cause="dropped"}');
    const result = await runFloodClients({
      url: `mqtt://127.0.0.1:${port}`,
      publishers: 20,
      seconds: 4,
      qos: 0,
      username: 'admin',
      password: PASSWORD,
      clientPrefix: 'admin-flood',
      topic: 'flood',
      subscribe: true,
      abrupt: true,
    });
    const dropped = async () =>
      (await metricValue(t.broker, 'mekong_broker_disconnects_total{cause="dropped"}')) - droppedBefore;
    await waitFor(async () => (await dropped()) >= 21);
    clearInterval(sampler);
    // The hazard's precondition: thousands of messages queued behind a subscriber that then vanished.
    expect(maxQueue).toBeGreaterThan(1_000);
    expect(result.sent).toBeGreaterThan(maxQueue);
    expect(await brokerServes()).toBe(true);
    expect(await dropped()).toBe(21);
  }, 120_000);

  it('kept the watched device flowing through all of it, in order and without loss', async () => {
    const published = watchSeq;
    await waitFor(async () => watched.length >= published);
    expect(watched.slice(0, published)).toEqual(Array.from({ length: published }, (_, i) => i));
    expect(published).toBeGreaterThan(20);
  });
});

async function runFloodClients(
  options: Record<string, unknown>,
): Promise<{ sent: number; received: number }> {
  const script = fileURLToPath(new URL('./helpers/flood-clients.mjs', import.meta.url));
  const child = fork(script, [JSON.stringify(options)], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('message', (message: { sent?: number; received?: number }) => {
      if (message.sent !== undefined) resolve({ sent: message.sent, received: message.received ?? 0 });
    });
    child.on('exit', (code) => reject(new Error(`flood clients exited with ${code}`)));
  });
}

async function waitFor(condition: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
