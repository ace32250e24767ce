import { KAFKA_HEADERS } from '@mekong/contracts';
import { describe, expect, it } from 'vitest';
import { type DeadRecord, processRecords, type SourceRecord } from '../../src/core/process-records.js';
import type { ItemOutcome, WriteItem } from '../../src/core/write-batcher.js';

const topic = 'mekong/v1/acme/hcm/assembly/line-1/press-1/count';
const record = (offset: number, value: string, mqttTopic: string | null = topic): SourceRecord => ({
  topic: 'mekong.count.v1',
  partition: 2,
  offset: String(offset),
  key: Buffer.from('acme/hcm/assembly/line-1'),
  value: Buffer.from(value),
  headers: mqttTopic ? { [KAFKA_HEADERS.mqttTopic]: Buffer.from(mqttTopic) } : {},
});
const count = (seq: number) =>
  JSON.stringify({ ts: 1_772_406_900_000 + seq, seq, good: 1, scrap: 0, product: 'p' });

describe('processRecords', () => {
  it('writes valid records and sends refused ones to the DLQ with the reason and where they came from', async () => {
    const submitted: WriteItem[][] = [];
    const dead: DeadRecord[] = [];
    const result = await processRecords(
      [record(10, count(1)), record(11, 'not json'), record(12, count(2)), record(13, count(3), null)],
      {
        submit: async (items) => {
          submitted.push(items);
          return items.map(
            (_, i): ItemOutcome =>
              i === 1 ? { ok: false, status: 422, reason: 'field type conflict' } : { ok: true },
          );
        },
        sendToDlq: async (records) => {
          dead.push(...records);
        },
        maxPayloadBytes: 65_536,
      },
    );
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toHaveLength(2);
    expect(result).toMatchObject({ written: 1, points: 1 });
    expect(result.dead.map((d) => [d.record.offset, d.issue.code])).toEqual([
      ['11', 'MEKONG_INVALID_JSON'],
      ['13', 'MEKONG_INVALID_TOPIC'],
      ['12', 'MEKONG_INVALID_LINE_PROTOCOL'],
    ]);
    expect(dead).toHaveLength(3);
    const refused = dead[2];
    expect(refused?.value?.toString()).toBe(count(2));
    expect(refused?.headers[KAFKA_HEADERS.errorMessage]).toBe(
      'InfluxDB refused the points (HTTP 422): field type conflict',
    );
    expect(refused?.headers[KAFKA_HEADERS.mqttTopic]?.toString()).toBe(topic);
    expect(refused?.headers[KAFKA_HEADERS.sourceTopic]).toBe('mekong.count.v1');
    expect(refused?.headers[KAFKA_HEADERS.sourcePartition]).toBe('2');
    expect(refused?.headers[KAFKA_HEADERS.sourceOffset]).toBe('12');
  });

  it('does not call the DLQ when every record is written', async () => {
    let dlqCalls = 0;
    await processRecords([record(1, count(1))], {
      submit: async (items) => items.map(() => ({ ok: true })),
      sendToDlq: async () => {
        dlqCalls += 1;
      },
      maxPayloadBytes: 65_536,
    });
    expect(dlqCalls).toBe(0);
  });
});
