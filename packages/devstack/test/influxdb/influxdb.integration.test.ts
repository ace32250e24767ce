import { randomUUID } from 'node:crypto';
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { describe, expect, inject, it } from 'vitest';

const endpoint = inject('devstack').influxdb;
const client = new InfluxDB({ url: endpoint.url, token: endpoint.token });

interface Row {
  _measurement: string;
  _field: string;
  _value: unknown;
  _time: string;
  cell: string;
}

describe('InfluxDB from the devstack', () => {
  it('reads back exactly the points written with @influxdata/influxdb-client', async () => {
    const measurement = `devstack_test_${randomUUID().replaceAll('-', '_')}`;
    const base = Date.UTC(2026, 2, 2, 6, 15, 0);
    const written = [
      { cell: 'press-1', ts: base, temperature: 61.25, good: 12, running: true, product: 'bracket-a' },
      {
        cell: 'press-1',
        ts: base + 1_000,
        temperature: -3.5e-7,
        good: 0,
        running: false,
        product: 'giá đỡ "B"',
      },
      {
        cell: 'máy ép 2',
        ts: base + 2_000,
        temperature: 1234567.891,
        good: 9007199254740991,
        running: true,
        product: 'x',
      },
    ];
    const writeApi = client.getWriteApi(endpoint.org, endpoint.bucket, 'ms');
    writeApi.writePoints(
      written.map((p) =>
        new Point(measurement)
          .tag('cell', p.cell)
          .floatField('temperature', p.temperature)
          .intField('good', p.good)
          .booleanField('running', p.running)
          .stringField('product', p.product)
          .timestamp(new Date(p.ts)),
      ),
    );
    await writeApi.close();

    const rows = await client.getQueryApi(endpoint.org).collectRows<Row>(
      `from(bucket: "${endpoint.bucket}")
        |> range(start: 2026-03-01T00:00:00Z, stop: 2026-03-03T00:00:00Z)
        |> filter(fn: (r) => r._measurement == "${measurement}")`,
    );
    const read = new Map<string, Record<string, unknown>>();
    for (const row of rows) {
      const key = `${row.cell}@${Date.parse(row._time)}`;
      read.set(key, { ...read.get(key), [row._field]: row._value });
    }
    expect(read.size).toBe(written.length);
    for (const p of written) {
      // Integers beyond 2^53 are not in play: the client parses int64 as a JS number.
      expect(read.get(`${p.cell}@${p.ts}`)).toEqual({
        temperature: p.temperature,
        good: p.good,
        running: p.running,
        product: p.product,
      });
    }
  });
});
