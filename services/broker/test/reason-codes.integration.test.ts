import { SignJWT } from 'jose';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBroker } from '../src/start-broker.js';
import {
  CELL_1,
  CELL_2,
  countPayload,
  PASSWORD,
  refusalsOf,
  startTestBroker,
  type TestBroker,
  topicOf,
} from './helpers/broker-fixture.js';

const JWT_SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
let t: TestBroker;
const open: MqttClient[] = [];

beforeAll(async () => {
  t = await startTestBroker((config) => {
    config.validation.enabled = true;
    config.limits.publishRate.device = 20;
    config.limits.publishBurst = 20;
    config.limits.maxPacketSize = 4096;
    config.auth.jwt = { key: JWT_SECRET, issuer: 'mekong-test' };
    // This file keeps many connections of press-1 open at once; the per-identity cap has its own test.
    config.limits.maxConnectionsPerIdentity = 64;
  });
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.endAsync(true).catch(() => {})));
  await t?.stop();
});

type Version = 4 | 5;
const hosts = ['127.0.0.1', '[::1]'];

async function connect(options: IClientOptions & { protocolVersion: Version }, host = '127.0.0.1') {
  const client = await mqtt.connectAsync(`mqtt://${host}:${t.broker.ports.tcp}`, {
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...options,
  });
  open.push(client);
  return client;
}

