import {
  DLQ_KAFKA_TOPIC,
  KAFKA_HEADERS,
  kafkaTopicFor,
  linePath,
  type MekongIssue,
  parseMessage,
  parseTopic,
  SCHEMA_VERSION,
} from '@mekong/contracts';

/** One record for Kafka, independent of the client library. */
export interface KafkaRecord {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export type RoutedMessage =
  | { valid: true; record: KafkaRecord; linePath: string }
  | { valid: false; record: KafkaRecord; issue: MekongIssue };

export interface RouteOptions {
  maxPayloadBytes: number;
  /** A DLQ record keeps at most this many bytes of the payload. */
  dlqMaxValueBytes: number;
}

/**
 * Where one MQTT message goes. A valid message goes to its kind's topic with the line path as key,
 * so a line's events stay in order in one partition; an invalid one goes to the DLQ with the reason.
 * Either way the value is the payload exactly as the device sent it (unknown fields included).
 */
export function toKafkaRecord(
  mqttTopic: string,
  payload: Buffer,
  receivedAtMs: number,
  options: RouteOptions,
): RoutedMessage {
  const headers: Record<string, string> = {
    [KAFKA_HEADERS.mqttTopic]: mqttTopic,
    [KAFKA_HEADERS.receivedAt]: String(receivedAtMs),
    [KAFKA_HEADERS.schemaVersion]: SCHEMA_VERSION,
  };
  const parsed = parseMessage(mqttTopic, payload, { maxPayloadBytes: options.maxPayloadBytes });
  if (parsed.ok) {
    const key = linePath(parsed.value.address);
    return {
      valid: true,
      linePath: key,
      record: { topic: kafkaTopicFor(parsed.value.kind), key, value: payload, headers },
    };
  }
  const issue = parsed.error;
  headers[KAFKA_HEADERS.errorCode] = issue.code;
  headers[KAFKA_HEADERS.errorPath] = JSON.stringify(issue.path);
  headers[KAFKA_HEADERS.errorMessage] = issue.message;
  let value = payload;
  if (payload.byteLength > options.dlqMaxValueBytes) {
    headers[KAFKA_HEADERS.originalBytes] = String(payload.byteLength);
    value = payload.subarray(0, options.dlqMaxValueBytes);
  }
  return { valid: false, issue, record: { topic: DLQ_KAFKA_TOPIC, key: dlqKey(mqttTopic), value, headers } };
}

/** The line path when the topic names a line, so a line's rejects stay together; else the topic itself. */
function dlqKey(mqttTopic: string): string {
  const address = parseTopic(mqttTopic);
  if (address.ok) return linePath(address.value);
  const levels = mqttTopic.split('/');
  return levels.length >= 6 && levels[0] === 'mekong' ? levels.slice(2, 6).join('/') : mqttTopic;
}

/** Bytes a record occupies in a produce request, roughly: what the batch and in-flight budgets count. */
export function recordBytes(record: KafkaRecord): number {
  let bytes = record.value.byteLength + Buffer.byteLength(record.key) + 32;
  for (const [name, value] of Object.entries(record.headers)) {
    bytes += name.length + Buffer.byteLength(value);
  }
  return bytes;
}
