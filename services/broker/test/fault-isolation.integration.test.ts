import mqtt from 'mqtt';
import type { Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CELL_1,
  countPayload,
  PASSWORD,
  refusalsOf,
  startTestBroker,
  type TestBroker,
  topicOf,
} from './helpers/broker-fixture.js';
import { connectPacket, publishV5, rawClient } from './helpers/raw-client.js';

// Issue 10, item 1: one connection's fault must end that connection only. The two packets below
// crashed the whole process (and, under `mekong start`, the bridges sharing it) on 2026-12-04.
let t: TestBroker;

beforeAll(async () => {
  t = await startTestBroker();
});

afterAll(async () => {
  await t?.stop();
});

/** A device that can still log in and round-trip a message proves the process survived. */
async function brokerStillServes(): Promise<void> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
    clientId: 'press-1-probe',
    username: 'press-1',
    password: PASSWORD,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  // Resolves once the broker acknowledged the QoS 1 publish; rejects on a refusal or a closed connection.
  await client.publishAsync(topicOf(CELL_1, 'count'), countPayload(1), { qos: 1 });
  await client.endAsync();
}

describe('fault isolation', () => {
  it.each([
    ['SUBSCRIBE with no topic filter', Buffer.from([0x82, 0x03, 0x00, 0x01, 0x00])],
    ['UNSUBSCRIBE with no topic filter', Buffer.from([0xa2, 0x03, 0x00, 0x01, 0x00])],
  ])('an MQTT 5 %s closes that connection and nothing else', async (_name, bytes) => {
    const client = await rawClient(t.broker.ports.tcp, '127.0.0.1', 5);
    client.send(connectPacket('press-1', 'press-1', PASSWORD, 5));
    expect(codeOf(await client.next('connack'))).toBe(0);
    client.send(bytes);
    expect(await client.closed()).toBe(true);
    // [MQTT-3.8.3-2] a SUBSCRIBE must contain at least one filter: a protocol error, not a crash.
    const disconnect = client.received.find((p) => p.cmd === 'disconnect');
    if (disconnect) expect([0x81, 0x82]).toContain(codeOf(disconnect));
    await brokerStillServes();
  });

  it('a step of the gateway that throws closes the connection with 0x81, is counted and logged', async () => {
    const metrics = t.broker.metrics;
    const original = metrics.messageIn.bind(metrics);
    const before = await refusalsOf(t.broker, 'internal_error');
    metrics.messageIn = () => {
      throw new Error('injected fault');
    };
    try {
      const client = await rawClient(t.broker.ports.tcp, '127.0.0.1', 5);
      client.send(connectPacket('press-1', 'press-1', PASSWORD, 5));
      expect(codeOf(await client.next('connack'))).toBe(0);
      const other = await rawClient(t.broker.ports.tcp, '127.0.0.1', 4);
      other.send(connectPacket('press-2', 'press-2', PASSWORD, 4));
      expect(codeOf(await other.next('connack'))).toBe(0);
      client.send(publishV5(topicOf(CELL_1, 'count'), countPayload(2)));
      expect(await client.closed()).toBe(true);
      expect(codeOf(client.received.find((p) => p.cmd === 'disconnect'))).toBe(0x81);
      // The other connection is untouched.
      other.send(Buffer.from([0xc0, 0x00]));
      expect(await other.next('pingresp')).toBeDefined();
      other.socket.destroy();
    } finally {
      metrics.messageIn = original;
    }
    expect((await refusalsOf(t.broker, 'internal_error')) - before).toBe(1);
    expect(
      t.logs.some((l) => l.event === 'connection_fault' && l.code === 'MEKONG_BROKER_CONNECTION_FAULT'),
    ).toBe(true);
    await brokerStillServes();
  });
});

/** The reason code of an MQTT 5 packet, or the return code of a 3.1.1 CONNACK. */
function codeOf(packet: Packet | undefined): number | undefined {
  const p = packet as { reasonCode?: number; returnCode?: number } | undefined;
  return p?.reasonCode ?? p?.returnCode;
}
