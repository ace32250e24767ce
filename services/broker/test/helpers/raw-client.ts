import { connect, type Socket } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';

/** A TCP connection that sends whatever bytes a test wants and records what comes back. */
export interface RawClient {
  socket: Socket;
  received: Packet[];
  send(bytes: Buffer): void;
  /** Resolves when the broker closed the connection (true) or after `ms` (false). */
  closed(ms?: number): Promise<boolean>;
  /** Resolves with the first packet of `cmd`, or undefined after `ms`. */
  next(cmd: Packet['cmd'], ms?: number): Promise<Packet | undefined>;
}

export async function rawClient(port: number, host = '127.0.0.1', protocolVersion = 4): Promise<RawClient> {
  const socket = connect({ port, host });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const received: Packet[] = [];
  const parser = mqttPacket.parser({ protocolVersion });
  const waiters: (() => void)[] = [];
  parser.on('packet', (packet: Packet) => {
    received.push(packet);
    for (const wake of waiters.splice(0)) wake();
  });
  parser.on('error', () => {});
  socket.on('data', (data) => parser.parse(data));
  let isClosed = false;
  const closedPromise = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      for (const wake of waiters.splice(0)) wake();
      resolve();
    }),
  );
  return {
    socket,
    received,
    send: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    closed: async (ms = 5_000) => {
      if (isClosed) return true;
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        closedPromise.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), ms);
        }),
      ]);
      clearTimeout(timer);
      return result;
    },
    next: async (cmd, ms = 5_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = received.find((p) => p.cmd === cmd);
        if (found) return found;
        if (isClosed || Date.now() >= deadline) return undefined;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

export function connectPacket(
  clientId: string,
  username: string | undefined,
  password: string | undefined,
  protocolVersion = 4,
): Buffer {
  return mqttPacket.generate(
    {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion,
      clean: true,
      clientId,
      keepalive: 30,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password: Buffer.from(password) } : {}),
    } as Packet,
    { protocolVersion },
  );
}

/** A PUBLISH whose topic is the given raw bytes (which may be ill-formed UTF-8). */
export function publishWithTopicBytes(topic: Buffer, payload: Buffer, qos = 0, messageId = 1): Buffer {
  const variable = Buffer.concat([
    Buffer.from([topic.length >> 8, topic.length & 0xff]),
    topic,
    qos > 0 ? Buffer.from([messageId >> 8, messageId & 0xff]) : Buffer.alloc(0),
  ]);
  const remaining = variable.length + payload.length;
  return Buffer.concat([Buffer.from([0x30 | (qos << 1)]), encodeLength(remaining), variable, payload]);
}

export function encodeLength(length: number): Buffer {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

/** An MQTT 5 PUBLISH, with a Topic Alias property when `alias` is given (QoS 0 unless given). */
export function publishV5(
  topic: string,
  payload: string,
  options: { alias?: number; qos?: number } = {},
): Buffer {
  const { alias, qos = 0 } = options;
  const topicBytes = Buffer.from(topic);
  const properties =
    alias === undefined ? Buffer.from([0]) : Buffer.from([3, 0x23, alias >> 8, alias & 0xff]);
  const body = Buffer.concat([
    Buffer.from([topicBytes.length >> 8, topicBytes.length & 0xff]),
    topicBytes,
    qos > 0 ? Buffer.from([0, 7]) : Buffer.alloc(0),
    properties,
    Buffer.from(payload),
  ]);
  return Buffer.concat([Buffer.from([0x30 | (qos << 1)]), encodeLength(body.length), body]);
}

/**
 * An MQTT 5 CONNECT encoded by hand, with a Receive Maximum property when given: mqtt-packet leaves
 * out the invalid value 0, which a test of the broker's answer to it must send.
 */
export function connectV5WithReceiveMaximum(
  clientId: string,
  username: string,
  password: string,
  receiveMaximum: number,
): Buffer {
  const str = (text: string) => {
    const bytes = Buffer.from(text);
    return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
  };
  const properties = Buffer.from([3, 0x21, receiveMaximum >> 8, receiveMaximum & 0xff]);
  const body = Buffer.concat([
    str('MQTT'),
    Buffer.from([5, 0xc2, 0, 30]),
    properties,
    str(clientId),
    str(username),
    str(password),
  ]);
  return Buffer.concat([Buffer.from([0x10]), encodeLength(body.length), body]);
}

/** An MQTT 5 CONNECT with a QoS 0 will, encoded by hand: mqtt-packet refuses an empty will topic. */
export function connectV5WithWill(
  clientId: string,
  username: string,
  password: string,
  willTopic: string,
): Buffer {
  const str = (text: string) => {
    const bytes = Buffer.from(text);
    return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
  };
  const body = Buffer.concat([
    str('MQTT'),
    Buffer.from([5, 0xc6, 0, 30, 0]), // level 5; username, password, will, clean start; keep alive; no properties
    str(clientId),
    Buffer.from([0]), // no will properties
    str(willTopic),
    str('gone'),
    str(username),
    str(password),
  ]);
  return Buffer.concat([Buffer.from([0x10]), encodeLength(body.length), body]);
}
