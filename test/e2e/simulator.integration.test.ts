import {
  INFLUX_MEASUREMENTS,
  isTelemetryKind,
  KAFKA_HEADERS,
  kafkaTopicFor,
  TELEMETRY_KINDS,
} from '@mekong/contracts';
import { collectingSink, createSimulation, loadScenario, MqttFleet } from '@mekong/factory-simulator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollUntil, readInfluxSeq, readKafka } from './helpers/observe.js';
import { PASSWORD, TestPipeline } from './helpers/pipeline.js';
import { uniqueEnterprise } from './helpers/telemetry.js';

const devstack = inject('devstack');
const brokers = devstack.kafka.brokers;
const enterprise = uniqueEnterprise('sim');

const pipeline = new TestPipeline({
  name: 'e2e-simulator',
  cells: [],
  brokers,
  mqttKafka: { clientId: 'bridge-simulator' },
  kafkaInflux: { influx: devstack.influxdb, groupId: `e2e-${enterprise}` },
});

beforeAll(() => pipeline.start(), 120_000);

afterAll(() => pipeline.close());

describe('the factory simulator through both bridges', () => {
  it('delivers every message of 20 simulated minutes of the demo plant to Kafka and InfluxDB', async () => {
    const scenario = await loadScenario('demo');
    scenario.enterprise = enterprise;
    const startMs = Date.parse('2026-03-02T06:30:00+07:00');
    const simulation = createSimulation(scenario, {
      seed: 'e2e',
      startMs,
      durationMs: 20 * 60_000,
      truth: collectingSink(),
    });
    const messages = [...simulation.messages()];
    expect(messages.length).toBeGreaterThan(500);

    // One MQTT connection per simulated device, as the simulator runs against a plant.
    const fleet = new MqttFleet({
      url: `mqtt://127.0.0.1:${pipeline.broker.ports.tcp}`,
      qos: 1,
      identity: (path) => ({
        clientId: `admin-${path.replaceAll('/', '-')}`,
        username: 'admin',
        password: PASSWORD,
      }),
      connectConcurrency: 10,
      bufferLimit: 100_000,
      maxInFlight: 500,
      backoff: { initialMs: 100, maxMs: 1_000 },
      keepaliveSeconds: 30,
      protocolVersion: 4,
    });
    const pathOf = (topic: string) => topic.split('/').slice(3, 7).join('/');
    await fleet.connectAll([...new Set(messages.map((m) => pathOf(m.topic)))]);
    for (const message of messages) {
      const wait = fleet.publish(pathOf(message.topic), message.topic, JSON.stringify(message.payload));
      if (wait) await wait;
    }
    await fleet.close();
    expect(fleet.stats).toMatchObject({ published: messages.length, errors: 0, lost: 0 });

    const sent = new Set(messages.map((m) => `${m.topic}#${(m.payload as { seq: number }).seq}`));
    const inKafka = await pollUntil(
      async () => {
        const found = new Set<string>();
        for (const kind of TELEMETRY_KINDS) {
          for (const row of await readKafka(brokers, kafkaTopicFor(kind), `${enterprise}/`)) {
            found.add(
              `${row.headers[KAFKA_HEADERS.mqttTopic]}#${(JSON.parse(row.value) as { seq: number }).seq}`,
            );
          }
        }
        return found;
      },
      (found) => found.size >= sent.size,
      60_000,
      (found) => `${found.size} of ${sent.size} messages in Kafka`,
      1_000,
    );
    expect(inKafka).toEqual(sent);

    // One InfluxDB series per (measurement, cell or line, sensor name…); each message's seq on its points.
    const expectedPoints = new Set(
      messages.map((m) => {
        const levels = m.topic.split('/');
        const kind = levels[7] ?? '';
        if (!isTelemetryKind(kind)) throw new Error(`unexpected topic ${m.topic}`);
        const cell = levels[6] === '_line' ? '' : levels[6];
        return `${INFLUX_MEASUREMENTS[kind]}/${levels.slice(2, 6).join('/')}/${cell}#${(m.payload as { seq: number }).seq}`;
      }),
    );
    const inInflux = await pollUntil(
      async () =>
        new Set(
          (
            await readInfluxSeq(
              devstack.influxdb,
              enterprise,
              'true',
              '2026-03-01T00:00:00Z',
              '2026-03-03T00:00:00Z',
            )
          ).map(
            (r) =>
              `${r._measurement}/${r.enterprise}/${r.site}/${r.area}/${r.line}/${r.cell ?? ''}#${r._value}`,
          ),
        ),
      (found) => found.size >= expectedPoints.size,
      60_000,
      (found) => `${found.size} of ${expectedPoints.size} (measurement, publisher, seq) in InfluxDB`,
      1_000,
    );
    expect(inInflux).toEqual(expectedPoints);
    console.info(`simulator: ${messages.length} messages from ${simulation.deviceCount} devices delivered`);
  });
});
