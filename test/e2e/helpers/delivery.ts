import { kafkaTopicFor } from '@mekong/contracts';
import { expect } from 'vitest';
import { type InfluxEndpoint, pollUntil, readInfluxKeys, readKafka, recordKey } from './observe.js';
import { deviceUser, publishWithMosquitto } from './pipeline.js';
import { type CellRef, countPayloads, expectedKeys, topicOf } from './telemetry.js';

/**
 * Every cell publishes `perCell` count messages with mosquitto_pub, `chunk` of them every `everyMs`,
 * so the stream lasts long enough to break something in the middle of it.
 */
export function publishStream(options: {
  port: number;
  cells: CellRef[];
  perCell: number;
  baseMs: number;
  chunk: number;
  everyMs: number;
}): Promise<void> {
  return Promise.all(
    options.cells.map((cell) =>
      publishWithMosquitto({
        port: options.port,
        username: deviceUser(cell),
        topic: topicOf(cell, 'count'),
        payloads: countPayloads(options.perCell, options.baseMs),
        chunk: options.chunk,
        everyMs: options.everyMs,
      }),
    ),
  ).then(() => undefined);
}

export interface DeliveryReport {
  kafkaRecords: number;
  kafkaDuplicates: number;
  influxPoints: number;
}

/**
 * Waits until Kafka holds every (cell, seq) at least once and InfluxDB every point exactly once, then
 * checks that nothing else is there: no message lost, and duplicates (which a crash may cause in
 * Kafka) landed on the same InfluxDB point.
 */
export async function expectEveryMessageDelivered(options: {
  brokers: string[];
  influx: InfluxEndpoint;
  enterprise: string;
  cells: CellRef[];
  perCell: number;
  timeoutMs: number;
}): Promise<DeliveryReport> {
  const expected = expectedKeys(options.cells, options.perCell);
  const distinctInKafka = (rows: Awaited<ReturnType<typeof readKafka>>) => new Set(rows.map(recordKey));
  const rows = await pollUntil(
    () => readKafka(options.brokers, kafkaTopicFor('count'), `${options.enterprise}/`),
    (read) => distinctInKafka(read).size >= expected.size,
    options.timeoutMs,
    (read) => {
      const found = distinctInKafka(read);
      const missing = [...expected].filter((key) => !found.has(key));
      return `${found.size} of ${expected.size} messages in Kafka; missing ${missing.slice(0, 20).join(', ')}`;
    },
    1_000,
  );
  expect(distinctInKafka(rows)).toEqual(expected);
  const points = await pollUntil(
    () => readInfluxKeys(options.influx, options.enterprise),
    (read) => read.length >= expected.size,
    options.timeoutMs,
    (read) => `${read.length} of ${expected.size} points in InfluxDB`,
    1_000,
  );
  expect(points).toHaveLength(expected.size);
  expect(new Set(points)).toEqual(expected);
  return {
    kafkaRecords: rows.length,
    kafkaDuplicates: rows.length - expected.size,
    influxPoints: points.length,
  };
}
