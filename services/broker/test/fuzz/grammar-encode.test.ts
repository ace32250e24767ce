import type { Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { encode } from '../../fuzz/grammar/encode.js';
import { USERS } from '../../fuzz/grammar/fields.js';
import { anyPacket, connect } from '../../fuzz/grammar/packets.js';
import { Random } from '../../fuzz/random.js';

describe('grammar fuzzer encoding', () => {
  it('hand-encodes what mqtt-packet refuses: SUBSCRIBE and UNSUBSCRIBE without a filter, retain handling 3', () => {
    const empty = { cmd: 'subscribe', messageId: 1, subscriptions: [] } as unknown as Packet;
    expect(encode(empty)).toEqual({ bytes: Buffer.from([0x82, 0x03, 0x00, 0x01, 0x00]), byHand: true });
    const none = { cmd: 'unsubscribe', messageId: 1, unsubscriptions: [] } as unknown as Packet;
    expect(encode(none).bytes).toEqual(Buffer.from([0xa2, 0x03, 0x00, 0x01, 0x00]));
    const rh3 = { cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'a', qos: 1, rh: 3 }] } as Packet;
    expect(encode(rh3)).toEqual({
      bytes: Buffer.from([0x82, 0x07, 0x00, 0x02, 0x00, 0x00, 0x01, 0x61, 0x31]),
      byHand: true,
    });
  });

  it('writes ordinary packets as mqtt-packet does, and by hand what mqtt-packet would change', () => {
    const r = new Random(99);
    const encoded = Array.from({ length: 2_000 }, (_, i) => {
      const user = r.pick(USERS);
      return encode(i % 5 === 0 ? connect(r, user, 'pw') : anyPacket(r, user, 'pw'));
    });
    // Were the hand encoder wrong, mqtt-packet's bytes would never read the same and all would be by hand.
    expect(encoded.filter((e) => !e.byHand).length).toBeGreaterThan(1_000);
    const qos3 = {
      cmd: 'subscribe',
      messageId: 3,
      subscriptions: [{ topic: 'a', qos: 3 }],
    } as unknown as Packet;
    expect(encode(qos3)).toEqual({
      bytes: Buffer.from([0x82, 0x07, 0x00, 0x03, 0x00, 0x00, 0x01, 0x61, 0x03]),
      byHand: true,
    });
  });

  it('is reproducible: the same seed generates the same packets', () => {
    const run = (seed: number) => {
      const r = new Random(seed);
      return Array.from({ length: 50 }, () => encode(anyPacket(r, USERS[0], 'pw')).bytes.toString('hex'));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });
});
