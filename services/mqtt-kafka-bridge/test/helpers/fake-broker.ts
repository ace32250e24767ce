import { createServer, type Server, type Socket } from 'node:net';
import mqttPacket, { type IConnectPacket, type Packet } from 'mqtt-packet';

export interface FakeConnection {
  socket: Socket;
  connect: IConnectPacket;
  /** Every packet the client sent after CONNECT. */
  received: Packet[];
  send(packet: Packet): void;
}

/**
 * A scripted MQTT server on a free port: it records what the client sends and answers as told,
 * so the subscriber's protocol decisions can be checked packet by packet.
 */
export class FakeBroker {
  readonly connections: FakeConnection[] = [];
  private readonly server: Server;
  /** How CONNECT is answered; default: accepted, no session. */
  onConnect: (connection: FakeConnection) => void = (c) => c.send(connack(c, { sessionPresent: false }));
  /** How SUBSCRIBE is answered; default: every filter granted QoS 1. */
  onSubscribe: (connection: FakeConnection, packet: Extract<Packet, { cmd: 'subscribe' }>) => void = (c, p) =>
    c.send({ cmd: 'suback', messageId: p.messageId ?? 0, granted: p.subscriptions.map(() => 1) });

  private constructor() {
    this.server = createServer((socket) => {
      const parser = mqttPacket.parser();
      let connection: FakeConnection | undefined;
      parser.on('packet', (packet: Packet) => {
        if (packet.cmd === 'connect') {
          const version = packet.protocolVersion ?? 4;
          connection = {
            socket,
            connect: packet,
            received: [],
            send: (p) => socket.write(mqttPacket.generate(p, { protocolVersion: version })),
          };
          this.connections.push(connection);
          this.onConnect(connection);
          return;
        }
        if (!connection) return;
        connection.received.push(packet);
        if (packet.cmd === 'subscribe') this.onSubscribe(connection, packet);
        if (packet.cmd === 'pingreq') connection.send({ cmd: 'pingresp' });
      });
      socket.on('data', (chunk) => parser.parse(chunk));
      socket.on('error', () => {});
    });
  }

  /** Listens on `port`, by default a free one; a broker started again on its old port comes "back". */
  static async start(port = 0): Promise<FakeBroker> {
    const broker = new FakeBroker();
    await new Promise<void>((resolve, reject) => {
      broker.server.once('error', reject);
      broker.server.listen(port, '127.0.0.1', resolve);
    });
    return broker;
  }

  get url(): string {
    const address = this.server.address();
    return `mqtt://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  latest(): FakeConnection {
    const connection = this.connections.at(-1);
    if (!connection) throw new Error('no connection yet');
    return connection;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function connack(
  connection: FakeConnection,
  options: { sessionPresent: boolean; code?: number; properties?: Record<string, unknown> },
): Packet {
  const v5 = connection.connect.protocolVersion === 5;
  return {
    cmd: 'connack',
    sessionPresent: options.sessionPresent,
    ...(v5
      ? { reasonCode: options.code ?? 0, ...(options.properties ? { properties: options.properties } : {}) }
      : { returnCode: options.code ?? 0 }),
  } as Packet;
}

export function publish(messageId: number, topic: string, payload: string): Packet {
  return {
    cmd: 'publish',
    messageId,
    topic,
    payload: Buffer.from(payload),
    qos: 1,
    dup: false,
    retain: false,
  };
}
