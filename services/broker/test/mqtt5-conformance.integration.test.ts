import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PASSWORD, startTestBroker, type TestBroker } from './helpers/broker-fixture.js';
import { rawClient } from './helpers/raw-client.js';

// MQTT 5.0 behaviour checked with MQTT.js v5 (a client we did not write) and Debian's mosquitto
// clients, each test named after the normative statement of the OASIS MQTT 5.0 standard it checks.
// The conformance table in docs/mqtt5-conformance.md points here.
const run = promisify(execFile);
let t: TestBroker;
const open: MqttClient[] = [];
let ids = 0;

beforeAll(async () => {
  t = await startTestBroker((config) => {
    config.limits.maxConnectionsPerIdentity = 1_000;
  });
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.endAsync(true).catch(() => {})));
  await t?.stop();
});

/** An admin (full topic rights), so the ACL does not get in the way of the protocol under test. */
async function client(options: IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
    username: 'admin',
    password: PASSWORD,
    clientId: `admin-${++ids}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
    ...options,
  });
  open.push(c);
  return c;
}

/** A client and the CONNACK it got (MQTT.js hands it to the first `connect` event). */
async function clientWithConnack(
  options: IClientOptions = {},
): Promise<{ client: MqttClient; connack: IConnackPacket; seen: IPublishPacket[] }> {
  const c = mqtt.connect(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
    username: 'admin',
    password: PASSWORD,
    clientId: `admin-${++ids}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
    ...options,
  });
  open.push(c);
  // Collected from the start: a resumed session's messages may follow the CONNACK at once.
  const seen = collect(c);
  const connack = await new Promise<IConnackPacket>((resolve, reject) => {
    c.once('connect', resolve);
    c.once('error', reject);
  });
  return { client: c, connack, seen };
}

function collect(c: MqttClient): IPublishPacket[] {
  const seen: IPublishPacket[] = [];
  c.on('message', (_topic, _payload, packet) => seen.push(packet));
  return seen;
}

const topic = (name: string) => `conformance/${name}`;

describe('sessions (3.1.2.11.2, 4.1)', () => {
  it('[MQTT-3.1.2-23] keeps the session after the network connection closes when Session Expiry Interval > 0, and [MQTT-3.2.2-3] answers Session Present 1', async () => {
    const id = 'admin-session';
    const first = await client({ clientId: id, clean: false, properties: { sessionExpiryInterval: 300 } });
    await first.subscribeAsync(topic('session'), { qos: 1 });
    await first.endAsync();
    const publisher = await client();
    await publisher.publishAsync(topic('session'), 'while-away', { qos: 1 });
    const second = mqtt.connect(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
      username: 'admin',
      password: PASSWORD,
      clientId: id,
      protocolVersion: 5,
      clean: false,
      reconnectPeriod: 0,
      properties: { sessionExpiryInterval: 300 },
    });
    open.push(second);
    const seen = collect(second);
    const connack = await new Promise<{ sessionPresent: boolean }>((resolve) =>
      second.once('connect', resolve),
    );
    expect(connack.sessionPresent).toBe(true);
    await vi.waitFor(() => expect(seen.map((p) => String(p.payload))).toEqual(['while-away']));
  });

  it('[MQTT-3.1.2-22] ends the session at disconnect when Session Expiry Interval is absent (Session Present 0)', async () => {
    const id = 'admin-no-expiry';
    const first = await client({ clientId: id, clean: false });
    await first.subscribeAsync(topic('no-expiry'), { qos: 1 });
    await first.endAsync();
    const second = await client({ clientId: id, clean: false });
    expect(
      (second as unknown as { connackPacket?: { sessionPresent?: boolean } }).connackPacket?.sessionPresent ??
        false,
    ).toBe(false);
  });
});

