import { setTimeout as sleep } from 'node:timers/promises';
import { KAFKA_HEADERS, kafkaTopicFor } from '@mekong/contracts';
import { createAdmin } from '@mekong/kafka';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectEveryMessageDelivered, publishStream } from './helpers/delivery.js';
import { healthOf, metricValue, pollUntil, readKafka, waitForMetric } from './helpers/observe.js';
import {
  freePort,
  kafkaInfluxTestConfig,
  mqttKafkaTestConfig,
  PASSWORD,
  type ServiceProcess,
  spawnService,
  startTestKafkaInfluxBridge,
  startTestMqttKafkaBridge,
  TestPipeline,
  waitForHealthy,
} from './helpers/pipeline.js';
import { baseTime, cellsOf, uniqueEnterprise } from './helpers/telemetry.js';

const devstack = inject('devstack');
const brokers = devstack.kafka.brokers;
const PER_CELL = 500;
const MQTT_KAFKA_MAIN = 'services/mqtt-kafka-bridge/src/main.ts';
const KAFKA_INFLUX_MAIN = 'services/kafka-influx-bridge/src/main.ts';

const mqttKafkaCrash = uniqueEnterprise('mk-crash');
const kafkaInfluxCrash = uniqueEnterprise('ki-crash');
const cellsA = cellsOf(mqttKafkaCrash, 2, 2);
const cellsB = cellsOf(kafkaInfluxCrash, 2, 2);

// The broker only: the tests start the bridges, in-process or as processes.
const pipeline = new TestPipeline({ name: 'e2e-bridge-crash', cells: [...cellsA, ...cellsB], brokers });
const closers: Array<() => Promise<unknown>> = [];

beforeAll(() => pipeline.start(), 60_000);

async function closeAll(): Promise<void> {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
}

afterAll(async () => {
  await closeAll();
  await pipeline.close();
});

async function startMqttKafkaProcess(
  clientId: string,
  enterprise: string,
  httpPort: number,
  extraEnv: Record<string, string> = {},
): Promise<ServiceProcess> {
  const service = await spawnService(
    MQTT_KAFKA_MAIN,
    {
      MEKONG_MQTT_URL: `mqtt://127.0.0.1:${pipeline.broker.ports.tcp}`,
      MEKONG_MQTT_USERNAME: 'bridge',
      MEKONG_MQTT_PASSWORD: PASSWORD,
      MEKONG_MQTT_CLIENT_ID: clientId,
      MEKONG_MQTT_TOPIC_FILTERS: `mekong/v1/${enterprise}/#`,
      MEKONG_KAFKA_BROKERS: brokers.join(','),
      MEKONG_MQTT_KAFKA_HTTP_PORT: String(httpPort),
      MEKONG_MQTT_KAFKA_RETRY_MAX_MS: '2000',
      ...extraEnv,
    },
    httpPort,
    pipeline.dir,
    'mqtt-kafka',
  );
  closers.push(() => service.kill('SIGTERM'));
  await waitForHealthy(httpPort, 60_000);
  return service;
}

async function startKafkaInfluxProcess(
  groupId: string,
  httpPort: number,
  extraEnv: Record<string, string> = {},
): Promise<ServiceProcess> {
  const influx = devstack.influxdb;
  const service = await spawnService(
    KAFKA_INFLUX_MAIN,
    {
      MEKONG_KAFKA_BROKERS: brokers.join(','),
      MEKONG_KAFKA_INFLUX_GROUP_ID: groupId,
      MEKONG_INFLUX_URL: influx.url,
      MEKONG_INFLUX_TOKEN: influx.token,
      MEKONG_INFLUX_ORG: influx.org,
      MEKONG_INFLUX_BUCKET: influx.bucket,
      MEKONG_KAFKA_INFLUX_HTTP_PORT: String(httpPort),
      MEKONG_KAFKA_INFLUX_RETRY_MAX_MS: '2000',
      ...extraEnv,
    },
    httpPort,
    pipeline.dir,
    'kafka-influx',
  );
  closers.push(() => service.kill('SIGTERM'));
  await waitForHealthy(httpPort, 60_000);
  return service;
}

