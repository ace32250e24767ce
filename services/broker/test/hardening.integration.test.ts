import { execFile } from 'node:child_process';
import { type Socket, connect as tcpConnect } from 'node:net';
import { promisify } from 'node:util';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { passwd } from '../src/auth/credentials-file.js';
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
import {
  connectPacket,
  connectV5WithReceiveMaximum,
  connectV5WithWill,
  publishV5,
  rawClient,
} from './helpers/raw-client.js';

// Issue 10: what a device's credentials must not let it do, each tried with real clients.
const run = promisify(execFile);
const CELL_DEV = 'acme/hcm/assembly/line-2/dev';
const CELL_DEV_A = 'acme/hcm/assembly/line-2/dev-a';
let t: TestBroker;
const open: MqttClient[] = [];

beforeAll(async () => {
  t = await startTestBroker(async (config) => {
    config.limits.maxConnectionsPerIdentity = 3;
    config.limits.maxSubscriptions = 5;
    config.limits.maxPendingPerAddress = 8;
    config.limits.topicAliasMaximum = 4;
    config.limits.publishRate.device = 10;
    config.limits.publishBurst = 10;
    config.wsOrigins = ['https://dashboard.example'];
    const file = config.auth.credentialsFile as string;
    // `dev` is a prefix of `dev-a`: the pair behind the session takeover of issue 10.
    await passwd(file, { username: 'dev', password: PASSWORD, role: 'device', cell: CELL_DEV });
    await passwd(file, { username: 'dev-a', password: PASSWORD, role: 'device', cell: CELL_DEV_A });
    await passwd(file, {
      username: 'subscriber',
      password: PASSWORD,
      role: 'service',
      subscribe: ['mekong/#'],
    });
  });
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.endAsync(true).catch(() => {})));
  await t?.stop();
});

async function connect(options: IClientOptions): Promise<MqttClient> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    password: PASSWORD,
    protocolVersion: 5,
    ...options,
  });
  open.push(client);
  return client;
}