async function refusedConnect(
  options: IClientOptions & { protocolVersion: Version },
): Promise<number | undefined> {
  try {
    await connect(options);
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

const device = (username: string, protocolVersion: Version, clientId = username) => ({
  clientId,
  username,
  password: PASSWORD,
  protocolVersion,
});

async function service(protocolVersion: Version) {
  const client = await connect({
    clientId: `bridge-${protocolVersion}`,
    username: 'bridge',
    password: PASSWORD,
    protocolVersion,
  });
  const seen: string[] = [];
  client.on('message', (topic) => seen.push(topic));
  await client.subscribeAsync('mekong/#', { qos: 1 });
  return seen;
}

describe('CONNACK', () => {
  it.each(hosts)('accepts good credentials on %s, with both protocol versions', async (host) => {
    for (const version of [4, 5] as const) {
      const client = await connect(device('press-1', version), host);
      expect(client.connected).toBe(true);
      await client.endAsync();
    }
  });

  it('answers MQTT 5 clients 0x86 bad password, 0x87 no credentials, 0x85 foreign client id', async () => {
    const before = await refusalsOf(t.broker, 'bad_credentials');
    const notAuthorizedBefore = await refusalsOf(t.broker, 'not_authorized');
    const clientIdBefore = await refusalsOf(t.broker, 'client_id_rejected');
    expect(await refusedConnect({ ...device('press-1', 5), password: 'wrong-password' })).toBe(0x86);
    expect(await refusedConnect({ ...device('nobody', 5) })).toBe(0x86);
    expect(await refusedConnect({ clientId: 'x', protocolVersion: 5 })).toBe(0x87);
    expect(await refusedConnect(device('press-1', 5, 'press-2'))).toBe(0x85);
    expect((await refusalsOf(t.broker, 'bad_credentials')) - before).toBe(2);
    expect((await refusalsOf(t.broker, 'not_authorized')) - notAuthorizedBefore).toBe(1);
    expect((await refusalsOf(t.broker, 'client_id_rejected')) - clientIdBefore).toBe(1);
  });

  it('answers MQTT 3.1.1 clients 4 bad user name or password, 5 not authorized', async () => {
    expect(await refusedConnect({ ...device('press-1', 4), password: 'wrong-password' })).toBe(4);
    expect(await refusedConnect({ clientId: 'x', protocolVersion: 4 })).toBe(5);
  });

  it('accepts a signed token and refuses a forged or expired one', async () => {
    const sign = (secret: string, expiresIn: string) =>
      new SignJWT({ mekong: { role: 'device', cell: CELL_1 } })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('press-1')
        .setIssuer('mekong-test')
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(new TextEncoder().encode(secret));
    const good = await connect({
      clientId: 'press-1-jwt',
      username: 'press-1',
      password: await sign(JWT_SECRET, '1h'),
      protocolVersion: 5,
    });
    await good.publishAsync(topicOf(CELL_1, 'count'), countPayload(1), { qos: 1 });
    await good.endAsync();
    const forged = await sign('another-secret-that-is-long-enough-for-hs256', '1h');
    expect(
      await refusedConnect({
        clientId: 'press-1-f',
        username: 'press-1',
        password: forged,
        protocolVersion: 5,
      }),
    ).toBe(0x86);
    const expired = await sign(JWT_SECRET, '-1m');
    expect(
      await refusedConnect({
        clientId: 'press-1-e',
        username: 'press-1',
        password: expired,
        protocolVersion: 5,
      }),
    ).toBe(0x86);
  });

  it('answers 0x97 quota exceeded past the connection limit', async () => {
    const small = await startBroker(
      {
        ...t.config,
        ports: { tcp: 0, ws: null, tls: 0, http: null },
        limits: { ...t.config.limits, maxConnections: 2 },
      },
      { logger: (await import('@mekong/runtime')).createLogger({ service: 'broker', level: 'silent' }) },
    );
    try {
      const url = `mqtt://127.0.0.1:${small.ports.tcp}`;
      const a = await mqtt.connectAsync(url, { ...device('press-1', 5, 'press-1-a'), reconnectPeriod: 0 });
      const b = await mqtt.connectAsync(url, { ...device('press-1', 5, 'press-1-b'), reconnectPeriod: 0 });
      const code = await mqtt
        .connectAsync(url, { ...device('press-1', 5, 'press-1-c'), reconnectPeriod: 0 })
        .then(
          () => undefined,
          (error: { code?: number }) => error.code,
        );
      expect(code).toBe(0x97);
      expect(small.metrics.refusalCounts.too_many_connections).toBe(1);
      await a.endAsync();
      await b.endAsync();
    } finally {
      await small.close();
    }
  });
});

describe('PUBLISH', () => {
  it('lets a device publish under its own cell and refuses another cell with PUBACK 0x87; the subscriber never sees it', async () => {
    const seen = await service(5);
    const client = await connect(device('press-1', 5));
    await client.publishAsync(topicOf(CELL_1, 'count'), countPayload(1), { qos: 1 });
    const before = await refusalsOf(t.broker, 'topic_not_allowed');
    const refused = await client.publishAsync(topicOf(CELL_2, 'count'), countPayload(2), { qos: 1 }).then(
      () => undefined,
      (error: { code?: number }) => error.code,
    );
    expect(refused).toBe(0x87);
    expect(client.connected).toBe(true);
    // A later publish of the same client arriving proves the refused one, sent before it, was not delivered.
    await client.publishAsync(topicOf(CELL_1, 'count'), countPayload(3), { qos: 1 });
    await vi.waitFor(() =>
      expect(seen.filter((topic) => topic === topicOf(CELL_1, 'count'))).toHaveLength(2),
    );
    expect(seen).not.toContain(topicOf(CELL_2, 'count'));
    expect((await refusalsOf(t.broker, 'topic_not_allowed')) - before).toBe(1);
    await client.endAsync();
  });

  it('closes an MQTT 3.1.1 device that publishes into another cell (3.1.1 has no negative PUBACK)', async () => {
    const seen = await service(4);
    const client = await connect(device('press-1', 4, 'press-1-v4'));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(topicOf(CELL_2, 'count'), countPayload(3), { qos: 1 });
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).not.toContain(topicOf(CELL_2, 'count'));
  });

  it('allows the labour topic of its line only to a device with the labour right', async () => {
    const labour = 'mekong/v1/acme/hcm/assembly/line-1/_line/labour';
    const payload = JSON.stringify({ ts: 1_700_000_000_000, seq: 1, event: 'headcount', count: 12 });
    const allowed = await connect(device('press-1', 5, 'press-1-labour'));
    await allowed.publishAsync(labour, payload, { qos: 1 });
    const denied = await connect(device('press-2', 5, 'press-2-labour'));
    const code = await denied.publishAsync(labour, payload, { qos: 1 }).then(
      () => undefined,
      (error: { code?: number }) => error.code,
    );
    expect(code).toBe(0x87);
  });

  it('answers 0x99 payload format invalid for a payload that breaks the contract', async () => {
    const before = await refusalsOf(t.broker, 'payload_invalid');
    const client = await connect(device('press-1', 5, 'press-1-payload'));
    const code = await client
      .publishAsync(topicOf(CELL_1, 'count'), '{"ts":"yesterday","good":-1}', { qos: 1 })
      .then(
        () => undefined,
        (error: { code?: number }) => error.code,
      );
    expect(code).toBe(0x99);
    expect((await refusalsOf(t.broker, 'payload_invalid')) - before).toBe(1);
    const line = t.logs.find((log) => log.reason === 'payload_invalid');
    expect(line).toMatchObject({ code: 'MEKONG_INVALID_PAYLOAD', clientId: 'press-1-payload' });
  });

  it('answers 0x97 quota exceeded past the publish rate', async () => {
    // press-2: the rate belongs to the identity, and press-1's bucket is spent by the tests above.
    const client = await connect(device('press-2', 5, 'press-2-rate'));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        client.publishAsync(topicOf(CELL_2, 'count'), countPayload(i), { qos: 1 }).then(
          () => 0,
          (error: { code?: number }) => error.code ?? -1,
        ),
      ),
    );
    expect(results.filter((code) => code === 0).length).toBeGreaterThanOrEqual(20);
    expect(results.filter((code) => code === 0x97).length).toBeGreaterThan(20);
    expect(results.every((code) => code === 0 || code === 0x97)).toBe(true);
  });

  it('sends DISCONNECT 0x95 for a packet over the size limit and counts it', async () => {
    const before = await refusalsOf(t.broker, 'packet_too_large');
    const client = await connect(device('press-1', 5, 'press-1-big'));
    const disconnect = new Promise<number | undefined>((resolve) =>
      client.once('disconnect', (packet) => resolve(packet.reasonCode)),
    );
    client.publish(topicOf(CELL_1, 'sensor'), Buffer.alloc(8_000, 0x61), { qos: 0 });
    expect(await disconnect).toBe(0x95);
    expect((await refusalsOf(t.broker, 'packet_too_large')) - before).toBe(1);
  });
});