describe('a bridge process killed with SIGKILL mid-stream and started again', () => {
  it('MQTT → Kafka: the broker redelivers what was not acknowledged; nothing is lost', async () => {
    const kafkaInflux = await startTestKafkaInfluxBridge(
      kafkaInfluxTestConfig(brokers, devstack.influxdb, `e2e-${mqttKafkaCrash}`),
    );
    closers.push(() => kafkaInflux.close());
    const port = await freePort();
    // The first process holds each record up to 500 ms before it goes to Kafka, and its PUBACK with it:
    // at the kill there are messages it received and never acknowledged.
    const first = await startMqttKafkaProcess('bridge-crash', mqttKafkaCrash, port, {
      MEKONG_MQTT_KAFKA_LINGER_MS: '500',
    });

    // Deliveries counted where they leave: the broker (only the bridge subscribes in this test).
    const brokerHttp = pipeline.broker.ports.http as number;
    const deliveredBefore = await metricValue(brokerHttp, 'mekong_broker_messages_out_total', { qos: '1' });
    let published = false;
    const stream = publishStream({
      port: pipeline.broker.ports.tcp,
      cells: cellsA,
      perCell: PER_CELL,
      baseMs: baseTime(),
      chunk: 10,
      everyMs: 40,
    }).then(() => {
      published = true;
    });
    await waitForMetric(port, 'mekong_mqtt_kafka_records_sent_total', {
      atLeast: 300,
      timeoutMs: 30_000,
      what: 'records sent before the kill',
      intervalMs: 50,
    });
    const inflight = await metricValue(port, 'mekong_mqtt_kafka_inflight_messages');
    // Mid-stream: the devices are still publishing and the bridge holds unacknowledged messages.
    expect({ published, inflight: inflight > 0 }).toEqual({ published: false, inflight: true });
    expect(await first.kill('SIGKILL')).toBeNull();
    await sleep(1_000); // the bridge stays down a while: the broker queues for its session meanwhile
    await startMqttKafkaProcess('bridge-crash', mqttKafkaCrash, port);
    await stream;

    const report = await expectEveryMessageDelivered({
      brokers,
      influx: devstack.influxdb,
      enterprise: mqttKafkaCrash,
      cells: cellsA,
      perCell: PER_CELL,
      timeoutMs: 90_000,
    });
    // Each message reached a bridge at least once; the broker sent more than were published only if it
    // delivered again what the first process had received and not acknowledged. (Counting what each
    // process received races the kill: what the first receives after its last scrape is never counted.)
    const delivered =
      (await metricValue(brokerHttp, 'mekong_broker_messages_out_total', { qos: '1' })) - deliveredBefore;
    const redelivered = delivered - cellsA.length * PER_CELL;
    expect(redelivered).toBeGreaterThan(0);
    console.info(
      `MQTT → Kafka bridge kill: ≥ ${redelivered} redelivered, ${report.kafkaDuplicates} duplicates in Kafka, ${report.influxPoints} points for ${cellsA.length * PER_CELL} messages`,
    );
    // The next test must be the only writer of its points.
    await closeAll();
  });

  it('Kafka → InfluxDB: uncommitted records are read again; duplicates land on the same points', async () => {
    const mqttKafka = await startTestMqttKafkaBridge(
      mqttKafkaTestConfig(`mqtt://127.0.0.1:${pipeline.broker.ports.tcp}`, brokers, 'bridge-ki-crash'),
    );
    closers.push(() => mqttKafka.close());
    const port = await freePort();
    const groupId = `e2e-${kafkaInfluxCrash}`;
    // The group starts at the topic's current end: the records of earlier tests (a backlog in a full
    // run) would otherwise be what the first process holds at the kill, in other partitions than ours.
    await startGroupAtEnd(groupId, countTopic);
    // The first process holds what it read for 1.5 s before writing it (and committing its offsets); the
    // devices publish for about 4 s (500 messages/s in all), so the kill lands mid-stream.
    const first = await startKafkaInfluxProcess(groupId, port, {
      MEKONG_KAFKA_INFLUX_FLUSH_INTERVAL_MS: '1500',
    });

    let published = false;
    const stream = publishStream({
      port: pipeline.broker.ports.tcp,
      cells: cellsB,
      perCell: PER_CELL,
      baseMs: baseTime(),
      chunk: 10,
      everyMs: 80,
    }).then(() => {
      published = true;
    });
    await waitForMetric(port, 'mekong_kafka_influx_points_written_total', {
      atLeast: 300,
      timeoutMs: 60_000,
      what: 'points written before the kill',
      intervalMs: 50,
    });
    // Mid-stream: the devices are still publishing and the bridge holds points it read and has not written.
    const held = await pollUntil(
      async () => {
        const influx = (await healthOf(port)).components.influxdb as { detail?: { pendingPoints?: number } };
        return influx?.detail;
      },
      // Not just any held point: right after a flush the few held were received a moment ago. 200 held
      // points span 400 ms of the stream, so some were received well before the kill.
      (detail) => (detail?.pendingPoints ?? 0) >= 200,
      10_000,
      (detail) => `no points held: ${JSON.stringify(detail)}`,
      20,
    );
    expect({ published, held: (held?.pendingPoints ?? 0) > 0 }).toEqual({ published: false, held: true });
    expect(await first.kill('SIGKILL')).toBeNull();
    const killedAt = Date.now();
    const committed = await committedOffsets(groupId, countTopic);
    await startKafkaInfluxProcess(groupId, port);
    await stream;

    await expectEveryMessageDelivered({
      brokers,
      influx: devstack.influxdb,
      enterprise: kafkaInfluxCrash,
      cells: cellsB,
      perCell: PER_CELL,
      timeoutMs: 90_000,
    });
    // Read again: records the bridge had received well before the kill (so the first process had read
    // them) lie at or after the group's committed offsets, where the second process starts.
    const rows = await readKafka(brokers, countTopic, `${kafkaInfluxCrash}/`);
    const uncommitted = rows.filter((row) => row.offset >= (committed.get(row.partition) ?? 0));
    const readBeforeTheKill = uncommitted.filter(
      (row) => Number(row.headers[KAFKA_HEADERS.receivedAt]) < killedAt - 200,
    );
    expect(readBeforeTheKill.length).toBeGreaterThan(0);
    const readBySecond = await metricValue(port, 'mekong_kafka_influx_records_total', { topic: countTopic });
    expect(readBySecond).toBeGreaterThanOrEqual(uncommitted.length);
  });
});

