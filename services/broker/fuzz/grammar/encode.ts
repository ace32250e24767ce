import { isDeepStrictEqual } from 'node:util';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { encodeLength as varint } from '../../test/helpers/raw-client.js';

// A tiny MQTT 5 encoder for the edge cases that mqtt-packet refuses to write (SUBSCRIBE or UNSUBSCRIBE
// without a filter, retain handling 3, properties out of range, empty user properties, …), so they
// still reach the broker. Field names follow mqtt-packet's packet objects.

type Kind = 'byte' | 'u16' | 'u32' | 'varint' | 'string' | 'binary' | 'pair';

/** Every MQTT 5 property: its identifier and its wire type, by mqtt-packet's name. */
export const PROPERTIES: Record<string, readonly [number, Kind]> = {
  payloadFormatIndicator: [0x01, 'byte'],
  messageExpiryInterval: [0x02, 'u32'],
  contentType: [0x03, 'string'],
  responseTopic: [0x08, 'string'],
  correlationData: [0x09, 'binary'],
  subscriptionIdentifier: [0x0b, 'varint'],
  sessionExpiryInterval: [0x11, 'u32'],
  assignedClientIdentifier: [0x12, 'string'],
  serverKeepAlive: [0x13, 'u16'],
  authenticationMethod: [0x15, 'string'],
  authenticationData: [0x16, 'binary'],
  requestProblemInformation: [0x17, 'byte'],
  willDelayInterval: [0x18, 'u32'],
  requestResponseInformation: [0x19, 'byte'],
  responseInformation: [0x1a, 'string'],
  serverReference: [0x1c, 'string'],
  reasonString: [0x1f, 'string'],
  receiveMaximum: [0x21, 'u16'],
  topicAliasMaximum: [0x22, 'u16'],
  topicAlias: [0x23, 'u16'],
  maximumQoS: [0x24, 'byte'],
  retainAvailable: [0x25, 'byte'],
  userProperties: [0x26, 'pair'],
  maximumPacketSize: [0x27, 'u32'],
  wildcardSubscriptionAvailable: [0x28, 'byte'],
  subscriptionIdentifiersAvailable: [0x29, 'byte'],
  sharedSubscriptionAvailable: [0x2a, 'byte'],
};

export type Properties = Record<string, unknown>;

const u16 = (value: number) => Buffer.from([(value >> 8) & 0xff, value & 0xff]);
const u32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
};
const toBytes = (value: unknown) => (Buffer.isBuffer(value) ? value : Buffer.from(String(value ?? '')));
/** A two-byte length and the bytes: UTF-8 strings and binary data alike. */
export const lengthPrefixed = (value: unknown) => {
  const bytes = toBytes(value);
  return Buffer.concat([u16(bytes.length), bytes]);
};

function property(kind: Kind, value: unknown): Buffer {
  const n = typeof value === 'boolean' ? Number(value) : Number(value);
  switch (kind) {
    case 'byte':
      return Buffer.from([n & 0xff]);
    case 'u16':
      return u16(n);
    case 'u32':
      return u32(n);
    case 'varint':
      return varint(n);
    case 'string':
    case 'binary':
      return lengthPrefixed(value);
    case 'pair':
      return Buffer.alloc(0);
  }
}

/** The property length and the properties, in the order given; arrays repeat a property. */
export function encodeProperties(properties: Properties | undefined): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(properties ?? {})) {
    const spec = PROPERTIES[name];
    if (!spec || value === undefined) continue;
    const [id, kind] = spec;
    if (kind === 'pair') {
      for (const [key, values] of Object.entries(value as Record<string, string | string[]>)) {
        for (const v of [values].flat()) {
          parts.push(Buffer.from([id]), lengthPrefixed(key), lengthPrefixed(v));
        }
      }
    } else {
      for (const v of Array.isArray(value) ? value : [value])
        parts.push(Buffer.from([id]), property(kind, v));
    }
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([varint(body.length), body]);
}

const packetTypes: Record<string, number> = {
  connect: 1,
  publish: 3,
  puback: 4,
  pubrec: 5,
  pubrel: 6,
  pubcomp: 7,
  subscribe: 8,
  unsubscribe: 10,
  pingreq: 12,
  disconnect: 14,
  auth: 15,
};

