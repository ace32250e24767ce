import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { rng } from './random.js';

export interface FuzzOptions {
  port: number;
  seconds: number;
  /** Connections in flight at once. */
  parallel?: number;
  username: string;
  password: string;
  /** Called between rounds; a false answer (the broker stopped serving) ends the loop as a failure. */
  probe: () => Promise<boolean>;
}

export interface FuzzResult {
  connections: number;
  bytes: number;
  probes: number;
  failedProbe: boolean;
}

/**
 * Throws malformed MQTT at the broker for `seconds`: random bytes, valid CONNECTs followed by
 * mutated packets (flipped bits, truncations, lying length fields, reserved types, bad UTF-8), for
 * MQTT 3.1.1 and 5. Between rounds it checks that the broker still serves a well-behaved client.
 */
export async function runFuzz(options: FuzzOptions, seed = Date.now()): Promise<FuzzResult> {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const end = Date.now() + options.seconds * 1000;
  const result: FuzzResult = { connections: 0, bytes: 0, probes: 0, failedProbe: false };
  const valid = (version: number): Packet[] => [
    {
      cmd: 'publish',
      topic: 'mekong/v1/acme/hcm/a/l/c/count',
      payload: Buffer.from('{"seq":1}'),
      qos: 1,
      messageId: 7,
      retain: false,
      dup: false,
    },
    { cmd: 'subscribe', messageId: 9, subscriptions: [{ topic: 'a/+/b/#', qos: 1 }] },
    { cmd: 'unsubscribe', messageId: 10, unsubscriptions: ['a/#'] },
    { cmd: 'pingreq' },
    { cmd: 'puback', messageId: 3 },
    { cmd: 'pubrel', messageId: 4 },
    ...(version === 5 ? [{ cmd: 'auth', reasonCode: 0x18 } as Packet] : []),
  ];
  const mutate = (bytes: Buffer): Buffer => {
    const copy = Buffer.from(bytes);
    switch (Math.floor(random() * 6)) {
      case 0:
        for (let i = 0; i < 1 + random() * 4; i++) {
          const at = Math.floor(random() * copy.length);
          copy[at] = (copy[at] ?? 0) ^ (1 << Math.floor(random() * 8));
        }
        return copy;
      case 1:
        return copy.subarray(0, Math.floor(random() * copy.length));
      case 2:
        copy[1] = Math.floor(random() * 256);
        return copy;
      case 3:
        copy[0] = (Math.floor(random() * 16) << 4) | (copy[0] ?? 0 & 0x0f);
        return copy;
      case 4:
        return Buffer.concat([copy, randomBytes(Math.floor(random() * 64))]);
      default:
        return Buffer.concat([Buffer.from([0x30, 0x08, 0x00, 0x03, 0x61, 0xff, 0xc0]), Buffer.from('xyz')]);
    }
  };
  const session = () =>
    new Promise<void>((resolve) => {
      const version = pick([4, 5]);
      const socket = connect({ port: options.port, host: pick(['127.0.0.1', '::1']) });
      const timer = setTimeout(() => socket.destroy(), 300 + random() * 700);
      socket.on('error', () => {});
      socket.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.on('connect', () => {
        result.connections++;
        const chunks: Buffer[] = [];
        if (random() < 0.2) chunks.push(randomBytes(1 + Math.floor(random() * 4096)));
        else {
          const connectPacket = mqttPacket.generate(
            {
              cmd: 'connect',
              protocolId: 'MQTT',
              protocolVersion: version,
              clean: true,
              clientId: `admin-fuzz-${Math.floor(random() * 1e9)}`,
              keepalive: 10,
              username: options.username,
              password: Buffer.from(options.password),
            } as Packet,
            { protocolVersion: version },
          );
          chunks.push(random() < 0.15 ? mutate(connectPacket) : connectPacket);
          for (let i = 0; i < 1 + random() * 10; i++) {
            const packet = mqttPacket.generate(pick(valid(version)), { protocolVersion: version });
            chunks.push(random() < 0.5 ? mutate(packet) : packet);
          }
        }
        for (const chunk of chunks) {
          result.bytes += chunk.length;
          socket.write(chunk);
        }
        if (random() < 0.5) socket.end();
      });
    });
  const parallel = options.parallel ?? 20;
  while (Date.now() < end) {
    await Promise.all(Array.from({ length: parallel }, session));
    if (result.connections % (parallel * 10) < parallel) {
      result.probes++;
      if (!(await options.probe())) {
        result.failedProbe = true;
        break;
      }
    }
  }
  result.probes++;
  if (!(await options.probe())) result.failedProbe = true;
  return result;
}
