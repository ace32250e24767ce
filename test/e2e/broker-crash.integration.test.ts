import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningKafkaInfluxBridge } from '@mekong/kafka-influx-bridge';
import type { RunningMqttKafkaBridge } from '@mekong/mqtt-kafka-bridge';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectEveryMessageDelivered } from './helpers/delivery.js';
import { metricValue, waitForMetric } from './helpers/observe.js';
import {
  deviceUser,
  freePort,
  kafkaInfluxTestConfig,
  mqttKafkaTestConfig,
  PASSWORD,
  removeTempDirs,
  type ServiceProcess,
  spawnService,
  startTestKafkaInfluxBridge,
  startTestMqttKafkaBridge,
  tempDir,
  waitForHealthy,
  writeCredentials,
} from './helpers/pipeline.js';
import { baseTime, cellsOf, countPayloads, topicOf, uniqueEnterprise } from './helpers/telemetry.js';

const devstack = inject('devstack');
const brokers = devstack.kafka.brokers;
const enterprise = uniqueEnterprise('broker-kill');
const cells = cellsOf(enterprise, 2, 2);
const PER_CELL = 500;

let dir: string;
let brokerEnv: Record<string, string>;
let mqttPort: number;
let httpPort: number;
let broker: ServiceProcess | undefined;
let mqttKafka: RunningMqttKafkaBridge;
let kafkaInflux: RunningKafkaInfluxBridge;
const devices: MqttClient[] = [];

/** The broker's own entry in its durable mode, on fixed ports and data dir so that a restart finds its sessions. */
async function startBrokerProcess(): Promise<ServiceProcess> {
  const service = await spawnService('services/broker/src/main.ts', brokerEnv, httpPort, dir, 'broker');
  await waitForHealthy(httpPort, 60_000);
  return service;
}

beforeAll(async () => {
  dir = await tempDir('e2e-broker-kill');
  mqttPort = await freePort();
  httpPort = await freePort();
  brokerEnv = {
    MEKONG_BROKER_PORT: String(mqttPort),
    MEKONG_BROKER_HTTP_PORT: String(httpPort),
    MEKONG_BROKER_WS_ENABLED: 'false',
    MEKONG_BROKER_CREDENTIALS_FILE: await writeCredentials(dir, cells),
    MEKONG_BROKER_PERSISTENCE: 'durable',
    MEKONG_BROKER_DATA_DIR: join(dir, 'data'),
    MEKONG_BROKER_DEVICE_PUBLISH_RATE: '0',
    MEKONG_BROKER_MAX_INFLIGHT: '1000',
  };
  broker = await startBrokerProcess();
  const bridgeConfig = mqttKafkaTestConfig(`mqtt://127.0.0.1:${mqttPort}`, brokers, 'bridge-broker-kill');
  // Batches wait up to 1.5 s: when the broker dies, the bridge holds many unacknowledged messages.
  bridgeConfig.batch.lingerMs = 1_500;
  bridgeConfig.batch.maxRecords = 100_000;
  mqttKafka = await startTestMqttKafkaBridge(bridgeConfig);
  kafkaInflux = await startTestKafkaInfluxBridge(
    kafkaInfluxTestConfig(brokers, devstack.influxdb, `e2e-${enterprise}`),
  );
}, 120_000);

afterAll(async () => {
  for (const device of devices) device.end(true);
  await mqttKafka?.close();
  await kafkaInflux?.close();
  await broker?.kill('SIGTERM');
  await removeTempDirs();
});

/**
 * Each device publishes its messages over MQTT.js with a persistent session, 10 every 40 ms, waiting
 * at `gate` while it is closed. mosquitto_pub cannot be used here: it gives up when the broker goes
 * away, while a device (and MQTT.js) keeps what the broker has not acknowledged and sends it again.
 */
async function publishFromDevices(baseMs: number, gate: () => Promise<void>): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (const cell of cells) {
    const user = deviceUser(cell);
    const client = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, {
      clientId: user,
      username: user,
      password: PASSWORD,
      clean: false,
      reconnectPeriod: 250,
      connectTimeout: 5_000,
    });
    client.on('error', () => undefined);
    devices.push(client);
  }
  await Promise.all(devices.map((client) => new Promise((resolve) => client.once('connect', resolve))));
  const payloads = countPayloads(PER_CELL, baseMs);
  for (let seq = 0; seq < PER_CELL; seq += 10) {
    await gate();
    cells.forEach((cell, index) => {
      for (const payload of payloads.slice(seq, seq + 10)) {
        sends.push((devices[index] as MqttClient).publishAsync(topicOf(cell, 'count'), payload, { qos: 1 }));
      }
    });
    await sleep(40);
  }
  await Promise.all(sends);
}

describe('the broker (durable mode) killed with SIGKILL mid-stream and restarted on the same data', () => {
  it('loses nothing: the bridge session and what it had not acknowledged survive, the bridge reconnects', async () => {
    let reopen: () => void = () => {};
    let closed: Promise<void> | undefined;
    const stream = publishFromDevices(baseTime(), () => closed ?? Promise.resolve());
    await waitForMetric(mqttKafka.ports.http, 'mekong_mqtt_kafka_records_sent_total', {
      atLeast: 300,
      timeoutMs: 30_000,
      what: 'records sent before the kill',
      intervalMs: 50,
    });
    // Devices stop while the broker dies (they would lose nothing either: they keep what was not
    // acknowledged); the bridge, which holds its PUBACKs for up to the linger time, is mid-stream.
    closed = new Promise((resolve) => {
      reopen = resolve;
    });
    await waitForMetric(mqttKafka.ports.http, 'mekong_mqtt_kafka_inflight_messages', {
      atLeast: 1,
      timeoutMs: 10_000,
      what: 'messages in flight in the bridge at the kill',
      intervalMs: 20,
    });
    expect(await broker?.kill('SIGKILL')).toBeNull();
    // The outage: a second with no broker at all.
    await sleep(1_000);
    broker = await startBrokerProcess();
    reopen();
    await stream;

    const report = await expectEveryMessageDelivered({
      brokers,
      influx: devstack.influxdb,
      enterprise,
      cells,
      perCell: PER_CELL,
      timeoutMs: 90_000,
    });
    console.info(
      `broker kill: ${report.kafkaDuplicates} duplicates in Kafka, ${report.influxPoints} points for ${cells.length * PER_CELL} messages`,
    );
    expect(
      await metricValue(mqttKafka.ports.http, 'mekong_mqtt_kafka_mqtt_reconnects_total'),
    ).toBeGreaterThan(0);
  });
});