/** The fixed header and the variable header plus payload of `packet`, MQTT 5, whatever its values. */
export function handEncode(packet: Packet): Buffer {
  const p = packet as unknown as Record<string, unknown> & { properties?: Properties };
  const type = packetTypes[packet.cmd];
  if (type === undefined) throw new Error(`no encoder for ${packet.cmd}`);
  let flags = 0;
  let body: Buffer[] = [];
  const messageId = u16(Number(p.messageId ?? 0));
  const ack = () => {
    if (p.reasonCode === undefined && !p.properties) return [messageId];
    return [
      messageId,
      Buffer.from([Number(p.reasonCode ?? 0)]),
      ...(p.properties ? [encodeProperties(p.properties)] : []),
    ];
  };
  switch (packet.cmd) {
    case 'connect': {
      const will = p.will as (Record<string, unknown> & { properties?: Properties }) | undefined;
      const connectFlags =
        (p.username !== undefined ? 0x80 : 0) |
        (p.password !== undefined ? 0x40 : 0) |
        (will?.retain ? 0x20 : 0) |
        ((Number(will?.qos ?? 0) & 3) << 3) |
        (will ? 0x04 : 0) |
        (p.clean ? 0x02 : 0);
      body = [
        lengthPrefixed('MQTT'),
        Buffer.from([5, connectFlags]),
        u16(Number(p.keepalive ?? 0)),
        encodeProperties(p.properties),
        lengthPrefixed(p.clientId),
      ];
      if (will)
        body.push(
          encodeProperties(will.properties),
          lengthPrefixed(will.topic),
          lengthPrefixed(will.payload),
        );
      if (p.username !== undefined) body.push(lengthPrefixed(p.username));
      if (p.password !== undefined) body.push(lengthPrefixed(p.password));
      break;
    }
    case 'publish': {
      const qos = Number(p.qos ?? 0);
      flags = (p.dup ? 8 : 0) | ((qos & 3) << 1) | (p.retain ? 1 : 0);
      body = [
        lengthPrefixed(p.topic),
        ...(qos > 0 ? [messageId] : []),
        encodeProperties(p.properties),
        toBytes(p.payload),
      ];
      break;
    }
    case 'pubrel':
      flags = 2;
      body = ack();
      break;
    case 'puback':
    case 'pubrec':
    case 'pubcomp':
      body = ack();
      break;
    case 'subscribe': {
      flags = 2;
      const subscriptions = (p.subscriptions ?? []) as Record<string, unknown>[];
      body = [messageId, encodeProperties(p.properties)];
      for (const s of subscriptions) {
        const options =
          (Number(s.qos ?? 0) & 3) | (s.nl ? 4 : 0) | (s.rap ? 8 : 0) | ((Number(s.rh ?? 0) & 3) << 4);
        body.push(lengthPrefixed(s.topic), Buffer.from([options]));
      }
      break;
    }
    case 'unsubscribe':
      flags = 2;
      body = [
        messageId,
        encodeProperties(p.properties),
        ...((p.unsubscriptions ?? []) as string[]).map(lengthPrefixed),
      ];
      break;
    case 'pingreq':
      break;
    case 'disconnect':
    case 'auth':
      if (p.reasonCode !== undefined || p.properties) {
        body = [Buffer.from([Number(p.reasonCode ?? 0)]), encodeProperties(p.properties)];
      }
      break;
  }
  const rest = Buffer.concat(body);
  return Buffer.concat([Buffer.from([(type << 4) | flags]), varint(rest.length), rest]);
}

/** The packet mqtt-packet's parser reads from `bytes`, without its length; undefined when refused. */
function parsed(bytes: Buffer): Record<string, unknown> | undefined {
  let packet: Record<string, unknown> | undefined;
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  parser.on('packet', ({ length: _, ...rest }: Packet) => {
    packet ??= rest;
  });
  parser.on('error', () => {});
  parser.parse(bytes);
  return packet;
}

/**
 * mqtt-packet's encoding of `packet` (MQTT 5) where it writes it faithfully; the hand encoding where
 * it refuses it or would change it (it masks a subscription's QoS 3, for one).
 */
export function encode(packet: Packet): { bytes: Buffer; byHand: boolean } {
  const byHand = handEncode(packet);
  try {
    const bytes = mqttPacket.generate(packet, { protocolVersion: 5 });
    if (bytes.length > 0 && isDeepStrictEqual(parsed(bytes), parsed(byHand))) return { bytes, byHand: false };
  } catch {
    // refused: an edge case outside what mqtt-packet writes
  }
  return { bytes: byHand, byHand: true };
}