describe('SUBSCRIBE', () => {
  it('grants a device its own command topics and refuses wildcards elsewhere (0x87; 0x80 for 3.1.1)', async () => {
    const before = await refusalsOf(t.broker, 'subscription_not_allowed');
    const v5 = await connect(device('press-1', 5, 'press-1-sub5'));
    const granted = await subackCodes(v5, [
      `mekong/v1/${CELL_1}/cmd/#`,
      'mekong/#',
      `mekong/v1/${CELL_2}/cmd/#`,
    ]);
    expect(granted).toEqual([1, 0x87, 0x87]);
    const v4 = await connect(device('press-1', 4, 'press-1-sub4'));
    expect(await subackCodes(v4, [`mekong/v1/${CELL_1}/cmd/reset`, '#'])).toEqual([1, 128]);
    expect((await refusalsOf(t.broker, 'subscription_not_allowed')) - before).toBe(3);
  });

  it('delivers a command from a service to the device that subscribed to it', async () => {
    const deviceClient = await connect(device('press-1', 5, 'press-1-cmd'));
    await deviceClient.subscribeAsync(`mekong/v1/${CELL_1}/cmd/#`, { qos: 1 });
    const got = new Promise<string>((resolve) => deviceClient.once('message', (topic) => resolve(topic)));
    const bridge = await connect({
      clientId: 'bridge-cmd',
      username: 'bridge',
      password: PASSWORD,
      protocolVersion: 5,
    });
    await bridge.publishAsync(`mekong/v1/${CELL_1}/cmd/reset`, '{}', { qos: 1 });
    expect(await got).toBe(`mekong/v1/${CELL_1}/cmd/reset`);
  });
});

/** The SUBACK codes, whether mqtt.js resolves (3.1.1) or rejects (MQTT 5 with a failure code). */
async function subackCodes(client: MqttClient, topics: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(topics, { qos: 1 })).map((g) => g.qos);
  } catch (error) {
    return ((error as { packet?: { granted?: number[] } }).packet?.granted ?? []) as number[];
  }
}
