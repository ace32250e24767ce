import type { TelemetryKind } from './kinds.js';
import { TELEMETRY_KINDS } from './kinds.js';

/** Version of the message contract, sent in every Kafka record's headers; matches `mekong/v1` and `*.v1`. */
export const SCHEMA_VERSION = '1';

/** Kafka topic of each telemetry kind. */
export const TELEMETRY_KAFKA_TOPICS = {
  state: 'mekong.state.v1',
  count: 'mekong.count.v1',
  sensor: 'mekong.sensor.v1',
  alarm: 'mekong.alarm.v1',
  labour: 'mekong.labour.v1',
} as const satisfies Record<TelemetryKind, string>;

export type TelemetryKafkaTopic = (typeof TELEMETRY_KAFKA_TOPICS)[TelemetryKind];

/** KPI records computed by the productivity service. */
export const KPI_KAFKA_TOPIC = 'mekong.kpi.v1';
/** Rejected input: the original bytes, with the reason in the headers. */
export const DLQ_KAFKA_TOPIC = 'mekong.dlq.v1';

export type KafkaTopic = TelemetryKafkaTopic | typeof KPI_KAFKA_TOPIC | typeof DLQ_KAFKA_TOPIC;

export const ALL_KAFKA_TOPICS: readonly KafkaTopic[] = [
  ...TELEMETRY_KINDS.map((kind) => TELEMETRY_KAFKA_TOPICS[kind]),
  KPI_KAFKA_TOPIC,
  DLQ_KAFKA_TOPIC,
];

export function kafkaTopicFor(kind: TelemetryKind): TelemetryKafkaTopic {
  return TELEMETRY_KAFKA_TOPICS[kind];
}

/** The telemetry kind a Kafka topic carries, or `undefined` for the KPI, DLQ and foreign topics. */
export function telemetryKindOfKafkaTopic(topic: string): TelemetryKind | undefined {
  return TELEMETRY_KINDS.find((kind) => TELEMETRY_KAFKA_TOPICS[kind] === topic);
}

/** Kafka record header names. Values are UTF-8 text. */
export const KAFKA_HEADERS = {
  /** The MQTT topic the message was published to. */
  mqttTopic: 'mekong-mqtt-topic',
  /** When the bridge received the message: epoch milliseconds as decimal digits. */
  receivedAt: 'mekong-received-at',
  /** `SCHEMA_VERSION` of the contract the bridge validated against. */
  schemaVersion: 'mekong-schema-version',
  /** DLQ only: the `MekongErrorCode` of the rejection. */
  errorCode: 'mekong-error-code',
  /** DLQ only: the offending field's path as JSON, e.g. `["readings",2,"value"]`. */
  errorPath: 'mekong-error-path',
  /** DLQ only: the human-readable reason. */
  errorMessage: 'mekong-error-message',
  /** DLQ only, when the stored value was cut at the bridge's maximum: the original size in bytes. */
  originalBytes: 'mekong-original-bytes',
  /** DLQ only, for a Kafka record InfluxDB refused: where that record is. */
  sourceTopic: 'mekong-source-topic',
  sourcePartition: 'mekong-source-partition',
  sourceOffset: 'mekong-source-offset',
} as const;
