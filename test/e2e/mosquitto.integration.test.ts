import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kafkaTopicFor } from '@mekong/contracts';
import { ensureDebianPackages } from '@mekong/devstack';
import type { RunningMqttKafkaBridge } from '@mekong/mqtt-kafka-bridge';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricValue, pollUntil, readKafka, recordKey } from './helpers/observe.js';
import {
  capturingLogger,
  freePort,
  mqttKafkaTestConfig,
  publishWithMosquitto,
  removeTempDirs,
  startTestBroker,
  startTestMqttKafkaBridge,
  tempDir,
  testBrokerConfig,
  writeCredentials,
} from './helpers/pipeline.js';
import {
  baseTime,
  cellsOf,
  countPayloads,
  expectedKeys,
  topicOf,
  uniqueEnterprise,
} from './helpers/telemetry.js';

const devstack = inject('devstack');
const brokers = devstack.kafka.brokers;
const PER_CELL = 400;

let mosquitto: ChildProcess;
let port: number;
const bridges: RunningMqttKafkaBridge[] = [];

beforeAll(async () => {
  await ensureDebianPackages({ cacheRoot: inject('devstackConfig').cacheRoot, progress: () => {} }, [
    'mosquitto',
    'mosquitto-clients',
  ]);
  const dir = await tempDir('e2e-mosquitto');
  port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  // Unlimited queue for offline persistent sessions: Mosquitto's default (1000) drops QoS 1 messages.
  await writeFile(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'max_queued_messages 0',
      'persistence false',
      '',
    ].join('\n'),
  );
  mosquitto = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  await pollUntil(
    () =>
      publishWithMosquitto({ port, username: 'probe', topic: 'probe', payloads: ['x'] }).then(
        () => true,
        () => false,
      ),
    (up) => up,
    10_000,
    () => 'mosquitto did not start',
    200,
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(bridges.map((bridge) => bridge.close()));
  mosquitto?.kill('SIGTERM');
  await removeTempDirs();
});

describe('the MQTT → Kafka bridge on Mosquitto', () => {
  it('shares one subscription between two instances with MQTT 5 $share: every message once, both working', async () => {
    const enterprise = uniqueEnterprise('mosquitto');
    const cells = cellsOf(enterprise, 2, 2);
    for (const name of ['a', 'b']) {
      const config = mqttKafkaTestConfig(`mqtt://127.0.0.1:${port}`, brokers, `bridge-share-${name}`);
      config.mqtt.username = undefined;
      config.mqtt.password = undefined;
      config.mqtt.topicFilters = [`$share/bridges/mekong/v1/${enterprise}/#`];
      bridges.push(await startTestMqttKafkaBridge(config));
    }
    const base = baseTime();
    await Promise.all(
      cells.map((cell) =>
        publishWithMosquitto({
          port,
          username: 'device',
          topic: topicOf(cell, 'count'),
          payloads: countPayloads(PER_CELL, base),
          chunk: 50,
          everyMs: 10,
        }),
      ),
    );
    const expected = expectedKeys(cells, PER_CELL);
    const rows = await pollUntil(
      () => readKafka(brokers, kafkaTopicFor('count'), `${enterprise}/`),
      (read) => read.length >= expected.size,
      60_000,
      (read) => `${read.length} of ${expected.size} records`,
    );
    expect(rows).toHaveLength(expected.size);
    expect(new Set(rows.map(recordKey))).toEqual(expected);
    const shares = await Promise.all(
      bridges.map((bridge) => metricValue(bridge.ports.http, 'mekong_mqtt_kafka_records_sent_total')),
    );
    expect(shares.reduce((a, b) => a + b, 0)).toBe(expected.size);
    for (const share of shares) expect(share).toBeGreaterThan(0);
  });

  it('refuses to start with a $share filter on our broker (Aedes has no shared subscriptions), naming the fix', async () => {
    const dir = await tempDir('e2e-share-refused');
    const broker = await startTestBroker(testBrokerConfig(await writeCredentials(dir, [])));
    try {
      const config = mqttKafkaTestConfig(
        `mqtt://127.0.0.1:${broker.ports.tcp}`,
        brokers,
        'bridge-share-refused',
      );
      config.mqtt.topicFilters = ['$share/bridges/mekong/v1/#'];
      await expect(
        startTestMqttKafkaBridge(config, capturingLogger('mqtt-kafka-bridge', 'silent')),
      ).rejects.toMatchObject({ code: 'MEKONG_MQTT_SHARED_SUBSCRIPTION_UNAVAILABLE' });
    } finally {
      await broker.close();
    }
  });
});
