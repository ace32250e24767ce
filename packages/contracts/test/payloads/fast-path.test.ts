import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { parseEventTime } from '../../src/event-time.js';
import type { TelemetryKind } from '../../src/kinds.js';
import { alarmPayloadSchema } from '../../src/payloads/alarm.js';
import { countPayloadSchema } from '../../src/payloads/count.js';
import { readPlainlyValidPayload } from '../../src/payloads/fast-path.js';
import { labourPayloadSchema } from '../../src/payloads/labour.js';
import { sensorPayloadSchema } from '../../src/payloads/sensor.js';
import { statePayloadSchema } from '../../src/payloads/state.js';

const schemas: Record<TelemetryKind, z.ZodType> = {
  state: statePayloadSchema,
  count: countPayloadSchema,
  sensor: sensorPayloadSchema,
  alarm: alarmPayloadSchema,
  labour: labourPayloadSchema,
};

// Values near every rule's edge: lengths, control characters, surrogates, backslashes, number kinds.
const text = fc.oneof(
  fc.constantFrom('', 'a', 'bracket-a', 'x'.repeat(32), 'x'.repeat(33), 'x'.repeat(128), 'x'.repeat(129)),
  fc.constantFrom('hỏng_dao_cắt', 'máy 🚀', 'a\ud800', '\udc00b', 'a\nb', 'tab\t', '\u0085', 'C:\\', 'a\\b'),
  fc.constantFrom('t'.repeat(1024), 't'.repeat(1025), 'running', 'down', 'info', 'clock_in', 'headcount'),
  fc.string({ maxLength: 8 }),
);
const number = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1.5, 2 ** 53, 2 ** 53 - 1, 1e300),
  fc.integer({ min: 0, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
const ts = fc.constantFrom('2026-03-02T06:15:00+07:00', 1_772_406_900_000, 'yesterday', -1);
const extras = fc.dictionary(fc.constantFrom('firmware', 'meta', '1', '__proto__', 'zz'), scalar, {
  maxKeys: 3,
});

const keep = Symbol('keep');
const absent = Symbol('absent');
/** Mostly the valid value, sometimes left out, sometimes replaced by an edge value. */
const mutation = fc.oneof(
  { weight: 12, arbitrary: fc.constant(keep) },
  { weight: 1, arbitrary: fc.constant(absent) },
  { weight: 2, arbitrary: scalar },
);

/** A valid payload with some fields mutated and some unknown fields added, as JSON.parse gives it. */
function mutated(valid: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(valid);
  return fc
    .tuple(fc.tuple(...keys.map((key) => fc.tuple(valid[key]!, mutation))), extras)
    .map(([values, extra]) => {
      const body: string[] = [];
      keys.forEach((key, index) => {
        const [value, change] = values[index]!;
        if (change === absent) return;
        body.push(`${JSON.stringify(key)}:${JSON.stringify(change === keep ? value : change)}`);
      });
      for (const [key, value] of Object.entries(extra))
        body.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
      // Through JSON text, so that `__proto__` becomes an own key exactly as in a received payload.
      return JSON.parse(`{${body.join(',')}}`) as Record<string, unknown>;
    });
}

const id = fc.constantFrom('bracket-a', 'E-101', 'badge-0042');
const reading = mutated({
  name: fc.constantFrom('spindle_temp', 'power', 'a'),
  value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  unit: fc.constantFrom('Cel', 'kW', 'mm/s'),
});
const payloads: Record<TelemetryKind, fc.Arbitrary<Record<string, unknown>>> = {
  count: mutated({ ts, seq: fc.nat(), good: fc.nat(), scrap: fc.nat(), product: id }),
  state: mutated({
    ts,
    seq: fc.nat(),
    state: fc.constantFrom('running', 'down', 'off'),
    reason: id,
    product: id,
  }),
  sensor: mutated({ ts, seq: fc.nat(), readings: fc.array(reading, { minLength: 1, maxLength: 4 }) }),
  alarm: mutated({
    ts,
    seq: fc.nat(),
    code: id,
    severity: fc.constantFrom('info', 'critical'),
    active: fc.boolean(),
    text: fc.constantFrom('Quá nhiệt trục chính', 'line one\nline two'),
  }),
  labour: fc.oneof(
    mutated({ ts, seq: fc.nat(), event: fc.constantFrom('clock_in', 'clock_out'), worker: id }),
    mutated({ ts, seq: fc.nat(), event: fc.constant('headcount'), count: fc.nat() }),
  ),
};

const kinds: TelemetryKind[] = ['state', 'count', 'sensor', 'alarm', 'labour'];

describe('readPlainlyValidPayload', () => {
  it('accepts only what the zod schema accepts, and gives the same output in the same key order', () => {
    const taken = { fast: 0, schema: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds).chain((kind) => fc.tuple(fc.constant(kind), payloads[kind])),
        ([kind, json]) => {
          const eventTime = parseEventTime(json.ts);
          const fast = eventTime.ok
            ? readPlainlyValidPayload(kind, json, eventTime.value.epochMs)
            : undefined;
          const parsed = schemas[kind].safeParse(json);
          if (fast === undefined) {
            taken.schema++;
            return;
          }
          taken.fast++;
          expect(parsed.success).toBe(true);
          expect(fast).toEqual(parsed.data);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
          expect(Object.getPrototypeOf(fast)).toBe(Object.getPrototypeOf(parsed.data));
        },
      ),
      { numRuns: 3000 },
    );
    expect(taken.schema).toBeGreaterThan(300);
    expect(taken.fast).toBeGreaterThan(300);
  });

  it.each<[TelemetryKind, Record<string, unknown>]>([
    ['count', { ts: 0, seq: 1, good: 2, scrap: 0, product: 'p', firmware: '1.2' }],
    ['state', { ts: 0, seq: 1, state: 'down', reason: 'tool_change' }],
    ['sensor', { ts: 0, seq: 1, readings: [{ name: 'a', value: -0.5, unit: 'kW', q: 1 }] }],
    ['alarm', { ts: 0, seq: 1, code: 'E-1', severity: 'info', active: false, text: 'Quá nhiệt' }],
    ['labour', { ts: 0, seq: 1, event: 'headcount', count: 3 }],
    ['labour', { ts: 0, seq: 1, event: 'clock_out', worker: 'badge-7' }],
  ])('takes the fast path for a plain valid %s payload', (kind, json) => {
    const fast = readPlainlyValidPayload(kind, json, 0);
    expect(fast).toBeDefined();
    expect(fast).toEqual(schemas[kind].parse(json));
  });

  it.each<[TelemetryKind, Record<string, unknown>]>([
    ['count', { ts: 0, seq: 1, good: 2, scrap: 0, product: 'p🚀' }],
    ['state', { ts: 0, seq: 1, state: 'running', product: 'x'.repeat(129) }],
    ['sensor', { ts: 0, seq: 1, readings: [{ name: 'a\\b', value: 1, unit: 'kW' }] }],
    [
      'sensor',
      {
        ts: 0,
        seq: 1,
        readings: [
          { name: 'a', value: 1, unit: 'kW' },
          { name: 'a', value: 2, unit: 'kW' },
        ],
      },
    ],
    ['labour', { ts: 0, seq: 1, event: 'lunch' }],
  ])('leaves an unusual %s payload to the schema', (kind, json) => {
    expect(readPlainlyValidPayload(kind, json, 0)).toBeUndefined();
  });
});
