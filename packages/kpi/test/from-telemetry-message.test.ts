import { parseMessage, type TelemetryMessage } from '@mekong/contracts';
import { describe, expect, it } from 'vitest';
import { kpiEventFromMessage } from '../src/from-telemetry-message.js';
import { createKpiEngine } from '../src/kpi-engine.js';
import { kpiEventSchema } from '../src/kpi-event.js';

const cellTopic = (kind: string) => `mekong/v1/acme/hcm/assembly/line-1/press-1/${kind}`;
const labourTopic = 'mekong/v1/acme/hcm/assembly/line-1/_line/labour';
const cell = 'acme/hcm/assembly/line-1/press-1';
const line = 'acme/hcm/assembly/line-1';
// 2026-03-02T06:15:00+07:00 is 2026-03-01T23:15:00Z.
const quarterPastSixMs = Date.UTC(2026, 2, 1, 23, 15, 0);

function message(topic: string, payload: object): TelemetryMessage {
  const parsed = parseMessage(topic, new TextEncoder().encode(JSON.stringify(payload)));
  if (!parsed.ok) throw new Error(`test message is invalid: ${parsed.error.message}`);
  return parsed.value;
}

describe('kpiEventFromMessage', () => {
  it('turns a state message into a state event on the cell path, published by its topic', () => {
    const event = kpiEventFromMessage(
      message(cellTopic('state'), {
        ts: '2026-03-02T06:15:00+07:00',
        seq: 7,
        state: 'down',
        reason: 'jam',
        product: 'bracket-a',
        firmware: '1.2', // unknown fields are kept by the contract, not copied into the event
      }),
    );
    expect(event).toStrictEqual({
      kind: 'state',
      path: cell,
      tsMs: quarterPastSixMs,
      seq: 7,
      publisher: cellTopic('state'),
      state: 'down',
      reason: 'jam',
      product: 'bracket-a',
    });
  });

  it('leaves out reason and product when the state message has none', () => {
    expect(
      kpiEventFromMessage(message(cellTopic('state'), { ts: 1_000, seq: 0, state: 'running' })),
    ).toStrictEqual({
      kind: 'state',
      path: cell,
      tsMs: 1_000,
      seq: 0,
      publisher: cellTopic('state'),
      state: 'running',
    });
  });

  it('turns a count message into a count event with its product', () => {
    expect(
      kpiEventFromMessage(
        message(cellTopic('count'), {
          ts: '2026-03-02T06:15:00+07:00',
          seq: 42,
          good: 12,
          scrap: 1,
          product: 'bracket-a',
        }),
      ),
    ).toStrictEqual({
      kind: 'count',
      path: cell,
      tsMs: quarterPastSixMs,
      seq: 42,
      publisher: cellTopic('count'),
      good: 12,
      scrap: 1,
      product: 'bracket-a',
    });
  });

  it.each([
    [
      'clock_in',
      { ts: 5_000, seq: 1, event: 'clock_in', worker: 'b-17' },
      { event: 'clock_in', worker: 'b-17' },
    ],
    [
      'clock_out',
      { ts: 5_000, seq: 1, event: 'clock_out', worker: 'b-17' },
      { event: 'clock_out', worker: 'b-17' },
    ],
    ['headcount', { ts: 5_000, seq: 1, event: 'headcount', count: 23 }, { event: 'headcount', count: 23 }],
  ])('turns a %s labour message into a labour event on the line path', (_name, payload, fields) => {
    expect(kpiEventFromMessage(message(labourTopic, payload))).toStrictEqual({
      kind: 'labour',
      path: line,
      tsMs: 5_000,
      seq: 1,
      publisher: labourTopic,
      ...fields,
    });
  });

  it.each([
    ['sensor', { ts: 1_000, seq: 3, readings: [{ name: 'temperature', value: 41.5, unit: 'Cel' }] }],
    ['alarm', { ts: 1_000, seq: 4, code: 'E42', severity: 'critical', active: true }],
  ])('ignores %s messages: they are not KPI input', (kind, payload) => {
    expect(kpiEventFromMessage(message(cellTopic(kind), payload))).toBeUndefined();
  });

  it('produces events that the engine schema accepts', () => {
    const events = [
      message(cellTopic('state'), { ts: 1_000, seq: 0, state: 'setup', reason: 'changeover' }),
      message(cellTopic('count'), { ts: 2_000, seq: 0, good: 0, scrap: 3, product: 'bracket-a' }),
      message(labourTopic, { ts: 3_000, seq: 0, event: 'headcount', count: 0 }),
    ].map(kpiEventFromMessage);
    for (const event of events) expect(kpiEventSchema.safeParse(event).success).toBe(true);
  });

  it('keeps the seq of one cell’s state and count topics apart, so equal seqs are not duplicates', () => {
    const engine = createKpiEngine({
      timezone: 'Asia/Ho_Chi_Minh',
      products: [{ id: 'bracket-a', idealCycleSeconds: 1 }],
    });
    const state = kpiEventFromMessage(message(cellTopic('state'), { ts: 1_000, seq: 5, state: 'running' }))!;
    const count = kpiEventFromMessage(
      message(cellTopic('count'), { ts: 1_000, seq: 5, good: 1, scrap: 0, product: 'bracket-a' }),
    )!;
    expect(engine.ingest(state).outcome).toBe('accepted');
    expect(engine.ingest(count).outcome).toBe('accepted');
    expect(engine.ingest(count).outcome).toBe('duplicate');
  });
});
