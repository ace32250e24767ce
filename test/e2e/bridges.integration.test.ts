import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DLQ_KAFKA_TOPIC, KAFKA_HEADERS, kafkaTopicFor, SCHEMA_VERSION } from '@mekong/contracts';
import { ensureDebianPackages } from '@mekong/devstack';
import type { RunningKafkaInfluxBridge } from '@mekong/kafka-influx-bridge';
import type { RunningMqttKafkaBridge } from '@mekong/mqtt-kafka-bridge';
import { Admin } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  healthOf,
  type KafkaRow,
  metricValue,
  pollUntil,
  readInfluxKeys,
  readKafka,
  readKafkaValue,
  recordKey,
} from './helpers/observe.js';
import {
  deviceUser,
  kafkaInfluxTestConfig,
  mqttKafkaTestConfig,
  publishWithMosquitto,
  startTestKafkaInfluxBridge,
  startTestMqttKafkaBridge,
  TestPipeline,
} from './helpers/pipeline.js';

import {
  baseTime,
  type CellRef,
  cellsOf,
  countPayloads,
  expectedKeys,
  linePathOf,
  topicOf,
  uniqueEnterprise,
} from './helpers/telemetry.js';

const devstack = inject('devstack');
const brokers = devstack.kafka.brokers;
const PER_CELL = 500;

const enterprise = uniqueEnterprise();
// Three lines of two cells: 6 publishers × 500 = 3,000 valid messages.
const cells = cellsOf(enterprise, 3, 2);
const valid = expectedKeys(cells, PER_CELL);

// The broker only: this file starts its own bridges, two of each kind.
const pipeline = new TestPipeline({ name: 'e2e-bridges', cells, brokers });
const mqttKafka: RunningMqttKafkaBridge[] = [];
const kafkaInflux: RunningKafkaInfluxBridge[] = [];

/** Invalid messages, each with the topic it goes to and the bytes sent. */
const first = cells[0] as CellRef;
/** What the DLQ record of each invalid message must say, written out by hand (ARCHITECTURE.md, contracts README). */
interface InvalidMessage {
  name: string;
  topic: string;
  bytes: Buffer;
  code: string;
  path: Array<string | number>;
  message: RegExp;
}

const invalid: InvalidMessage[] = [
  {
    name: 'not JSON',
    topic: topicOf(first, 'count'),
    bytes: Buffer.from('good=12 scrap=1'),
    code: 'MEKONG_INVALID_JSON',
    path: [],
    message: /^payload is not valid JSON/,
  },
  {
    name: 'negative count',
    topic: topicOf(first, 'count'),
    bytes: Buffer.from(
      JSON.stringify({ ts: baseTime(), seq: 9001, good: -1, scrap: 0, product: 'bracket-a' }),
    ),
    code: 'MEKONG_INVALID_PAYLOAD',
    path: ['good'],
    message: /^good: .*>= ?0/,
  },
  {
    name: 'missing field',
    topic: topicOf(first, 'state'),
    bytes: Buffer.from(JSON.stringify({ ts: baseTime(), seq: 9002 })),
    code: 'MEKONG_INVALID_PAYLOAD',
    path: ['state'],
    message: /^state: is missing/,
  },
  {
    name: 'sensor reading not a number',
    topic: topicOf(first, 'sensor'),
    bytes: Buffer.from(
      JSON.stringify({
        ts: baseTime(),
        seq: 9003,
        readings: [
          { name: 'temp', value: 61.5, unit: 'Cel' },
          { name: 'power', value: 'high', unit: 'kW' },
        ],
      }),
    ),
    code: 'MEKONG_INVALID_PAYLOAD',
    path: ['readings', 1, 'value'],
    message: /^readings\[1\]\.value: expected number, got "high"$/,
  },
  {
    name: 'unknown kind',
    topic: topicOf(first, 'bogus'),
    bytes: Buffer.from('{"ts":1,"seq":1}'),
    code: 'MEKONG_UNKNOWN_KIND',
    path: ['topic', 'kind'],
    message: /^unknown kind "bogus"/,
  },
  {
    name: 'not UTF-8',
    topic: topicOf(first, 'alarm'),
    bytes: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    code: 'MEKONG_INVALID_UTF8',
    path: [],
    message: /^payload is not valid UTF-8 text$/,
  },
];