/** The CONNACK reason code of a refused connection (undefined when it was accepted). */
async function refusal(options: IClientOptions): Promise<number | undefined> {
  try {
    const client = await connect(options);
    await client.endAsync();
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

/** mosquitto_sub for one message or a timeout: exit code and output. */
async function mosquittoSub(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(
      'mosquitto_sub',
      ['-h', '127.0.0.1', '-p', String(t.broker.ports.tcp), '-P', PASSWORD, '-W', '2', '-C', '1', ...args],
      { timeout: 10_000 },
    );
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const codeOf = (packet: Packet | undefined) =>
  (packet as { reasonCode?: number; returnCode?: number } | undefined)?.reasonCode ??
  (packet as { returnCode?: number } | undefined)?.returnCode;

describe('client ids and sessions', () => {
  it('refuses user dev the client id dev-a, which is user dev-a’s (mosquitto_sub, 3.1.1)', async () => {
    const before = await refusalsOf(t.broker, 'client_id_rejected');
    const { code, out } = await mosquittoSub([
      '-V',
      'mqttv311',
      '-u',
      'dev',
      '-i',
      'dev-a',
      '-t',
      `mekong/v1/${CELL_DEV}/cmd/#`,
    ]);
    expect(code).not.toBe(0);
    expect(out).toMatch(/identifier rejected/i);
    expect((await refusalsOf(t.broker, 'client_id_rejected')) - before).toBe(1);
  });

  it('keeps a persistent session for the identity that made it; another identity cannot resume it', async () => {
    const topic = `mekong/v1/${CELL_DEV}/cmd/reset`;
    // dev makes a persistent session and leaves.
    const owner = await connect({
      username: 'dev',
      clientId: 'dev-tablet',
      clean: false,
      protocolVersion: 4,
    });
    await owner.subscribeAsync(topic, { qos: 1 });
    await owner.endAsync();
    // A command is queued for it.
    const admin = await connect({ username: 'admin', clientId: 'admin-console' });
    await admin.publishAsync(topic, 'stop', { qos: 1 });
    // admin may use any client id, but not one that belongs to another identity: 0x85.
    const before = await refusalsOf(t.broker, 'session_taken');
    expect(await refusal({ username: 'admin', clientId: 'dev-tablet', clean: false })).toBe(0x85);
    expect((await refusalsOf(t.broker, 'session_taken')) - before).toBe(1);
    // The owner resumes it and gets the queued command (mosquitto_sub, persistent session).
    const { code, out } = await mosquittoSub([
      '-V',
      'mqttv311',
      '-u',
      'dev',
      '-i',
      'dev-tablet',
      '-c',
      '-q',
      '1',
      '-t',
      topic,
    ]);
    expect(code).toBe(0);
    expect(out.trim()).toBe('stop');
  });
});

describe('wills', () => {
  it('refuses at CONNECT a will aimed at another cell (CONNACK 0x87; 5 for 3.1.1 via mosquitto_sub)', async () => {
    const before = await refusalsOf(t.broker, 'will_not_allowed');
    expect(
      await refusal({
        username: 'press-1',
        clientId: 'press-1-will',
        will: { topic: `mekong/v1/${CELL_2}/cmd/stop`, payload: Buffer.from('forged'), qos: 1, retain: true },
      }),
    ).toBe(0x87);
    const { code, out } = await mosquittoSub([
      '-V',
      'mqttv311',
      '-u',
      'press-1',
      '-i',
      'press-1-will311',
      '--will-topic',
      `mekong/v1/${CELL_2}/cmd/stop`,
      '--will-payload',
      'forged',
      '-t',
      `mekong/v1/${CELL_1}/cmd/#`,
    ]);
    expect(code).not.toBe(0);
    expect(out).toMatch(/not authori[sz]ed/i);
    expect((await refusalsOf(t.broker, 'will_not_allowed')) - before).toBe(2);
  });

  it('refuses a will whose topic is empty or has wildcards with 0x90, even for an admin (found by the grammar fuzzer)', async () => {
    for (const topic of ['', 'mekong/#', 'a/+/b']) {
      const client = await rawClient(t.broker.ports.tcp, '127.0.0.1', 5);
      client.send(connectV5WithWill(`admin-will-${topic.length}`, 'admin', PASSWORD, topic));
      expect(codeOf(await client.next('connack'))).toBe(0x90);
      expect(await client.closed()).toBe(true);
    }
  });

  it('publishes a will within the ACL when its client drops', async () => {
    const watcher = await connect({ username: 'subscriber', clientId: 'subscriber-wills' });
    const seen: string[] = [];
    watcher.on('message', (topic, payload) => seen.push(`${topic} ${payload}`));
    await watcher.subscribeAsync(`mekong/v1/${CELL_1}/#`, { qos: 1 });
    const willTopic = topicOf(CELL_1, 'state');
    const dying = await connect({
      username: 'press-1',
      clientId: 'press-1-dying',
      will: { topic: willTopic, payload: Buffer.from('offline'), qos: 1, retain: false },
    });
    (dying.stream as Socket).destroy();
    await vi.waitFor(() => expect(seen).toContain(`${willTopic} offline`), { timeout: 5_000 });
    await watcher.endAsync();
  });
});

describe('per-identity limits', () => {
  it('gives one device at most its connection quota (0x97), whatever the client ids', async () => {
    const before = await refusalsOf(t.broker, 'too_many_connections_for_identity');
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await connect({ username: 'press-2', clientId: `press-2-c${i}` }));
    expect(await refusal({ username: 'press-2', clientId: 'press-2-c3' })).toBe(0x97);
    expect((await refusalsOf(t.broker, 'too_many_connections_for_identity')) - before).toBe(1);
    // Another device is not affected.
    expect(await refusal({ username: 'dev', clientId: 'dev-other' })).toBeUndefined();
    await Promise.all(held.map((c) => c.endAsync()));
    // A slot frees when a connection ends.
    await vi.waitFor(async () =>
      expect(await refusal({ username: 'press-2', clientId: 'press-2-c4' })).toBeUndefined(),
    );
  });

  it('shares one publish rate between all connections of a device', async () => {
    const a = await connect({ username: 'dev-a', clientId: 'dev-a-1' });
    const b = await connect({ username: 'dev-a', clientId: 'dev-a-2' });
    const topic = `mekong/v1/${CELL_DEV_A}/count`;
    const send = (client: MqttClient, i: number) =>
      client.publishAsync(topic, countPayload(i), { qos: 1 }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i % 2 ? a : b, i)));
    // Burst 10 at 10/s: two connections together get about 10, not 20.
    const accepted = results.filter((c) => c === 0).length;
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(accepted).toBeLessThan(15);
    expect(results.filter((c) => c === 0x97).length).toBe(30 - accepted);
  });

  it('caps the subscriptions of one client (SUBACK 0x87 past the cap, counted)', async () => {
    const client = await connect({ username: 'subscriber', clientId: 'subscriber-many' });
    const before = await refusalsOf(t.broker, 'too_many_subscriptions');
    const granted: number[] = [];
    for (let i = 0; i < 7; i++) {
      granted.push(
        await client.subscribeAsync(`mekong/v1/acme/hcm/a/l/c${i}/state`, { qos: 1 }).then(
          ([grant]) => grant?.qos ?? -1,
          // MQTT.js rejects a SUBACK with a failure code and carries the packet.
          (error: { packet?: { granted?: number[] } }) => error.packet?.granted?.[0] ?? -1,
        ),
      );
    }
    expect(granted).toEqual([1, 1, 1, 1, 1, 0x87, 0x87]);
    expect((await refusalsOf(t.broker, 'too_many_subscriptions')) - before).toBe(2);
    await client.endAsync();
  });

  it('keeps a budget of sockets without CONNECT per address: one address cannot use up everyone’s', async () => {
    const before = await refusalsOf(t.broker, 'too_many_pending');
    const idle: Socket[] = [];
    for (let i = 0; i < 12; i++) {
      const socket = tcpConnect({ port: t.broker.ports.tcp, host: '127.0.0.1' });
      socket.on('error', () => {});
      idle.push(socket);
    }
    await vi.waitFor(async () => expect((await refusalsOf(t.broker, 'too_many_pending')) - before).toBe(4));
    // A device from another address (::1) still connects.
    const client = await mqtt.connectAsync(`mqtt://[::1]:${t.broker.ports.tcp}`, {
      username: 'dev',
      password: PASSWORD,
      clientId: 'dev-v6',
      reconnectPeriod: 0,
    });
    await client.endAsync();
    for (const socket of idle) socket.destroy();
  });
});

