import { devstackKill, devstackRestart } from '@mekong/devstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectEveryMessageDelivered, publishStream } from './helpers/delivery.js';
import { metricValue, waitForHealth, waitForMetric } from './helpers/observe.js';
import { TestPipeline } from './helpers/pipeline.js';
import { baseTime, cellsOf, uniqueEnterprise } from './helpers/telemetry.js';

const devstack = inject('devstack');
const devstackConfig = inject('devstackConfig');
const brokers = devstack.kafka.brokers;
const enterprise = uniqueEnterprise('kafka-kill');
const cells = cellsOf(enterprise, 3, 2);
const PER_CELL = 600;

const pipeline = new TestPipeline({
  name: 'e2e-kafka-kill',
  cells,
  brokers,
  mqttKafka: { clientId: 'bridge-kafka-kill' },
  kafkaInflux: { influx: devstack.influxdb, groupId: `e2e-${enterprise}` },
});

beforeAll(() => pipeline.start(), 120_000);

afterAll(() => pipeline.close());

describe('Kafka killed with SIGKILL mid-stream', () => {
  it('loses nothing: the bridge holds the PUBACKs, reports degraded, and forwards everything once Kafka is back', async () => {
    const { broker, mqttKafka, mqttKafkaLog } = pipeline;
    const stream = publishStream({
      port: broker.ports.tcp,
      cells,
      perCell: PER_CELL,
      baseMs: baseTime(),
      chunk: 10,
      everyMs: 50,
    });
    await waitForMetric(mqttKafka.ports.http, 'mekong_mqtt_kafka_records_sent_total', {
      atLeast: 300,
      timeoutMs: 30_000,
      what: 'records sent before the kill',
      intervalMs: 100,
    });
    await devstackKill(devstackConfig, 'kafka');
    const degraded = await waitForHealth(mqttKafka.ports.http, 'degraded', 30_000, 200);
    expect(degraded.components.kafka?.status).toBe('degraded');
    // Messages keep arriving while Kafka is down; none may be acknowledged to the broker: every one
    // received since is still in flight.
    const receivedAtOutage = await metricValue(
      mqttKafka.ports.http,
      'mekong_mqtt_kafka_messages_received_total',
    );
    const received = await waitForMetric(mqttKafka.ports.http, 'mekong_mqtt_kafka_messages_received_total', {
      atLeast: receivedAtOutage + 200,
      timeoutMs: 30_000,
      what: 'messages received while Kafka is down',
      intervalMs: 100,
    });
    expect(
      await metricValue(mqttKafka.ports.http, 'mekong_mqtt_kafka_inflight_messages'),
    ).toBeGreaterThanOrEqual(received - receivedAtOutage);
    await devstackRestart(devstackConfig, 'kafka', () => undefined);
    await stream;

    const report = await expectEveryMessageDelivered({
      brokers,
      influx: devstack.influxdb,
      enterprise,
      cells,
      perCell: PER_CELL,
      timeoutMs: 120_000,
    });
    console.info(`Kafka kill: ${report.kafkaRecords} records for ${cells.length * PER_CELL} messages`);
    expect(await metricValue(mqttKafka.ports.http, 'mekong_mqtt_kafka_send_retries_total')).toBeGreaterThan(
      0,
    );
    await waitForHealth(mqttKafka.ports.http, 'ok', 30_000);
    expect(mqttKafkaLog.events.some((event) => event.code === 'MEKONG_KAFKA_SEND_FAILED')).toBe(true);
  });
});