beforeAll(async () => {
  await ensureDebianPackages({ cacheRoot: inject('devstackConfig').cacheRoot, progress: () => {} }, [
    'mosquitto-clients',
    'kcat',
  ]);
  await pipeline.start();
  const port = pipeline.broker.ports.tcp;
  // Two MQTT → Kafka instances side by side, sharded by topic filter (Aedes has no shared
  // subscriptions): lines 1–2 over IPv4 with MQTT 5, line 3 over IPv6 with MQTT 3.1.1.
  const shardA = mqttKafkaTestConfig(`mqtt://127.0.0.1:${port}`, brokers, 'bridge-e2e-a');
  shardA.mqtt.topicFilters = [
    `mekong/v1/${enterprise}/hcm/assembly/line-1/#`,
    `mekong/v1/${enterprise}/hcm/assembly/line-2/#`,
  ];
  const shardB = mqttKafkaTestConfig(`mqtt://[::1]:${port}`, brokers, 'bridge-e2e-b');
  shardB.mqtt.topicFilters = [`mekong/v1/${enterprise}/hcm/assembly/line-3/#`];
  shardB.mqtt.protocolVersion = 4;
  for (const config of [shardA, shardB]) mqttKafka.push(await startTestMqttKafkaBridge(config));
  // Two Kafka → InfluxDB instances in one consumer group share the partitions.
  const groupId = `e2e-${enterprise}`;
  for (let i = 0; i < 2; i++) {
    const config = kafkaInfluxTestConfig(brokers, devstack.influxdb, groupId);
    kafkaInflux.push(await startTestKafkaInfluxBridge(config));
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(mqttKafka.map((bridge) => bridge.close()));
  await Promise.all(kafkaInflux.map((bridge) => bridge.close()));
  await pipeline.close();
});

async function telemetryRows(): Promise<KafkaRow[]> {
  return readKafka(brokers, kafkaTopicFor('count'), `${enterprise}/`);
}

describe('MQTT → Kafka → InfluxDB', () => {
  it('carries every message published with mosquitto_pub into Kafka (kcat) and InfluxDB, exactly once each', async () => {
    const base = baseTime();
    await Promise.all(
      cells.map((cell) =>
        publishWithMosquitto({
          port: pipeline.broker.ports.tcp,
          username: deviceUser(cell),
          topic: topicOf(cell, 'count'),
          payloads: countPayloads(PER_CELL, base),
          chunk: 50,
          everyMs: 20,
          protocol: cell.line === 'line-2' ? 'mqttv5' : 'mqttv311',
        }),
      ),
    );

    const rows = await pollUntil(
      telemetryRows,
      (read) => read.length >= valid.size,
      60_000,
      (read) => `${read.length} of ${valid.size} records in Kafka`,
    );
    expect(rows).toHaveLength(valid.size);
    expect(new Set(rows.map(recordKey))).toEqual(valid);
    for (const row of rows.slice(0, 50)) {
      expect(row.key).toBe(row.headers[KAFKA_HEADERS.mqttTopic]?.split('/').slice(2, 6).join('/'));
      expect(row.headers[KAFKA_HEADERS.schemaVersion]).toBe(SCHEMA_VERSION);
      expect(Number(row.headers[KAFKA_HEADERS.receivedAt])).toBeGreaterThan(base);
    }

    const points = await pollUntil(
      () => readInfluxKeys(devstack.influxdb, enterprise),
      (read) => read.length >= valid.size,
      60_000,
      (read) => `${read.length} of ${valid.size} points in InfluxDB`,
    );
    expect(points).toHaveLength(valid.size);
    expect(new Set(points)).toEqual(valid);
  });

  it('keeps each line in one partition, in the order its cells published', async () => {
    const rows = await telemetryRows();
    const partitionsOfLine = new Map<string, Set<number>>();
    for (const row of rows) {
      const set = partitionsOfLine.get(row.key) ?? new Set();
      set.add(row.partition);
      partitionsOfLine.set(row.key, set);
    }
    for (const cell of cells) expect(partitionsOfLine.get(linePathOf(cell))?.size).toBe(1);
    for (const cell of cells) {
      const seqs = rows
        .filter((row) => row.headers[KAFKA_HEADERS.mqttTopic] === topicOf(cell, 'count'))
        .sort((a, b) => a.offset - b.offset)
        .map((row) => (JSON.parse(row.value) as { seq: number }).seq);
      expect(seqs).toEqual(Array.from({ length: PER_CELL }, (_, seq) => seq));
    }
  });

  it('puts invalid messages in the DLQ with the original bytes, the topic, the error code and path', async () => {
    for (const message of invalid) {
      const file = join(pipeline.dir, 'payload.bin');
      await writeFile(file, message.bytes);
      await publishWithMosquitto({
        port: pipeline.broker.ports.tcp,
        username: 'admin',
        topic: message.topic,
        payloads: [],
        fileArgument: file,
      });
    }
    const rows = await pollUntil(
      () => readKafka(brokers, DLQ_KAFKA_TOPIC, `${enterprise}/`),
      (read) => read.length >= invalid.length,
      30_000,
      (read) => `${read.length} of ${invalid.length} DLQ records`,
    );
    expect(rows).toHaveLength(invalid.length);
    for (const message of invalid) {
      const row = rows.find(
        (r) =>
          r.headers[KAFKA_HEADERS.mqttTopic] === message.topic &&
          r.headers[KAFKA_HEADERS.errorCode] === message.code,
      );
      if (row === undefined) throw new Error(`no DLQ record for ${message.name}`);
      expect(row.headers[KAFKA_HEADERS.errorPath], message.name).toBe(JSON.stringify(message.path));
      expect(row.headers[KAFKA_HEADERS.errorMessage], message.name).toMatch(message.message);
      // The value byte for byte, read raw by kcat (its JSON output cannot carry invalid UTF-8).
      const value = await readKafkaValue(brokers, DLQ_KAFKA_TOPIC, row.partition, row.offset);
      expect(value.equals(message.bytes), `${message.name}: ${value.toString('hex')}`).toBe(true);
    }
    const codes = rows.map((row) => row.headers[KAFKA_HEADERS.errorCode]).sort();
    expect(codes).toEqual(
      [
        'MEKONG_INVALID_JSON',
        'MEKONG_INVALID_PAYLOAD',
        'MEKONG_INVALID_PAYLOAD',
        'MEKONG_INVALID_PAYLOAD',
        'MEKONG_UNKNOWN_KIND',
        'MEKONG_INVALID_UTF8',
      ].sort(),
    );
    const dlqCounted = await Promise.all(
      mqttKafka.map((bridge) => metricValue(bridge.ports.http, 'mekong_mqtt_kafka_dlq_total')),
    );
    expect(dlqCounted.reduce((a, b) => a + b, 0)).toBe(invalid.length);
  });

  it('reports ok on /health and counts its work on /metrics', async () => {
    for (const bridge of [...mqttKafka, ...kafkaInflux]) {
      const report = await healthOf(bridge.ports.http);
      expect(report.status).toBe('ok');
    }
    const sent = await Promise.all(
      mqttKafka.map((bridge) =>
        metricValue(bridge.ports.http, 'mekong_mqtt_kafka_records_sent_total', { topic: 'mekong.count.v1' }),
      ),
    );
    // Each shard forwarded its own lines: 4 cells and 2 cells.
    expect(sent).toEqual([4 * PER_CELL, 2 * PER_CELL]);
    const written = await Promise.all(
      kafkaInflux.map((bridge) => metricValue(bridge.ports.http, 'mekong_kafka_influx_points_written_total')),
    );
    expect(written.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(valid.size);
    // Both Kafka → InfluxDB instances are members of the group, each with its share of the partitions.
    const admin = new Admin({ clientId: 'e2e', bootstrapBrokers: brokers });
    try {
      const groups = await admin.describeGroups({ groups: [`e2e-${enterprise}`] });
      const members = [...(groups.get(`e2e-${enterprise}`)?.members.values() ?? [])];
      expect(members).toHaveLength(2);
      for (const member of members) {
        const partitions = [...(member.assignments?.values() ?? [])].flatMap((a) => a.partitions);
        expect(partitions.length).toBeGreaterThan(0);
      }
    } finally {
      await admin.close();
    }
  });
});
