import { InfluxDB } from '@influxdata/influxdb-client';
import { DLQ_KAFKA_TOPIC, KAFKA_HEADERS, kafkaTopicFor } from '@mekong/contracts';
import { Producer, stringSerializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { healthOf, metricValue, pollUntil, readInfluxKeys, readKafka } from './helpers/observe.js';
import { deviceUser, publishWithMosquitto, TestPipeline } from './helpers/pipeline.js';
import {
  baseTime,
  type CellRef,
  cellPathOf,
  cellsOf,
  topicOf,
  uniqueEnterprise,
} from './helpers/telemetry.js';

const devstack = inject('devstack');
const brokers = devstack.kafka.brokers;
const enterprise = uniqueEnterprise('influx-rejects');
const [cell] = cellsOf(enterprise, 1, 1) as [CellRef];
const DAY_MS = 24 * 60 * 60 * 1000;

const pipeline = new TestPipeline({
  name: 'e2e-influx-rejects',
  cells: [cell],
  brokers,
  mqttKafka: { clientId: 'bridge-influx-rejects' },
  kafkaInflux: { influx: devstack.influxdb, groupId: `e2e-${enterprise}` },
});

beforeAll(() => pipeline.start(), 120_000);

afterAll(() => pipeline.close());

describe('a record InfluxDB refuses for its content', () => {
  it('goes to the DLQ with InfluxDB’s reason, while the records around it are written', async () => {
    // A point whose `good` field is a string makes InfluxDB refuse every integer `good` of the
    // production measurement in the same shard (a week here): HTTP 422, field type conflict.
    const poisonTs = Date.now() - 20 * DAY_MS;
    const influx = new InfluxDB({ url: devstack.influxdb.url, token: devstack.influxdb.token });
    const writeApi = influx.getWriteApi(devstack.influxdb.org, devstack.influxdb.bucket, 'ms');
    writeApi.writeRecord(
      `production,enterprise=${enterprise},cell=elsewhere good="not a number" ${poisonTs - 1}`,
    );
    await writeApi.close();

    const base = baseTime();
    const payloads = Array.from({ length: 300 }, (_, seq) =>
      JSON.stringify({
        ts: seq === 150 ? poisonTs : base + seq,
        seq,
        good: 1,
        scrap: 0,
        product: 'bracket-a',
      }),
    );
    await publishWithMosquitto({
      port: pipeline.broker.ports.tcp,
      username: deviceUser(cell),
      topic: topicOf(cell, 'count'),
      payloads,
    });

    const dead = await pollUntil(
      () => readKafka(brokers, DLQ_KAFKA_TOPIC, `${enterprise}/`),
      (rows) => rows.length >= 1,
      60_000,
      () => 'no DLQ record',
    );
    expect(dead).toHaveLength(1);
    const [record] = dead;
    expect(JSON.parse(record?.value ?? '{}').seq).toBe(150);
    expect(record?.headers[KAFKA_HEADERS.errorCode]).toBe('MEKONG_INVALID_LINE_PROTOCOL');
    expect(record?.headers[KAFKA_HEADERS.errorMessage]).toMatch(/HTTP 422.*field type conflict/);
    expect(record?.headers[KAFKA_HEADERS.mqttTopic]).toBe(topicOf(cell, 'count'));
    expect(record?.headers[KAFKA_HEADERS.sourceTopic]).toBe(kafkaTopicFor('count'));
    expect(record?.headers[KAFKA_HEADERS.sourceOffset]).toMatch(/^\d+$/);

    const points = await pollUntil(
      () => readInfluxKeys(devstack.influxdb, enterprise),
      (keys) => keys.length >= 299,
      60_000,
      (keys) => `${keys.length} of 299 points`,
    );
    expect(new Set(points)).toEqual(
      new Set(
        Array.from({ length: 300 }, (_, seq) => seq)
          .filter((seq) => seq !== 150)
          .map((seq) => `${cellPathOf(cell)}#${seq}`),
      ),
    );
    expect(
      await metricValue(pipeline.kafkaInflux.ports.http, 'mekong_kafka_influx_write_splits_total'),
    ).toBeGreaterThan(0);
    expect(
      await metricValue(pipeline.kafkaInflux.ports.http, 'mekong_kafka_influx_dlq_total', {
        code: 'MEKONG_INVALID_LINE_PROTOCOL',
      }),
    ).toBe(1);
    expect((await healthOf(pipeline.kafkaInflux.ports.http)).status).toBe('ok');
  });

  it('sends a record that fails the contracts in Kafka (another producer wrote it) to the DLQ and carries on', async () => {
    const producer = new Producer({
      clientId: 'e2e-foreign',
      bootstrapBrokers: brokers,
      serializers: stringSerializers,
    });
    const key = `${enterprise}/hcm/assembly/line-9`;
    const topic = kafkaTopicFor('count');
    await producer.send({
      messages: [
        { topic, key, value: '{"seq":1}' },
        {
          topic,
          key,
          value: '{"ts":1,"seq":2,"good":1,"scrap":0,"product":"p"}',
          headers: { [KAFKA_HEADERS.mqttTopic]: `mekong/v1/${key}/press-1/sensor` },
        },
      ],
    });
    await producer.close();
    const dead = await pollUntil(
      () => readKafka(brokers, DLQ_KAFKA_TOPIC, key),
      (rows) => rows.length >= 2,
      60_000,
      (rows) => `${rows.length} of 2 DLQ records`,
    );
    expect(dead.map((row) => row.headers[KAFKA_HEADERS.errorCode]).sort()).toEqual([
      'MEKONG_INVALID_PAYLOAD',
      'MEKONG_INVALID_TOPIC',
    ]);
    const noHeader = dead.find((row) => row.value === '{"seq":1}');
    expect(noHeader?.headers[KAFKA_HEADERS.errorCode]).toBe('MEKONG_INVALID_TOPIC');
    expect(noHeader?.headers[KAFKA_HEADERS.errorPath]).toBe(
      JSON.stringify(['headers', KAFKA_HEADERS.mqttTopic]),
    );
  });
});