describe('properties are forwarded (3.3.2.3)', () => {
  it('[MQTT-3.3.2-4] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20] forwards payload format, user properties in order, response topic, correlation data and content type', async () => {
    const sub = await client();
    const seen = collect(sub);
    await sub.subscribeAsync(topic('props'), { qos: 1 });
    const pub = await client();
    await pub.publishAsync(topic('props'), '{"a":1}', {
      qos: 1,
      properties: {
        payloadFormatIndicator: true,
        contentType: 'application/json',
        responseTopic: topic('reply'),
        correlationData: Buffer.from([1, 2, 3]),
        userProperties: { plant: 'hcm', shift: 'A' },
      },
    });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const properties = seen[0]?.properties;
    expect(properties?.payloadFormatIndicator).toBe(true);
    expect(properties?.contentType).toBe('application/json');
    expect(properties?.responseTopic).toBe(topic('reply'));
    expect(Buffer.from(properties?.correlationData ?? [])).toEqual(Buffer.from([1, 2, 3]));
    expect(properties?.userProperties).toEqual({ plant: 'hcm', shift: 'A' });
  });

  it('[MQTT-3.3.2-17] keeps the user properties of a retained message', async () => {
    const pub = await client();
    await pub.publishAsync(topic('retained-props'), 'kept', {
      qos: 1,
      retain: true,
      properties: { userProperties: { source: 'retained' } },
    });
    const sub = await client();
    const seen = collect(sub);
    await sub.subscribeAsync(topic('retained-props'), { qos: 1 });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.properties?.userProperties).toEqual({ source: 'retained' });
  });

  it('[MQTT-3.1.3-10] forwards the will properties (user properties, content type) with the will', async () => {
    const sub = await client();
    const seen = collect(sub);
    await sub.subscribeAsync(topic('will-props'), { qos: 1 });
    const dying = await client({
      will: {
        topic: topic('will-props'),
        payload: Buffer.from('gone'),
        qos: 1,
        retain: false,
        properties: { contentType: 'text/plain', userProperties: { why: 'crash' } },
      },
    });
    dying.stream.destroy();
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.properties?.contentType).toBe('text/plain');
    expect(seen[0]?.properties?.userProperties).toEqual({ why: 'crash' });
  });
});

describe('Message Expiry Interval (3.3.2.3.3)', () => {
  it('[MQTT-3.3.2-5] does not deliver a queued message after its expiry; [MQTT-3.3.2-6] sends the remaining lifetime', async () => {
    const id = 'admin-expiry';
    const first = await client({ clientId: id, clean: false, properties: { sessionExpiryInterval: 300 } });
    await first.subscribeAsync(topic('expiry'), { qos: 1 });
    await first.endAsync();
    const pub = await client();
    await pub.publishAsync(topic('expiry'), 'short', { qos: 1, properties: { messageExpiryInterval: 1 } });
    await pub.publishAsync(topic('expiry'), 'long', { qos: 1, properties: { messageExpiryInterval: 100 } });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const { seen } = await clientWithConnack({
      clientId: id,
      clean: false,
      properties: { sessionExpiryInterval: 300 },
    });
    await vi.waitFor(() => expect(seen.map((p) => String(p.payload))).toEqual(['long']));
    const remaining = seen[0]?.properties?.messageExpiryInterval ?? 0;
    expect(remaining).toBeGreaterThan(90);
    expect(remaining).toBeLessThan(100);
  });
});

