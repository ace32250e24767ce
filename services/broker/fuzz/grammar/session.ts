import { connect as tcpConnect } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { Random } from '../random.js';
import { encode } from './encode.js';
import { USERS } from './fields.js';
import { anyPacket, connect } from './packets.js';

/** What a session sent, for the report of a failure. */
export interface SentPacket {
  session: number;
  cmd: string;
  byHand: boolean;
  hex: string;
}

export interface SessionOptions {
  port: number;
  password: string;
  /** Seeds this session alone: the same seed sends the same packets. */
  seed: number;
  session: number;
  /** Every packet, as it is sent. */
  onSent(packet: SentPacket): void;
  /** The CONNACK of a session that waited for it: its user and reason code. */
  onConnack(username: string, reasonCode: number): void;
}

/**
 * One client: usually an authenticated MQTT 5 CONNECT, its CONNACK awaited, then a random sequence of
 * packets; sometimes packets before CONNECT, or the sequence without waiting for the CONNACK.
 * Ends on its own within about a second.
 */
export function runSession(options: SessionOptions): Promise<void> {
  const r = new Random(options.seed);
  const user = r.pick(USERS);
  const mode = r.pick([
    'connected',
    'connected',
    'connected',
    'connected',
    'pipelined',
    'before-connect',
  ] as const);
  const sequence = Array.from({ length: r.int(1, 15) }, () => anyPacket(r, user, options.password));
  const lifetime = r.int(200, 1_000);
  return new Promise<void>((resolve) => {
    const socket = tcpConnect({ port: options.port, host: '127.0.0.1' });
    const timer = setTimeout(() => socket.destroy(), lifetime);
    const send = (packet: Packet) => {
      if (socket.destroyed) return;
      const { bytes, byHand } = encode(packet);
      options.onSent({ session: options.session, cmd: packet.cmd, byHand, hex: bytes.toString('hex') });
      socket.write(bytes);
    };
    const sendSequence = () => {
      for (const packet of sequence) send(packet);
      if (r.chance(0.3)) socket.end();
    };
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('connect', () => {
      if (mode === 'before-connect') sendSequence();
      send(connect(r, user, options.password));
      if (mode === 'pipelined') sendSequence();
      if (mode !== 'connected') return;
      const parser = mqttPacket.parser({ protocolVersion: 5 });
      parser.on('error', () => {});
      parser.once('packet', (packet: Packet) => {
        if (packet.cmd !== 'connack') return;
        options.onConnack(user.username, packet.reasonCode ?? -1);
        sendSequence();
      });
      socket.on('data', (data) => parser.parse(data));
    });
  });
}
