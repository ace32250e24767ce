import { DLQ_KAFKA_TOPIC } from '@mekong/contracts';
import { devstackKill, devstackRestart } from '@mekong/devstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectEveryMessageDelivered, publishStream } from './helpers/delivery.js';
import { metricValue, pollUntil, readKafka, waitForHealth, waitForMetric } from './helpers/observe.js';
import { TestPipeline } from './helpers/pipeline.js';
import { baseTime, cellsOf, uniqueEnterprise } from './helpers/telemetry.js';

const devstack = inject('devstack');
const devstackConfig = inject('devstackConfig');
const brokers = devstack.kafka.brokers;
const enterprise = uniqueEnterprise('influx-kill');
const cells = cellsOf(enterprise, 3, 2);
const PER_CELL = 600;

const pipeline = new TestPipeline({
  name: 'e2e-influx-kill',
  cells,
  brokers,
  mqttKafka: { clientId: 'bridge-influx-kill' },
  kafkaInflux: { influx: devstack.influxdb, groupId: `e2e-${enterprise}` },
});

beforeAll(() => pipeline.start(), 120_000);

afterAll(() => pipeline.close());

describe('InfluxDB killed with SIGKILL mid-stream', () => {
  it('loses nothing: consumption pauses, offsets stay uncommitted, writes resume once InfluxDB is back', async () => {
    const { broker, kafkaInflux, kafkaInfluxLog } = pipeline;
    const stream = publishStream({
      port: broker.ports.tcp,
      cells,
      perCell: PER_CELL,
      baseMs: baseTime(),
      chunk: 10,
      everyMs: 50,
    });
    await waitForMetric(kafkaInflux.ports.http, 'mekong_kafka_influx_points_written_total', {
      atLeast: 300,
      timeoutMs: 30_000,
      what: 'points written before the kill',
      intervalMs: 100,
    });
    await devstackKill(devstackConfig, 'influxdb');
    const degraded = await waitForHealth(kafkaInflux.ports.http, 'degraded', 30_000, 200);
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
    // The bridge's new group reads the topics from the beginning, other tests' refused records
    // included; what matters is that none of this stream went to the DLQ.
    const refusals = kafkaInfluxLog.events.filter((event) => event.event === 'record_rejected');
    expect(
      await readKafka(brokers, DLQ_KAFKA_TOPIC, `${enterprise}/`),
      `an outage is no reason to refuse a record: ${JSON.stringify(refusals)}`,
    ).toEqual([]);
    await waitForHealth(kafkaInflux.ports.http, 'ok', 30_000);
    expect(await metricValue(kafkaInflux.ports.http, 'mekong_kafka_influx_paused')).toBe(0);
    expect(kafkaInfluxLog.events.some((event) => event.code === 'MEKONG_INFLUX_UNREACHABLE')).toBe(true);
  });
});
