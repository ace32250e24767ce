import { describe, expect, it } from 'vitest';
import { INFLUX_MEASUREMENTS, toInfluxPoints } from '../src/influx-points.js';
import { formatLineProtocol } from '../src/line-protocol.js';
import { parseMessage } from '../src/parse-message.js';
import type { TelemetryMessage } from '../src/telemetry-message.js';

const CELL = 'mekong/v1/acme/hcm/assembly/line-1/press-1';
const LINE = 'mekong/v1/acme/hcm/assembly/line-1/_line';
const TS = '2026-03-02T06:15:00+07:00';
const TS_MS = Date.UTC(2026, 2, 1, 23, 15);
const lineTags = { enterprise: 'acme', site: 'hcm', area: 'assembly', line: 'line-1' };
const cellTags = { ...lineTags, cell: 'press-1' };

function message(topic: string, payload: unknown): TelemetryMessage {
  const result = parseMessage(topic, new TextEncoder().encode(JSON.stringify(payload)));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('toInfluxPoints', () => {
  it('uses the measurements of ARCHITECTURE.md', () => {
    expect(INFLUX_MEASUREMENTS).toEqual({
      state: 'machine_state',
      count: 'production',
      sensor: 'sensor',
      alarm: 'alarm',
      labour: 'labour',
    });
  });

  it('maps a state message; optional fields only when present', () => {
    expect(toInfluxPoints(message(`${CELL}/state`, { ts: TS, seq: 1, state: 'idle' }))).toEqual([
      {
        measurement: 'machine_state',
        tags: cellTags,
        fields: { state: { type: 'string', value: 'idle' }, seq: { type: 'integer', value: 1 } },
        timestampMs: TS_MS,
      },
    ]);
    const [down] = toInfluxPoints(
      message(`${CELL}/state`, { ts: TS, seq: 2, state: 'down', reason: 'jam', product: 'p' }),
    );
    expect(down?.fields).toEqual({
      state: { type: 'string', value: 'down' },
      reason: { type: 'string', value: 'jam' },
      product: { type: 'string', value: 'p' },
      seq: { type: 'integer', value: 2 },
    });
  });

  it('maps a count message to integer fields, ignoring unknown payload fields', () => {
    const points = toInfluxPoints(
      message(`${CELL}/count`, {
        ts: TS,
        seq: 42,
        good: 12,
        scrap: 1,
        product: 'bracket-a',
        firmware: '2.1',
      }),
    );
    expect(points).toEqual([
      {
        measurement: 'production',
        tags: cellTags,
        fields: {
          good: { type: 'integer', value: 12 },
          scrap: { type: 'integer', value: 1 },
          product: { type: 'string', value: 'bracket-a' },
          seq: { type: 'integer', value: 42 },
        },
        timestampMs: TS_MS,
      },
    ]);
  });

  it('maps each sensor reading to its own point tagged with name and unit, value as a float', () => {
    const points = toInfluxPoints(
      message(`${CELL}/sensor`, {
        ts: TS,
        seq: 7,
        readings: [
          { name: 'spindle_temp', value: 71.5, unit: 'Cel' },
          { name: 'power', value: 3, unit: 'kW' },
        ],
      }),
    );
    expect(points).toEqual([
      {
        measurement: 'sensor',
        tags: { ...cellTags, name: 'spindle_temp', unit: 'Cel' },
        fields: { value: { type: 'float', value: 71.5 }, seq: { type: 'integer', value: 7 } },
        timestampMs: TS_MS,
      },
      {
        measurement: 'sensor',
        tags: { ...cellTags, name: 'power', unit: 'kW' },
        fields: { value: { type: 'float', value: 3 }, seq: { type: 'integer', value: 7 } },
        timestampMs: TS_MS,
      },
    ]);
  });

  it('maps an alarm with its code as a tag and a boolean active field', () => {
    const [point] = toInfluxPoints(
      message(`${CELL}/alarm`, {
        ts: TS,
        seq: 3,
        code: 'E-101',
        severity: 'critical',
        active: false,
        text: 'Hết phôi',
      }),
    );
    expect(point).toEqual({
      measurement: 'alarm',
      tags: { ...cellTags, code: 'E-101' },
      fields: {
        severity: { type: 'string', value: 'critical' },
        active: { type: 'boolean', value: false },
        text: { type: 'string', value: 'Hết phôi' },
        seq: { type: 'integer', value: 3 },
      },
      timestampMs: TS_MS,
    });
  });

  it('maps labour events to the line, without a cell tag, the badge as a tag', () => {
    expect(
      toInfluxPoints(message(`${LINE}/labour`, { ts: TS, seq: 1, event: 'clock_in', worker: 'badge-7' })),
    ).toEqual([
      {
        measurement: 'labour',
        tags: { ...lineTags, worker: 'badge-7' },
        fields: {
          event: { type: 'string', value: 'clock_in' },
          seq: { type: 'integer', value: 1 },
        },
        timestampMs: TS_MS,
      },
    ]);
    const [headcount] = toInfluxPoints(
      message(`${LINE}/labour`, { ts: TS, seq: 2, event: 'headcount', count: 14 }),
    );
    expect(headcount?.tags).toEqual(lineTags);
    expect(headcount?.fields).toEqual({
      event: { type: 'string', value: 'headcount' },
      count: { type: 'integer', value: 14 },
      seq: { type: 'integer', value: 2 },
    });
  });
});

describe('idempotence: a duplicate rewrites the same point', () => {
  const payloads: Array<[string, unknown]> = [
    [`${CELL}/state`, { ts: TS, seq: 1, state: 'running' }],
    [`${CELL}/count`, { ts: TS, seq: 2, good: 1, scrap: 0, product: 'p' }],
    [`${CELL}/sensor`, { ts: TS, seq: 3, readings: [{ name: 'a', value: 1, unit: 'Cel' }] }],
    [`${CELL}/alarm`, { ts: TS, seq: 4, code: 'E', severity: 'info', active: true }],
    [`${LINE}/labour`, { ts: TS, seq: 5, event: 'headcount', count: 3 }],
  ];

  it.each(payloads)('%s: same topic and payload give the same points and line protocol', (topic, payload) => {
    const first = toInfluxPoints(message(topic, payload));
    const second = toInfluxPoints(message(topic, payload));
    expect(second).toEqual(first);
    expect(formatLineProtocol(second)).toBe(formatLineProtocol(first));
  });

  it('the same instant written with another offset lands on the same timestamp', () => {
    const local = toInfluxPoints(message(`${CELL}/state`, { ts: TS, seq: 1, state: 'idle' }));
    const utc = toInfluxPoints(
      message(`${CELL}/state`, { ts: '2026-03-01T23:15:00Z', seq: 1, state: 'idle' }),
    );
    const epoch = toInfluxPoints(message(`${CELL}/state`, { ts: TS_MS, seq: 1, state: 'idle' }));
    expect(utc).toEqual(local);
    expect(epoch).toEqual(local);
  });

  it('the line protocol of the ARCHITECTURE.md count example', () => {
    const points = toInfluxPoints(
      message(`${CELL}/count`, { ts: TS, seq: 42, good: 12, scrap: 1, product: 'bracket-a' }),
    );
    expect(formatLineProtocol(points)).toBe(
      `production,area=assembly,cell=press-1,enterprise=acme,line=line-1,site=hcm good=12i,scrap=1i,product="bracket-a",seq=42i ${TS_MS}`,
    );
  });
});

describe('every valid message can be written', () => {
  it('a sensor name with spaces, commas, quotes and Vietnamese text formats without error', () => {
    const points = toInfluxPoints(
      message(`${CELL}/sensor`, {
        ts: TS,
        seq: 1,
        readings: [{ name: 'Nhiệt độ, trục "A"=B', value: 1, unit: 'Cel' }],
      }),
    );
    expect(formatLineProtocol(points)).toBe(
      `sensor,area=assembly,cell=press-1,enterprise=acme,line=line-1,name=Nhiệt\\ độ\\,\\ trục\\ "A"\\=B,site=hcm,unit=Cel value=1,seq=1i ${TS_MS}`,
    );
  });
});