describe('MQTT 5 details', () => {
  it('resolves topic aliases before the ACL: an alias never set is a protocol error, out of range 0x94', async () => {
    const client = await rawClient(t.broker.ports.tcp, '127.0.0.1', 5);
    client.send(connectPacket('press-1-alias', 'press-1', PASSWORD, 5));
    expect(codeOf(await client.next('connack'))).toBe(0);
    const connack = client.received.find((p) => p.cmd === 'connack') as {
      properties?: { topicAliasMaximum?: number };
    };
    expect(connack.properties?.topicAliasMaximum).toBe(4);
    client.send(publishV5('', countPayload(1), { alias: 1 }));
    expect(await client.closed()).toBe(true);
    expect(codeOf(client.received.find((p) => p.cmd === 'disconnect'))).toBe(0x82);

    const other = await rawClient(t.broker.ports.tcp, '127.0.0.1', 5);
    other.send(connectPacket('press-1-alias2', 'press-1', PASSWORD, 5));
    expect(codeOf(await other.next('connack'))).toBe(0);
    other.send(publishV5(topicOf(CELL_1, 'count'), countPayload(1), { alias: 5 }));
    expect(await other.closed()).toBe(true);
    expect(codeOf(other.received.find((p) => p.cmd === 'disconnect'))).toBe(0x94);
  });

  it('delivers a publish by alias to the topic it stands for, and never lets it reach another cell', async () => {
    const watcher = await connect({ username: 'subscriber', clientId: 'subscriber-alias' });
    const seen: string[] = [];
    watcher.on('message', (topic) => seen.push(topic));
    await watcher.subscribeAsync('mekong/v1/acme/hcm/assembly/line-1/#', { qos: 1 });
    const client = await rawClient(t.broker.ports.tcp, '127.0.0.1', 5);
    client.send(connectPacket('press-1-alias3', 'press-1', PASSWORD, 5));
    expect(codeOf(await client.next('connack'))).toBe(0);
    // Alias 2 given with a topic of another cell: refused by the ACL, so the alias is not set.
    client.send(publishV5(topicOf(CELL_2, 'count'), countPayload(1), { alias: 2 }));
    client.send(publishV5(topicOf(CELL_1, 'count'), countPayload(2), { alias: 1 }));
    client.send(publishV5('', countPayload(3), { alias: 1 }));
    await vi.waitFor(() => expect(seen.filter((s) => s === topicOf(CELL_1, 'count'))).toHaveLength(2));
    client.send(publishV5('', countPayload(4), { alias: 2 }));
    expect(await client.closed()).toBe(true);
    expect(seen).not.toContain(topicOf(CELL_2, 'count'));
    await watcher.endAsync();
  });

  it('answers Receive Maximum 0 with 0x82 and an authentication method with 0x8C', async () => {
    // [MQTT-3.1.2-17] hand-encoded: MQTT.js and mqtt-packet do not send the invalid value 0.
    const raw = await rawClient(t.broker.ports.tcp, '127.0.0.1', 5);
    raw.send(connectV5WithReceiveMaximum('dev-rm0', 'dev', PASSWORD, 0));
    expect(codeOf(await raw.next('connack'))).toBe(0x82);
    expect(await raw.closed()).toBe(true);
    expect(
      await refusal({
        username: 'dev',
        clientId: 'dev-auth',
        properties: { authenticationMethod: 'SCRAM-SHA-1' },
      }),
    ).toBe(0x8c);
  });

  it('does not keep a device’s retained message (delivered now, not to later subscribers)', async () => {
    const before = await metricValue(t.broker, 'mekong_broker_retain_ignored_total');
    const device = await connect({ username: 'dev', clientId: 'dev-retain' });
    await device.publishAsync(`mekong/v1/${CELL_DEV}/state`, '{"retained":true}', { qos: 1, retain: true });
    expect((await metricValue(t.broker, 'mekong_broker_retain_ignored_total')) - before).toBe(1);
    const { code } = await mosquittoSub([
      '-u',
      'subscriber',
      '-i',
      'subscriber-late',
      '-t',
      `mekong/v1/${CELL_DEV}/state`,
    ]);
    // -W 2 expires with exit code 27 when nothing (no retained message) arrived.
    expect(code).toBe(27);
  });
});

