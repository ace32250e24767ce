import { isUtf8 } from 'node:buffer';

export interface PublishHeader {
  qos: 0 | 1 | 2;
  retain: boolean;
  topic: string;
  /** 0 for QoS 0. */
  messageId: number;
  payload: Buffer;
}

export type PublishHeaderResult = { ok: true; value: PublishHeader } | { ok: false; message: string };

/**
 * Reads topic, QoS and message id of a whole PUBLISH packet without decoding anything else, so the
 * broker can decide on it and forward the original bytes. Rejects what MQTT calls malformed: QoS 3,
 * a topic that is not well-formed UTF-8 or contains U+0000 [MQTT-1.5.3-1, -2].
 */
export function readPublishHeader(frame: Buffer, protocolVersion: number): PublishHeaderResult {
  const first = frame[0] ?? 0;
  const qos = (first >> 1) & 0x03;
  if (qos === 3) return { ok: false, message: 'QoS 3 does not exist' };
  let i = 1;
  while (i < frame.length && ((frame[i] ?? 0) & 0x80) !== 0) i++;
  i++;
  if (i + 2 > frame.length) return { ok: false, message: 'PUBLISH too short for its topic length' };
  const topicLength = frame.readUInt16BE(i);
  i += 2;
  if (i + topicLength > frame.length) return { ok: false, message: 'topic runs past the end of the packet' };
  const topicBytes = frame.subarray(i, i + topicLength);
  if (!isUtf8(topicBytes)) return { ok: false, message: 'topic is not well-formed UTF-8' };
  if (topicBytes.includes(0)) return { ok: false, message: 'topic contains U+0000' };
  i += topicLength;
  let messageId = 0;
  if (qos > 0) {
    if (i + 2 > frame.length) return { ok: false, message: 'PUBLISH too short for its message id' };
    messageId = frame.readUInt16BE(i);
    if (messageId === 0) return { ok: false, message: 'message id 0 is not allowed' };
    i += 2;
  }
  if (protocolVersion === 5) {
    let propertiesLength = 0;
    let multiplier = 1;
    for (let n = 0; ; n++) {
      if (n === 4 || i >= frame.length) return { ok: false, message: 'bad properties length' };
      const byte = frame[i++] ?? 0;
      propertiesLength += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if ((byte & 0x80) === 0) break;
    }
    i += propertiesLength;
    if (i > frame.length) return { ok: false, message: 'properties run past the end of the packet' };
  }
  return {
    ok: true,
    value: {
      qos: qos as 0 | 1 | 2,
      retain: (first & 0x01) === 1,
      topic: topicBytes.toString('utf8'),
      messageId,
      payload: frame.subarray(i),
    },
  };
}
