import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningBroker } from '@mekong/broker';
import { devstackKill, devstackRestart } from '@mekong/devstack';
import { type RunningKafkaInfluxBridge, startKafkaInfluxBridge } from '@mekong/kafka-influx-bridge';
import { type RunningMqttKafkaBridge, startMqttKafkaBridge } from '@mekong/mqtt-kafka-bridge';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectEveryMessageDelivered, publishStream } from './helpers/delivery.js';
import { healthOf, metricValue, pollUntil } from './helpers/observe.js';
import {
  capturingLogger,
  kafkaInfluxTestConfig,
  mqttKafkaTestConfig,
  removeTempDirs,
  startTestBroker,
  tempDir,
  testBrokerConfig,
  writeCredentials,
} from './helpers/pipeline.js';
import { baseTime, cellsOf, uniqueEnterprise } from './helpers/telemetry.js';

const devstack = inject('devstack');
const devstackConfig = inject('devstackConfig');
const brokers = devstack.kafka.brokers;
const enterprise = uniqueEnterprise('kafka-kill');
const cells = cellsOf(enterprise, 3, 2);
const PER_CELL = 600;

let broker: RunningBroker;
let mqttKafka: RunningMqttKafkaBridge;
let kafkaInflux: RunningKafkaInfluxBridge;
const mqttKafkaLog = capturingLogger('mqtt-kafka-bridge');

beforeAll(async () => {
  const dir = await tempDir('e2e-kafka-kill');
  broker = await startTestBroker(testBrokerConfig(await writeCredentials(dir, cells)));
  mqttKafka = await startMqttKafkaBridge(
    mqttKafkaTestConfig(`mqtt://127.0.0.1:${broker.ports.tcp}`, brokers, 'bridge-kafka-kill'),
    { logger: mqttKafkaLog.logger },
  );
  kafkaInflux = await startKafkaInfluxBridge(
    kafkaInfluxTestConfig(brokers, devstack.influxdb, `e2e-${enterprise}`),
    {
      logger: capturingLogger('kafka-influx-bridge').logger,
    },
  );
}, 120_000);

afterAll(async () => {
  await mqttKafka?.close();
  await kafkaInflux?.close();
  await broker?.close();
  await removeTempDirs();
});

describe('Kafka killed with SIGKILL mid-stream', () => {
  it('loses nothing: the bridge holds the PUBACKs, reports degraded, and forwards everything once Kafka is back', async () => {
    const stream = publishStream({
      port: broker.ports.tcp,
      cells,
      perCell: PER_CELL,
      baseMs: baseTime(),
      chunk: 10,
      everyMs: 50,
    });
    await pollUntil(
      () => metricValue(mqttKafka.ports.http, 'mekong_mqtt_kafka_records_sent_total'),
      (sent) => sent >= 300,
      30_000,
      (sent) => `only ${sent} records sent before the kill`,
      100,
    );
    await devstackKill(devstackConfig, 'kafka');
    const degraded = await pollUntil(
      () => healthOf(mqttKafka.ports.http),
      (report) => report.status === 'degraded',
      30_000,
      (report) => `health stayed ${JSON.stringify(report)}`,
      200,
    );
    expect(degraded.components.kafka?.status).toBe('degraded');
    // Messages keep arriving while Kafka is down; none may be acknowledged to the broker.
    await sleep(2_000);
    expect(await metricValue(mqttKafka.ports.http, 'mekong_mqtt_kafka_inflight_messages')).toBeGreaterThan(0);
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
    await pollUntil(
      () => healthOf(mqttKafka.ports.http),
      (health) => health.status === 'ok',
      30_000,
      (health) => JSON.stringify(health),
    );
    expect(mqttKafkaLog.events.some((event) => event.code === 'MEKONG_KAFKA_SEND_FAILED')).toBe(true);
  });
});