describe('logs and WebSocket origins', () => {
  it('clips a 60 KB client id in the log and logs one line per reason and address', async () => {
    const huge = 'x'.repeat(60_000);
    const linesBefore = t.logs.filter((l) => l.reason === 'bad_credentials').length;
    for (let i = 0; i < 5; i++) {
      // From ::1: refusals of 127.0.0.1 earlier in this file must not hide this address's first line.
      const client = await rawClient(t.broker.ports.tcp, '::1', 5);
      client.send(connectPacket(huge, huge, 'wrong-password', 5));
      await client.closed();
    }
    const lines = t.logs.filter((l) => l.reason === 'bad_credentials').slice(linesBefore);
    expect(lines.length).toBe(1);
    expect(JSON.stringify(lines[0]).length).toBeLessThan(1_000);
  });

  it('refuses a browser page from another origin, accepts the allowed one and clients without Origin', async () => {
    const tryOrigin = (origin?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(
          `ws://127.0.0.1:${t.broker.ports.ws}/mqtt`,
          'mqtt',
          origin ? { origin } : {},
        );
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
      });
    expect(await tryOrigin('https://evil.example')).toBe(403);
    expect(await tryOrigin('https://dashboard.example')).toBe(101);
    expect(await tryOrigin()).toBe(101);
    expect(await refusalsOf(t.broker, 'origin_not_allowed')).toBeGreaterThanOrEqual(1);
  });
});
