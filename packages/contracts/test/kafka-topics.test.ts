import { describe, expect, it } from 'vitest';
import {
  ALL_KAFKA_TOPICS,
  DLQ_KAFKA_TOPIC,
  KAFKA_HEADERS,
  KPI_KAFKA_TOPIC,
  kafkaTopicFor,
  SCHEMA_VERSION,
  telemetryKindOfKafkaTopic,
} from '../src/kafka-topics.js';

describe('Kafka topics', () => {
  it('are the seven topics of ARCHITECTURE.md', () => {
    expect([...ALL_KAFKA_TOPICS].sort()).toEqual(
      [
        'mekong.state.v1',
        'mekong.count.v1',
        'mekong.sensor.v1',
        'mekong.alarm.v1',
        'mekong.labour.v1',
        'mekong.kpi.v1',
        'mekong.dlq.v1',
      ].sort(),
    );
    expect(KPI_KAFKA_TOPIC).toBe('mekong.kpi.v1');
    expect(DLQ_KAFKA_TOPIC).toBe('mekong.dlq.v1');
  });

  it.each([
    ['state', 'mekong.state.v1'],
    ['count', 'mekong.count.v1'],
    ['sensor', 'mekong.sensor.v1'],
    ['alarm', 'mekong.alarm.v1'],
    ['labour', 'mekong.labour.v1'],
  ] as const)('%s goes to %s and back', (kind, topic) => {
    expect(kafkaTopicFor(kind)).toBe(topic);
    expect(telemetryKindOfKafkaTopic(topic)).toBe(kind);
  });

  it('has no telemetry kind for the KPI, DLQ or a foreign topic', () => {
    expect(telemetryKindOfKafkaTopic(KPI_KAFKA_TOPIC)).toBeUndefined();
    expect(telemetryKindOfKafkaTopic(DLQ_KAFKA_TOPIC)).toBeUndefined();
    expect(telemetryKindOfKafkaTopic('other')).toBeUndefined();
  });
});

describe('Kafka headers', () => {
  it('are the literal names of the wire contract (services/*/README.md, docs/decisions.md)', () => {
    // Consumers outside this repository read these names; renaming one breaks them, so each is spelt out.
    expect(KAFKA_HEADERS).toEqual({
      mqttTopic: 'mekong-mqtt-topic',
      receivedAt: 'mekong-received-at',
      schemaVersion: 'mekong-schema-version',
      errorCode: 'mekong-error-code',
      errorPath: 'mekong-error-path',
      errorMessage: 'mekong-error-message',
      originalBytes: 'mekong-original-bytes',
      sourceTopic: 'mekong-source-topic',
      sourcePartition: 'mekong-source-partition',
      sourceOffset: 'mekong-source-offset',
    });
  });

  it('carry schema version 1, matching mekong/v1 and *.v1', () => {
    expect(SCHEMA_VERSION).toBe('1');
  });
});