describe('subscription options (3.8.3.1)', () => {
  it('[MQTT-3.8.3-3] No Local: a client does not receive its own publish', async () => {
    const c = await client();
    const seen = collect(c);
    await c.subscribeAsync(topic('nl'), { qos: 1, nl: true });
    await c.subscribeAsync(topic('nl-control'), { qos: 1 });
    await c.publishAsync(topic('nl'), 'mine', { qos: 1 });
    await c.publishAsync(topic('nl-control'), 'control', { qos: 1 });
    await vi.waitFor(() => expect(seen.map((p) => p.topic)).toContain(topic('nl-control')));
    expect(seen.map((p) => p.topic)).not.toContain(topic('nl'));
  });

  it('[MQTT-3.3.1-12] [MQTT-3.3.1-13] Retain As Published: the RETAIN flag is kept only when asked', async () => {
    const keep = await client();
    const clear = await client();
    const kept = collect(keep);
    const cleared = collect(clear);
    await keep.subscribeAsync(topic('rap'), { qos: 1, rap: true });
    await clear.subscribeAsync(topic('rap'), { qos: 1, rap: false });
    const pub = await client();
    await pub.publishAsync(topic('rap'), 'r', { qos: 1, retain: true });
    await vi.waitFor(() => expect(kept.length + cleared.length).toBe(2));
    expect(kept[0]?.retain).toBe(true);
    expect(cleared[0]?.retain).toBe(false);
  });

  it('[MQTT-3.3.1-9] [MQTT-3.3.1-10] [MQTT-3.3.1-11] Retain Handling 0 sends retained messages, 1 only for a new subscription, 2 never', async () => {
    const pub = await client();
    await pub.publishAsync(topic('rh'), 'retained', { qos: 1, retain: true });
    const counts: number[] = [];
    for (const rh of [0, 1, 2] as const) {
      const c = await client();
      const seen = collect(c);
      await c.subscribeAsync(topic('rh'), { qos: 1, rh });
      await c.subscribeAsync(topic('rh'), { qos: 1, rh }); // the same subscription again
      await c.publishAsync(topic('rh-fence'), 'x', { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      counts.push(seen.length);
    }
    expect(counts).toEqual([2, 1, 0]);
  });

  it('[MQTT-3.3.4-3] returns the Subscription Identifier with matching publishes', async () => {
    const c = await client();
    const seen = collect(c);
    await c.subscribeAsync(topic('sid/#'), { qos: 1, properties: { subscriptionIdentifier: 42 } });
    const pub = await client();
    await pub.publishAsync(topic('sid/a'), 'x', { qos: 1 });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.properties?.subscriptionIdentifier).toBe(42);
  });
});

describe('topic aliases, flow control, keep alive, will delay', () => {
  it('[MQTT-3.2.2-17] announces Topic Alias Maximum; [MQTT-3.3.2-12] a publish by alias reaches subscribers with its topic', async () => {
    const sub = await client();
    const seen = collect(sub);
    await sub.subscribeAsync(topic('alias'), { qos: 1 });
    const { client: pub, connack } = await clientWithConnack();
    expect(connack.properties?.topicAliasMaximum).toBe(64);
    await pub.publishAsync(topic('alias'), 'first', { qos: 1, properties: { topicAlias: 1 } });
    await pub.publishAsync('', 'second', { qos: 1, properties: { topicAlias: 1 } });
    await vi.waitFor(() =>
      expect(seen.map((p) => `${p.topic} ${p.payload}`)).toEqual([
        `${topic('alias')} first`,
        `${topic('alias')} second`,
      ]),
    );
  });

  it('[MQTT-3.1.2-24] never sends a client a packet above its Maximum Packet Size', async () => {
    const small = await client({ properties: { maximumPacketSize: 200 } });
    const seen = collect(small);
    await small.subscribeAsync(topic('mps'), { qos: 1 });
    const pub = await client();
    await pub.publishAsync(topic('mps'), 'x'.repeat(1_000), { qos: 1 });
    await pub.publishAsync(topic('mps'), 'small', { qos: 1 });
    await vi.waitFor(() => expect(seen.map((p) => String(p.payload))).toEqual(['small']));
  });

  it('[MQTT-3.3.4-9] sends no more unacknowledged QoS 1 publishes than the client’s Receive Maximum', async () => {
    // MQTT.js reads the next message only after acknowledging the last one, so the client here is
    // mqtt-packet over a socket, acknowledging when the test says.
    const raw = await rawClient(t.broker.ports.tcp, '127.0.0.1', 5);
    raw.send(
      mqttPacket.generate(
        {
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 5,
          clean: true,
          clientId: 'admin-rm2',
          keepalive: 30,
          username: 'admin',
          password: Buffer.from(PASSWORD),
          properties: { receiveMaximum: 2 },
        },
        { protocolVersion: 5 },
      ),
    );
    expect(await raw.next('connack')).toBeDefined();
    raw.send(
      mqttPacket.generate(
        { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: topic('rm'), qos: 1 }] },
        { protocolVersion: 5 },
      ),
    );
    expect(await raw.next('suback')).toBeDefined();
    const pub = await client();
    for (let i = 0; i < 5; i++) await pub.publishAsync(topic('rm'), `m${i}`, { qos: 1 });
    const publishes = () => raw.received.filter((p): p is IPublishPacket => p.cmd === 'publish');
    await vi.waitFor(() => expect(publishes()).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publishes()).toHaveLength(2);
    const first = publishes()[0] as IPublishPacket;
    raw.send(mqttPacket.generate({ cmd: 'puback', messageId: first.messageId }, { protocolVersion: 5 }));
    await vi.waitFor(() => expect(publishes()).toHaveLength(3));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publishes().map((p) => String(p.payload))).toEqual(['m0', 'm1', 'm2']);
    for (const p of publishes().slice(1)) {
      raw.send(mqttPacket.generate({ cmd: 'puback', messageId: p.messageId }, { protocolVersion: 5 }));
    }
    await vi.waitFor(() =>
      expect(publishes().map((p) => String(p.payload))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']),
    );
    raw.socket.destroy();
  });

  it('[MQTT-3.2.2-21] announces Server Keep Alive when the client asks for more than the broker allows', async () => {
    const { connack } = await clientWithConnack({ keepalive: 65_000 });
    expect(connack.properties?.serverKeepAlive).toBe(1_200);
    const { connack: modest } = await clientWithConnack({ keepalive: 60 });
    expect(modest.properties?.serverKeepAlive).toBeUndefined();
  });

  it('[MQTT-3.1.3-9] publishes a will only after its Will Delay Interval', async () => {
    const sub = await client();
    const seen = collect(sub);
    await sub.subscribeAsync(topic('will-delay'), { qos: 1 });
    const id = 'admin-will-delay';
    const options = {
      clientId: id,
      properties: { sessionExpiryInterval: 60 },
      will: {
        topic: topic('will-delay'),
        payload: Buffer.from('late'),
        qos: 1 as const,
        retain: false,
        properties: { willDelayInterval: 1 },
      },
    };
    const dying = await client(options);
    dying.stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(seen).toHaveLength(0);
    await vi.waitFor(() => expect(seen.map((p) => String(p.payload))).toEqual(['late']), { timeout: 5_000 });
  });
});

