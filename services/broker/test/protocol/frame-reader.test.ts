import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { FrameError, FrameReader, FrameScanner } from '../../src/protocol/frame-reader.js';

const publish = (payload: number) =>
  mqttPacket.generate({
    cmd: 'publish',
    topic: 'a/b',
    payload: Buffer.alloc(payload, 1),
    qos: 0,
    retain: false,
    dup: false,
  });

describe('FrameReader', () => {
  it('cuts packets split and joined arbitrarily', () => {
    const packets = [publish(3), publish(200), publish(20_000), mqttPacket.generate({ cmd: 'pingreq' })];
    const stream = Buffer.concat(packets);
    for (const step of [1, 7, 1000, stream.length]) {
      const reader = new FrameReader(1_000_000);
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += step) {
        reader.push(stream.subarray(i, i + step));
        for (let frame = reader.read(); frame; frame = reader.read()) out.push(Buffer.from(frame));
      }
      expect(out).toEqual(packets);
    }
  });

  it('refuses a too-large packet from its header alone', () => {
    const reader = new FrameReader(1024);
    reader.push(Buffer.from([0x30, 0xff, 0xff, 0x03]));
    let thrown: unknown;
    try {
      reader.read();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FrameError);
    expect((thrown as FrameError).kind).toBe('packet_too_large');
    expect((thrown as FrameError).size).toBe(0xffff + 4);
  });

  it('refuses a length of more than four bytes and the reserved type 0', () => {
    const long = new FrameReader(1024);
    long.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(() => long.read()).toThrow(/4 bytes/);
    const zero = new FrameReader(1024);
    zero.push(Buffer.from([0x00, 0x00]));
    expect(() => zero.read()).toThrow(/reserved/);
  });
});

describe('FrameScanner', () => {
  it('reports each packet and knows when it stands between two', () => {
    const types: number[] = [];
    const scanner = new FrameScanner((first) => types.push(first >> 4));
    const stream = Buffer.concat([publish(300), mqttPacket.generate({ cmd: 'puback', messageId: 1 })]);
    scanner.scan(stream.subarray(0, 100));
    expect(scanner.atBoundary).toBe(false);
    scanner.scan(stream.subarray(100));
    expect(scanner.atBoundary).toBe(true);
    expect(types).toEqual([3, 4]);
  });
});