const countTopic = kafkaTopicFor('count');

/** Commits, for a new group, the current end of every partition of `topic`. */
async function startGroupAtEnd(groupId: string, topic: string): Promise<void> {
  const admin = createAdmin({ clientId: 'e2e', brokers });
  try {
    const metadata = await admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const partitions = Array.from({ length: count }, (_, partitionIndex) => ({
      partitionIndex,
      timestamp: -1n,
    }));
    const [listed] = await admin.listOffsets({ topics: [{ name: topic, partitions }] });
    await admin.alterConsumerGroupOffsets({
      groupId,
      topics: [
        {
          name: topic,
          partitionOffsets: (listed?.partitions ?? []).map((p) => ({
            partition: p.partitionIndex,
            offset: p.offset,
          })),
        },
      ],
    });
  } finally {
    await admin.close();
  }
}

/** The committed offset of each partition of `topic` for `groupId` (partitions without one left out). */
async function committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
  const admin = createAdmin({ clientId: 'e2e', brokers });
  try {
    const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
    const offsets = new Map<number, number>();
    for (const entry of group?.topics.find((t) => t.name === topic)?.partitions ?? []) {
      if (entry.committedOffset >= 0n) offsets.set(entry.partitionIndex, Number(entry.committedOffset));
    }
    return offsets;
  } finally {
    await admin.close();
  }
}
