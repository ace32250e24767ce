import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { readPublishHeader } from '../../src/protocol/publish-header.js';

describe('readPublishHeader', () => {
  it.each([4, 5])('reads topic, QoS, id and payload of MQTT %s', (protocolVersion) => {
    const frame = mqttPacket.generate(
      {
        cmd: 'publish',
        topic: 'mekong/ü',
        payload: Buffer.from('{"a":1}'),
        qos: 1,
        messageId: 42,
        retain: true,
        dup: false,
        properties: protocolVersion === 5 ? { contentType: 'json' } : {},
      },
      { protocolVersion },
    );
    const result = readPublishHeader(frame, protocolVersion);
    expect(result.ok && result.value).toMatchObject({
      topic: 'mekong/ü',
      qos: 1,
      messageId: 42,
      retain: true,
    });
    expect(result.ok && result.value.payload.toString()).toBe('{"a":1}');
  });

  it('refuses ill-formed UTF-8, U+0000 and QoS 3', () => {
    const bad = Buffer.from([0x30, 0x05, 0x00, 0x02, 0xc3, 0x28, 0x78]);
    expect(readPublishHeader(bad, 4)).toMatchObject({ ok: false, message: expect.stringMatching(/UTF-8/) });
    const nul = Buffer.from([0x30, 0x05, 0x00, 0x02, 0x61, 0x00, 0x78]);
    expect(readPublishHeader(nul, 4)).toMatchObject({ ok: false });
    const qos3 = Buffer.from([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01]);
    expect(readPublishHeader(qos3, 4)).toMatchObject({ ok: false, message: 'QoS 3 does not exist' });
  });
});
