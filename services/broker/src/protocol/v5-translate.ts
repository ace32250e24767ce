import type {
  IConnackPacket,
  IConnectPacket,
  IPublishPacket,
  ISubackPacket,
  ISubscribePacket,
  IUnsubackPacket,
  Packet,
} from 'mqtt-packet';
import { connackReasonV5, ReasonCode } from './reason-codes.js';

// Aedes 1.x speaks MQTT 3.1.1 only. For an MQTT 5 client the gateway translates each packet:
// properties are dropped on the way in (topic aliases are refused by advertising a maximum of 0)
// and the reason codes MQTT 5 requires are added on the way out.

/** What an MQTT 5 CONNACK advertises about this broker. */
export interface V5ServerProperties {
  maximumPacketSize: number;
  receiveMaximum: number;
  assignedClientIdentifier?: string;
}

/** The 3.1.1 CONNECT that aedes sees for a client's CONNECT (either version). */
export function connectForAedes(packet: IConnectPacket, clientId: string, username: string): IConnectPacket {
  const v5 = packet.protocolVersion === 5;
  // MQTT 5 ends a session at disconnect unless a Session Expiry Interval was given; 3.1.1 says so with clean.
  const sessionExpiry = packet.properties?.sessionExpiryInterval ?? 0;
  const clean = v5 ? packet.clean || sessionExpiry === 0 : packet.clean;
  const connect: IConnectPacket = {
    cmd: 'connect',
    protocolId: v5 ? 'MQTT' : packet.protocolId,
    protocolVersion: v5 ? 4 : packet.protocolVersion,
    clean,
    clientId,
    keepalive: packet.keepalive,
  };
  // The gateway authenticated the client already; aedes gets the name, never the secret.
  connect.username = username;
  if (packet.will) {
    connect.will = {
      topic: packet.will.topic,
      payload: packet.will.payload,
      qos: packet.will.qos,
      retain: packet.will.retain,
    };
  }
  return connect;
}

/** An inbound MQTT 5 packet as aedes must see it; `unsubscribeCounts` remembers what UNSUBACK must answer. */
export function inboundToV4(packet: Packet, unsubscribeCounts: Map<number, number>): Packet {
  switch (packet.cmd) {
    case 'publish': {
      const publish: IPublishPacket = {
        cmd: 'publish',
        topic: packet.topic,
        payload: packet.payload,
        qos: packet.qos,
        retain: packet.retain,
        dup: packet.dup,
      };
      if (packet.messageId !== undefined) publish.messageId = packet.messageId;
      return publish;
    }
    case 'subscribe': {
      const subscribe: ISubscribePacket = {
        cmd: 'subscribe',
        subscriptions: packet.subscriptions.map((s) => ({ topic: s.topic, qos: s.qos })),
      };
      if (packet.messageId !== undefined) subscribe.messageId = packet.messageId;
      return subscribe;
    }
    case 'unsubscribe':
      if (packet.messageId !== undefined)
        unsubscribeCounts.set(packet.messageId, packet.unsubscriptions.length);
      return { cmd: 'unsubscribe', messageId: packet.messageId, unsubscriptions: packet.unsubscriptions };
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return { cmd: packet.cmd, messageId: packet.messageId } as Packet;
    case 'disconnect':
      return { cmd: 'disconnect' };
    default:
      return packet;
  }
}

/** An outbound packet of aedes (3.1.1) as an MQTT 5 client must see it. */
export function outboundToV5(
  packet: Packet,
  unsubscribeCounts: Map<number, number>,
  server: V5ServerProperties,
): Packet {
  switch (packet.cmd) {
    case 'connack': {
      const connack: IConnackPacket = {
        cmd: 'connack',
        sessionPresent: packet.sessionPresent,
        reasonCode: connackReasonV5(packet.returnCode ?? 0),
      };
      if (connack.reasonCode === ReasonCode.success) {
        connack.properties = {
          maximumPacketSize: server.maximumPacketSize,
          receiveMaximum: server.receiveMaximum,
          topicAliasMaximum: 0,
          sharedSubscriptionAvailable: false,
          subscriptionIdentifiersAvailable: false,
          ...(server.assignedClientIdentifier
            ? { assignedClientIdentifier: server.assignedClientIdentifier }
            : {}),
        };
      }
      return connack;
    }
    case 'suback': {
      // aedes answers 0x80 for a subscription its authorizeSubscribe hook refused: the ACL.
      const suback: ISubackPacket = {
        cmd: 'suback',
        messageId: packet.messageId,
        granted: packet.granted.map((g) => (g === 0x80 ? ReasonCode.notAuthorized : g)) as number[],
      };
      return suback;
    }
    case 'unsuback': {
      const messageId = packet.messageId ?? 0;
      const count = unsubscribeCounts.get(messageId) ?? 1;
      unsubscribeCounts.delete(messageId);
      const unsuback: IUnsubackPacket = {
        cmd: 'unsuback',
        messageId: packet.messageId,
        granted: new Array<number>(count).fill(ReasonCode.success),
      };
      return unsuback;
    }
    default:
      return packet;
  }
}
