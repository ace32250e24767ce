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
const enterprise = uniqueEnterprise('influx-kill');
const cells = cellsOf(enterprise, 3, 2);
const PER_CELL = 600;

let broker: RunningBroker;
let mqttKafka: RunningMqttKafkaBridge;
let kafkaInflux: RunningKafkaInfluxBridge;
const kafkaInfluxLog = capturingLogger('kafka-influx-bridge');

beforeAll(async () => {
  const dir = await tempDir('e2e-influx-kill');
  broker = await startTestBroker(testBrokerConfig(await writeCredentials(dir, cells)));
  mqttKafka = await startMqttKafkaBridge(
    mqttKafkaTestConfig(`mqtt://127.0.0.1:${broker.ports.tcp}`, brokers, 'bridge-influx-kill'),
    { logger: capturingLogger('mqtt-kafka-bridge').logger },
  );
  kafkaInflux = await startKafkaInfluxBridge(
    kafkaInfluxTestConfig(brokers, devstack.influxdb, `e2e-${enterprise}`),
    { logger: kafkaInfluxLog.logger },
  );
}, 120_000);

afterAll(async () => {
  await mqttKafka?.close();
  await kafkaInflux?.close();
  await broker?.close();
  await removeTempDirs();
});

describe('InfluxDB killed with SIGKILL mid-stream', () => {
  it('loses nothing: consumption pauses, offsets stay uncommitted, writes resume once InfluxDB is back', async () => {
    const stream = publishStream({
      port: broker.ports.tcp,
      cells,
      perCell: PER_CELL,
      baseMs: baseTime(),
      chunk: 10,
      everyMs: 50,
    });
    await pollUntil(
      () => metricValue(kafkaInflux.ports.http, 'mekong_kafka_influx_points_written_total'),
      (written) => written >= 300,
      30_000,
      (written) => `only ${written} points written before the kill`,
      100,
    );
    await devstackKill(devstackConfig, 'influxdb');
    const degraded = await pollUntil(
      () => healthOf(kafkaInflux.ports.http),
      (report) => report.status === 'degraded',
      30_000,
      (report) => `health stayed ${JSON.stringify(report)}`,
      200,
    );
    expect(degraded.components.influxdb?.status).toBe('degraded');
    await pollUntil(
      () => metricValue(kafkaInflux.ports.http, 'mekong_kafka_influx_paused'),
      (paused) => paused === 1,
      10_000,
      () => 'consumption was not paused',
      200,
    );
    await stream;
    await devstackRestart(devstackConfig, 'influxdb', () => undefined);

    await expectEveryMessageDelivered({
      brokers,
      influx: devstack.influxdb,
      enterprise,
      cells,
      perCell: PER_CELL,
      timeoutMs: 120_000,
    });
    expect(
      await metricValue(kafkaInflux.ports.http, 'mekong_kafka_influx_write_retries_total'),
    ).toBeGreaterThan(0);
    expect(await metricValue(kafkaInflux.ports.http, 'mekong_kafka_influx_dlq_total')).toBe(0);
    await pollUntil(
      () => healthOf(kafkaInflux.ports.http),
      (health) => health.status === 'ok',
      30_000,
      (health) => JSON.stringify(health),
    );
    expect(await metricValue(kafkaInflux.ports.http, 'mekong_kafka_influx_paused')).toBe(0);
    expect(kafkaInfluxLog.events.some((event) => event.code === 'MEKONG_INFLUX_UNREACHABLE')).toBe(true);
  });
});
