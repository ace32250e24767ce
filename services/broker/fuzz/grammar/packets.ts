import type { Packet } from 'mqtt-packet';
import type { Random } from '../random.js';
import type { Properties } from './encode.js';
import {
  ACK_CODES,
  AUTH_CODES,
  DISCONNECT_CODES,
  payload,
  reasonCode,
  someOf,
  text,
  topic,
  topicFilter,
  U16_MAX,
  U32_MAX,
  type User,
  userProperties,
  VARINT_MAX,
} from './fields.js';

// Well-formed MQTT 5 client → server packets as mqtt-packet objects, with edge cases in every field.

const messageId = (r: Random) => r.edge(U16_MAX);
const bool = (r: Random) => r.chance(0.5);
/** A byte-sized flag property: true, false, or an out-of-range value. */
const flag = (r: Random) => r.pick([true, false, 0, 1, 2, 255]);

/** An authenticated CONNECT of `user`, with or without will, and any of the CONNECT properties. */
export function connect(r: Random, user: User, password: string): Packet {
  const will = r.chance(0.4)
    ? {
        topic: topic(r, user),
        payload: payload(r),
        qos: r.pick([0, 1, 2]),
        retain: bool(r),
        properties: someOf(r, {
          willDelayInterval: r.edge(U32_MAX),
          payloadFormatIndicator: flag(r),
          messageExpiryInterval: r.edge(U32_MAX),
          contentType: text(r),
          responseTopic: topic(r, user),
          correlationData: r.bytes(r.int(0, 32)),
          userProperties: userProperties(r),
        }),
      }
    : undefined;
  const authenticationMethod = r.pick(['', 'SCRAM-SHA-1', 'x'.repeat(300)]);
  return {
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 5,
    clean: bool(r),
    keepalive: r.edge(U16_MAX),
    clientId: r.pick([
      user.username,
      `${user.username}-g${r.int(0, 1e6)}`,
      `${user.username}-g${r.int(0, 3)}`,
      '',
    ]),
    username: user.username,
    password: Buffer.from(password),
    ...(will ? { will } : {}),
    properties: someOf(r, {
      sessionExpiryInterval: r.edge(U32_MAX),
      receiveMaximum: r.edge(U16_MAX),
      maximumPacketSize: r.edge(U32_MAX, [2, 127, 1024]),
      topicAliasMaximum: r.edge(U16_MAX),
      requestResponseInformation: flag(r),
      requestProblemInformation: flag(r),
      userProperties: userProperties(r),
      ...(r.chance(0.3) ? { authenticationMethod, authenticationData: r.bytes(r.int(0, 64)) } : {}),
    }),
  } as Packet;
}

export function publish(r: Random, user: User): Packet {
  const qos = r.pick([0, 1, 2]);
  const alias = r.chance(0.3);
  return {
    cmd: 'publish',
    topic: alias && r.chance(0.5) ? '' : topic(r, user),
    payload: payload(r),
    qos,
    retain: bool(r),
    dup: bool(r),
    ...(qos > 0 || r.chance(0.1) ? { messageId: messageId(r) } : {}),
    properties: someOf(r, {
      payloadFormatIndicator: flag(r),
      messageExpiryInterval: r.edge(U32_MAX),
      ...(alias ? { topicAlias: r.edge(U16_MAX, [2, 10]) } : {}),
      responseTopic: r.chance(0.8) ? topic(r, user) : topicFilter(r, user),
      correlationData: r.bytes(r.int(0, 32)),
      userProperties: userProperties(r),
      // A client must not send it; the broker must cope when one does.
      ...(r.chance(0.2) ? { subscriptionIdentifier: r.edge(VARINT_MAX) } : {}),
      contentType: text(r),
    }),
  } as Packet;
}

/**
 * A reason code and some of `properties`, or neither (both are optional in acknowledgements,
 * DISCONNECT and AUTH).
 */
function codeAndProperties(r: Random, codes: readonly number[], properties: Properties): Partial<Packet> {
  if (r.chance(0.2)) return {};
  return { reasonCode: reasonCode(r, codes), properties: someOf(r, properties) } as Partial<Packet>;
}

/** PUBACK, PUBREC, PUBREL or PUBCOMP. */
export function acknowledgement(r: Random): Packet {
  const cmd = r.pick(['puback', 'pubrec', 'pubrel', 'pubcomp'] as const);
  const codes = cmd === 'pubrel' || cmd === 'pubcomp' ? [0x00, 0x92] : ACK_CODES;
  return {
    cmd,
    messageId: messageId(r),
    ...codeAndProperties(r, codes, { reasonString: text(r), userProperties: userProperties(r) }),
  } as Packet;
}

export function subscribe(r: Random, user: User): Packet {
  const count = r.pick([0, 1, 1, 2, r.int(3, 50)]);
  return {
    cmd: 'subscribe',
    messageId: messageId(r),
    subscriptions: Array.from({ length: count }, () => ({
      topic: topicFilter(r, user),
      qos: r.chance(0.95) ? r.pick([0, 1, 2]) : 3,
      nl: bool(r),
      rap: bool(r),
      rh: r.pick([0, 1, 2, 3]),
    })),
    properties: someOf(r, {
      subscriptionIdentifier: r.edge(VARINT_MAX),
      userProperties: userProperties(r),
    }),
  } as Packet;
}

export function unsubscribe(r: Random, user: User): Packet {
  const count = r.pick([0, 1, 1, 2, r.int(3, 50)]);
  return {
    cmd: 'unsubscribe',
    messageId: messageId(r),
    unsubscriptions: Array.from({ length: count }, () => topicFilter(r, user)),
    properties: someOf(r, { userProperties: userProperties(r) }),
  } as Packet;
}

export function pingreq(): Packet {
  return { cmd: 'pingreq' };
}

export function disconnect(r: Random): Packet {
  return {
    cmd: 'disconnect',
    ...codeAndProperties(r, DISCONNECT_CODES, {
      sessionExpiryInterval: r.edge(U32_MAX),
      reasonString: text(r),
      userProperties: userProperties(r),
      serverReference: text(r),
    }),
  } as Packet;
}

export function auth(r: Random): Packet {
  return {
    cmd: 'auth',
    ...codeAndProperties(r, AUTH_CODES, {
      authenticationMethod: r.pick(['', 'SCRAM-SHA-1']),
      authenticationData: r.bytes(r.int(0, 64)),
      reasonString: text(r),
      userProperties: userProperties(r),
    }),
  } as Packet;
}

/** Any packet a connected client may send, PUBLISH and SUBSCRIBE most often; CONNECT again, rarely. */
export function anyPacket(r: Random, user: User, password: string): Packet {
  const n = r.next();
  if (n < 0.3) return publish(r, user);
  if (n < 0.5) return subscribe(r, user);
  if (n < 0.6) return unsubscribe(r, user);
  if (n < 0.78) return acknowledgement(r);
  if (n < 0.86) return pingreq();
  if (n < 0.9) return disconnect(r);
  if (n < 0.97) return auth(r);
  return connect(r, user, password);
}
