import { isUtf8 } from 'node:buffer';

export interface PublishHeader {
  qos: 0 | 1 | 2;
  retain: boolean;
  topic: string;
  /** 0 for QoS 0. */
  messageId: number;
  /** MQTT 5 Topic Alias property, when present. */
  topicAlias?: number;
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
  let topicAlias: number | undefined;
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
    const end = i + propertiesLength;
    if (end > frame.length) return { ok: false, message: 'properties run past the end of the packet' };
    const alias = findTopicAlias(frame, i, end);
    if (typeof alias === 'string') return { ok: false, message: alias };
    topicAlias = alias;
    i = end;
  }
  return {
    ok: true,
    value: {
      qos: qos as 0 | 1 | 2,
      retain: (first & 0x01) === 1,
      topic: topicBytes.toString('utf8'),
      messageId,
      payload: frame.subarray(i),
      ...(topicAlias !== undefined ? { topicAlias } : {}),
    },
  };
}

// Sizes of the PUBLISH properties (MQTT 5.0, 2.2.2.2): fixed sizes in bytes, or how the value is encoded.
const publishProperties: Record<number, number | 'varint' | 'string' | 'pair'> = {
  1: 1, // payload format indicator
  2: 4, // message expiry interval
  35: 2, // topic alias
  8: 'string', // response topic
  9: 'string', // correlation data (binary: same two-byte length prefix)
  38: 'pair', // user property
  11: 'varint', // subscription identifier
  3: 'string', // content type
};

/** The Topic Alias among the properties in `frame[start, end)`; a string names what is malformed. */
function findTopicAlias(frame: Buffer, start: number, end: number): number | undefined | string {
  let alias: number | undefined;
  let i = start;
  while (i < end) {
    const id = frame[i++] as number;
    const size = publishProperties[id];
    if (size === undefined) return `property 0x${id.toString(16)} is not allowed in PUBLISH`;
    if (typeof size === 'number') {
      if (i + size > end) return 'a property runs past the properties';
      if (id === 0x23) {
        if (alias !== undefined) return 'the topic alias appears twice';
        alias = frame.readUInt16BE(i);
      }
      i += size;
    } else if (size === 'varint') {
      let n = 0;
      while (i < end && ((frame[i++] as number) & 0x80) !== 0) if (++n === 4) return 'bad variable integer';
    } else {
      for (let k = size === 'pair' ? 2 : 1; k > 0; k--) {
        if (i + 2 > end) return 'a property runs past the properties';
        i += 2 + frame.readUInt16BE(i);
      }
    }
  }
  return i === end ? alias : 'a property runs past the properties';
}
