import { DLQ_KAFKA_TOPIC, KAFKA_HEADERS, SCHEMA_VERSION } from '@mekong/contracts';
import { describe, expect, it } from 'vitest';
import { recordBytes, toKafkaRecord } from '../../src/core/to-kafka-record.js';

const options = { maxPayloadBytes: 1024, dlqMaxValueBytes: 16 };
const topic = 'mekong/v1/acme/hcm/assembly/line-1/press-1/count';
const valid = Buffer.from(
  '{"ts":"2026-03-02T06:15:00+07:00","seq":42,"good":12,"scrap":1,"product":"bracket-a","extra":true}',
);

describe('toKafkaRecord', () => {
  it('sends a valid message to its kind’s topic, keyed by line, with the bytes unchanged and the headers', () => {
    const routed = toKafkaRecord(topic, valid, 1_700_000_000_123, options);
    expect(routed.valid).toBe(true);
    expect(routed.record).toEqual({
      topic: 'mekong.count.v1',
      key: 'acme/hcm/assembly/line-1',
      value: valid,
      headers: {
        [KAFKA_HEADERS.mqttTopic]: topic,
        [KAFKA_HEADERS.receivedAt]: '1700000000123',
        [KAFKA_HEADERS.schemaVersion]: SCHEMA_VERSION,
      },
    });
  });

  it.each([
    ['not JSON', topic, 'x', 'MEKONG_INVALID_JSON', [], 'acme/hcm/assembly/line-1'],
    [
      'a negative count',
      topic,
      '{"ts":1,"seq":1,"good":-1,"scrap":0,"product":"p"}',
      'MEKONG_INVALID_PAYLOAD',
      ['good'],
      'acme/hcm/assembly/line-1',
    ],
    [
      'an unknown kind',
      'mekong/v1/acme/hcm/assembly/line-1/press-1/bogus',
      '{}',
      'MEKONG_UNKNOWN_KIND',
      ['topic', 'kind'],
      'acme/hcm/assembly/line-1',
    ],
    [
      'a topic outside the tree',
      'factory/press-1',
      '{}',
      'MEKONG_INVALID_TOPIC',
      ['topic'],
      'factory/press-1',
    ],
  ])('sends %s to the DLQ with code, path and reason', (_name, mqttTopic, payload, code, path, key) => {
    const routed = toKafkaRecord(mqttTopic, Buffer.from(payload), 5, { ...options, dlqMaxValueBytes: 1024 });
    expect(routed.valid).toBe(false);
    expect(routed.record.topic).toBe(DLQ_KAFKA_TOPIC);
    expect(routed.record.key).toBe(key);
    expect(routed.record.value.toString()).toBe(payload);
    expect(routed.record.headers[KAFKA_HEADERS.errorCode]).toBe(code);
    expect(JSON.parse(routed.record.headers[KAFKA_HEADERS.errorPath] ?? 'null')).toEqual(path);
    expect(routed.record.headers[KAFKA_HEADERS.errorMessage]).toBeTruthy();
    expect(routed.record.headers[KAFKA_HEADERS.mqttTopic]).toBe(mqttTopic);
  });

  it('keeps only the beginning of a huge rejected payload, and says how large it was', () => {
    const payload = Buffer.alloc(5_000, 0x61);
    const routed = toKafkaRecord(topic, payload, 5, options);
    expect(routed.valid).toBe(false);
    if (routed.valid) return;
    expect(routed.issue.code).toBe('MEKONG_PAYLOAD_TOO_LARGE');
    expect(routed.record.value).toHaveLength(16);
    expect(routed.record.headers[KAFKA_HEADERS.originalBytes]).toBe('5000');
  });

  it('counts value, key and headers in the record size', () => {
    const routed = toKafkaRecord(topic, valid, 5, options);
    expect(recordBytes(routed.record)).toBeGreaterThan(valid.byteLength + topic.length);
  });
});