describe('MQTT 3.1.1 and 5 together', () => {
  it('a v5 publisher reaches a 3.1.1 subscriber (mosquitto_sub) and a 3.1.1 publisher (mosquitto_pub) a v5 subscriber', async () => {
    const v5sub = await client();
    const seen = collect(v5sub);
    await v5sub.subscribeAsync(topic('interop/from311'), { qos: 1 });
    const sub311 = run(
      'mosquitto_sub',
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(t.broker.ports.tcp),
        '-u',
        'admin',
        '-P',
        PASSWORD,
        '-i',
        'admin-311',
        '-V',
        'mqttv311',
        '-t',
        topic('interop/from5'),
        '-q',
        '1',
        '-C',
        '1',
        '-W',
        '5',
      ],
      { timeout: 10_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const v5pub = await client();
    await v5pub.publishAsync(topic('interop/from5'), 'hello-311', {
      qos: 1,
      properties: { userProperties: { a: 'b' } },
    });
    expect((await sub311).stdout.trim()).toBe('hello-311');
    await run('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(t.broker.ports.tcp),
      '-u',
      'admin',
      '-P',
      PASSWORD,
      '-V',
      'mqttv311',
      '-t',
      topic('interop/from311'),
      '-q',
      '1',
      '-m',
      'hello-5',
    ]);
    await vi.waitFor(() => expect(seen.map((p) => String(p.payload))).toEqual(['hello-5']));
  });
});
