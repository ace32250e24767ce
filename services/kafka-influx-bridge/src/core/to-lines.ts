import {
  formatLineProtocolPoint,
  KAFKA_HEADERS,
  MekongError,
  type MekongIssue,
  parseMessage,
  telemetryKindOfKafkaTopic,
  toInfluxPoints,
} from '@mekong/contracts';

export type MappedRecord = { ok: true; lines: string[] } | { ok: false; issue: MekongIssue };

/**
 * The line-protocol lines of one Kafka record: its value is checked again against the contracts
 * (with the MQTT topic from its header), so a record some other producer wrote is held to the same
 * rules as one the MQTT bridge forwarded. A record that fails says why, for the DLQ.
 */
export function toLines(
  kafkaTopic: string,
  value: Buffer | null,
  mqttTopic: string | undefined,
  maxPayloadBytes: number,
): MappedRecord {
  if (mqttTopic === undefined) {
    return fail(
      'MEKONG_INVALID_TOPIC',
      ['headers', KAFKA_HEADERS.mqttTopic],
      `the record has no ${KAFKA_HEADERS.mqttTopic} header`,
    );
  }
  if (value === null) return fail('MEKONG_INVALID_PAYLOAD', [], 'the record has no value');
  const parsed = parseMessage(mqttTopic, value, { maxPayloadBytes });
  if (!parsed.ok) return { ok: false, issue: parsed.error };
  const expectedKind = telemetryKindOfKafkaTopic(kafkaTopic);
  if (expectedKind !== parsed.value.kind) {
    return fail(
      'MEKONG_INVALID_TOPIC',
      ['topic', 'kind'],
      `a ${parsed.value.kind} message (MQTT topic ${mqttTopic}) does not belong on Kafka topic ${kafkaTopic}`,
    );
  }
  try {
    return { ok: true, lines: toInfluxPoints(parsed.value).map(formatLineProtocolPoint) };
  } catch (error) {
    if (error instanceof MekongError) return { ok: false, issue: error.toIssue() };
    throw error;
  }
}

function fail(code: MekongIssue['code'], path: MekongIssue['path'], message: string): MappedRecord {
  return { ok: false, issue: { code, path, message } };
}
