import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MekongErrorCode } from '../src/errors.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, parseMessage } from '../src/parse-message.js';

const CELL = 'mekong/v1/acme/hcm/assembly/line-1/press-1';
const LINE = 'mekong/v1/acme/hcm/assembly/line-1/_line';
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const json = (value: unknown): Uint8Array => utf8(JSON.stringify(value));

// 2026-03-02T06:15:00+07:00 is 2026-03-01T23:15:00Z.
const TS = '2026-03-02T06:15:00+07:00';
const TS_MS = Date.UTC(2026, 2, 1, 23, 15, 0);
const address = { enterprise: 'acme', site: 'hcm', area: 'assembly', line: 'line-1' };

const validState = { ts: TS, seq: 1, state: 'running' };
const validCount = { ts: TS, seq: 42, good: 12, scrap: 1, product: 'bracket-a' };
const validSensor = {
  ts: TS,
  seq: 7,
  readings: [
    { name: 'spindle_temp', value: 71.5, unit: 'Cel' },
    { name: 'power', value: 3, unit: 'kW' },
    { name: 'energy', value: 1520.25, unit: 'kW.h' },
  ],
};
const validAlarm = {
  ts: TS,
  seq: 3,
  code: 'E-101',
  severity: 'critical',
  active: true,
  text: 'Quá nhiệt trục chính',
};

describe('parseMessage — valid messages', () => {
  it('parses the count example from ARCHITECTURE.md', () => {
    const payload = '{"ts":"2026-03-02T06:15:00+07:00","seq":42,"good":12,"scrap":1,"product":"bracket-a"}';
    expect(parseMessage(`${CELL}/count`, utf8(payload))).toEqual({
      ok: true,
      value: {
        kind: 'count',
        topic: `${CELL}/count`,
        address: { ...address, cell: 'press-1', kind: 'count' },
        payload: { ts: TS_MS, seq: 42, good: 12, scrap: 1, product: 'bracket-a' },
        utcOffsetMinutes: 420,
      },
    });
  });

  it.each([
    ['state', { ...validState }],
    ['state', { ...validState, state: 'down', reason: 'tool_change', product: 'bracket-a' }],
    ['state', { ...validState, state: 'not_scheduled' }],
    ['count', { ...validCount, good: 0, scrap: 0 }],
    ['sensor', validSensor],
    ['alarm', validAlarm],
    ['alarm', { ts: TS, seq: 4, code: 'E-101', severity: 'info', active: false }],
  ])('accepts a %s payload', (kind, payload) => {
    const result = parseMessage(`${CELL}/${kind}`, json(payload));
    expect(result).toMatchObject({ ok: true, value: { kind, payload: { ...payload, ts: TS_MS } } });
  });

  it.each([
    { ts: TS, seq: 1, event: 'clock_in', worker: 'badge-0042' },
    { ts: TS, seq: 2, event: 'clock_out', worker: 'badge-0042' },
    { ts: TS, seq: 3, event: 'headcount', count: 14 },
  ])('accepts a labour $event event on the line topic', (payload) => {
    expect(parseMessage(`${LINE}/labour`, json(payload))).toEqual({
      ok: true,
      value: {
        kind: 'labour',
        topic: `${LINE}/labour`,
        address: { ...address, kind: 'labour' },
        payload: { ...payload, ts: TS_MS },
        utcOffsetMinutes: 420,
      },
    });
  });

  it.each([
    ['epoch milliseconds', 1_772_406_900_000, 1_772_406_900_000, null],
    ['epoch zero', 0, 0, null],
    ['Z', '2026-03-01T23:15:00Z', TS_MS, 0],
    ['lower-case t and z (RFC 3339 §5.6)', '2026-03-01t23:15:00z', TS_MS, 0],
    ['a negative offset', '2026-03-01T18:15:00-05:00', TS_MS, -300],
    ['-00:00 (offset unknown)', '2026-03-01T23:15:00-00:00', TS_MS, null],
    ['a fraction', '2026-03-01T23:15:00.5Z', TS_MS + 500, 0],
    ['a fraction below the millisecond, truncated', '2026-03-01T23:15:00.123987654Z', TS_MS + 123, 0],
    ['a leap day', '2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29), 0],
    ['an offset crossing the date line', '2026-03-02T00:30:00+14:00', Date.UTC(2026, 2, 1, 10, 30), 840],
  ])('normalises ts given as %s to epoch milliseconds', (_what, ts, epochMs, offset) => {
    expect(parseMessage(`${CELL}/state`, json({ ...validState, ts }))).toMatchObject({
      ok: true,
      value: { payload: { ts: epochMs }, utcOffsetMinutes: offset },
    });
  });

  it('keeps unknown fields, at the top level and inside readings', () => {
    const payload = {
      ...validSensor,
      firmware: '2.4.1',
      meta: { rssi: -61, tags: ['a'] },
      readings: [{ name: 'vibration', value: 2.2, unit: 'mm/s', quality: 'good' }],
    };
    const result = parseMessage(`${CELL}/sensor`, json(payload));
    expect(result).toMatchObject({
      ok: true,
      value: {
        payload: {
          firmware: '2.4.1',
          meta: { rssi: -61, tags: ['a'] },
          readings: [{ name: 'vibration', value: 2.2, unit: 'mm/s', quality: 'good' }],
        },
      },
    });
  });

  it('accepts strings at their length limits: ids 128, text 1024, unit 32, 256 readings', () => {
    const id = 'x'.repeat(128);
    expect(parseMessage(`${CELL}/count`, json({ ...validCount, product: id })).ok).toBe(true);
    expect(parseMessage(`${CELL}/alarm`, json({ ...validAlarm, code: id, text: 't'.repeat(1024) })).ok).toBe(
      true,
    );
    const readings = Array.from({ length: 256 }, (_, index) => ({
      name: `s${index}`,
      value: index,
      unit: 'u'.repeat(32),
    }));
    expect(parseMessage(`${CELL}/sensor`, json({ ...validSensor, readings })).ok).toBe(true);
  });

  it('accepts Vietnamese text and a Buffer payload', () => {
    const payload = Buffer.from(
      JSON.stringify({ ...validState, state: 'down', reason: 'hỏng_dao_cắt' }),
      'utf8',
    );
    expect(parseMessage(`${CELL}/state`, payload)).toMatchObject({
      ok: true,
      value: { payload: { reason: 'hỏng_dao_cắt' } },
    });
  });

  it('accepts a payload starting with a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...json(validState)]);
    expect(parseMessage(`${CELL}/state`, bytes).ok).toBe(true);
  });
});

/** A valid state payload of exactly `bytes` bytes. */
function paddedStatePayload(bytes: number): Uint8Array {
  const head = `{"ts":0,"seq":1,"state":"idle","pad":"`;
  const tail = '"}';
  const encoded = utf8(`${head}${'p'.repeat(bytes - head.length - tail.length)}${tail}`);
  if (encoded.byteLength !== bytes) throw new Error('padding arithmetic is wrong');
  return encoded;
}

type Rejection = [
  what: string,
  topic: string,
  payload: Uint8Array,
  code: MekongErrorCode,
  path: (string | number)[],
];

const tooLong = 'x'.repeat(129);
const rejections: Rejection[] = [
  // wrong type
  [
    'good as a string',
    `${CELL}/count`,
    json({ ...validCount, good: '12' }),
    'MEKONG_INVALID_PAYLOAD',
    ['good'],
  ],
  ['seq as a string', `${CELL}/count`, json({ ...validCount, seq: '42' }), 'MEKONG_INVALID_PAYLOAD', ['seq']],
  [
    'active as a string',
    `${CELL}/alarm`,
    json({ ...validAlarm, active: 'yes' }),
    'MEKONG_INVALID_PAYLOAD',
    ['active'],
  ],
  [
    'product as a number',
    `${CELL}/count`,
    json({ ...validCount, product: 7 }),
    'MEKONG_INVALID_PAYLOAD',
    ['product'],
  ],
  [
    'readings as an object',
    `${CELL}/sensor`,
    json({ ...validSensor, readings: {} }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings'],
  ],
  [
    'a reading value as a string',
    `${CELL}/sensor`,
    json({
      ...validSensor,
      readings: [...validSensor.readings.slice(0, 2), { name: 'x', value: '1', unit: 'kW' }],
    }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings', 2, 'value'],
  ],
  [
    'a reading value null',
    `${CELL}/sensor`,
    json({ ...validSensor, readings: [{ name: 'x', value: null, unit: 'kW' }] }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings', 0, 'value'],
  ],
  [
    'a reading that is a number',
    `${CELL}/sensor`,
    json({ ...validSensor, readings: [5] }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings', 0],
  ],
  // missing field
  [
    'a missing scrap',
    `${CELL}/count`,
    json({ ts: TS, seq: 1, good: 1, product: 'p' }),
    'MEKONG_INVALID_PAYLOAD',
    ['scrap'],
  ],
  [
    'a missing product on count',
    `${CELL}/count`,
    json({ ts: TS, seq: 1, good: 1, scrap: 0 }),
    'MEKONG_INVALID_PAYLOAD',
    ['product'],
  ],
  ['a missing ts', `${CELL}/state`, json({ seq: 1, state: 'idle' }), 'MEKONG_INVALID_PAYLOAD', ['ts']],
  ['a missing seq', `${CELL}/state`, json({ ts: TS, state: 'idle' }), 'MEKONG_INVALID_PAYLOAD', ['seq']],
  ['a missing state', `${CELL}/state`, json({ ts: TS, seq: 1 }), 'MEKONG_INVALID_PAYLOAD', ['state']],
  [
    'a missing severity',
    `${CELL}/alarm`,
    json({ ts: TS, seq: 1, code: 'E', active: true }),
    'MEKONG_INVALID_PAYLOAD',
    ['severity'],
  ],
  [
    'a missing unit',
    `${CELL}/sensor`,
    json({ ts: TS, seq: 1, readings: [{ name: 'x', value: 1 }] }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings', 0, 'unit'],
  ],
  [
    'a clock_in without worker',
    `${LINE}/labour`,
    json({ ts: TS, seq: 1, event: 'clock_in' }),
    'MEKONG_INVALID_PAYLOAD',
    ['worker'],
  ],
  [
    'a headcount without count',
    `${LINE}/labour`,
    json({ ts: TS, seq: 1, event: 'headcount' }),
    'MEKONG_INVALID_PAYLOAD',
    ['count'],
  ],
  [
    'a labour event without event',
    `${LINE}/labour`,
    json({ ts: TS, seq: 1, worker: 'b' }),
    'MEKONG_INVALID_PAYLOAD',
    ['event'],
  ],
  // counts and sequence numbers
  [
    'a negative good count',
    `${CELL}/count`,
    json({ ...validCount, good: -1 }),
    'MEKONG_INVALID_PAYLOAD',
    ['good'],
  ],
  [
    'a fractional scrap count',
    `${CELL}/count`,
    json({ ...validCount, scrap: 1.5 }),
    'MEKONG_INVALID_PAYLOAD',
    ['scrap'],
  ],
  [
    'a negative headcount',
    `${LINE}/labour`,
    json({ ts: TS, seq: 1, event: 'headcount', count: -3 }),
    'MEKONG_INVALID_PAYLOAD',
    ['count'],
  ],
  ['a negative seq', `${CELL}/state`, json({ ...validState, seq: -1 }), 'MEKONG_INVALID_PAYLOAD', ['seq']],
  [
    'a seq beyond 2^53',
    `${CELL}/state`,
    utf8(`{"ts":"${TS}","seq":9007199254740993,"state":"idle"}`),
    'MEKONG_INVALID_PAYLOAD',
    ['seq'],
  ],
  // timestamps
  [
    'a ts without offset',
    `${CELL}/state`,
    json({ ...validState, ts: '2026-03-02T06:15:00' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'a date-only ts',
    `${CELL}/state`,
    json({ ...validState, ts: '2026-03-02' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'a garbage ts',
    `${CELL}/state`,
    json({ ...validState, ts: 'yesterday at six' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'an RFC 2822 ts',
    `${CELL}/state`,
    json({ ...validState, ts: 'Mon, 02 Mar 2026 06:15:00 +0700' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  ['a negative epoch', `${CELL}/state`, json({ ...validState, ts: -1 }), 'MEKONG_INVALID_PAYLOAD', ['ts']],
  [
    'a fractional epoch',
    `${CELL}/state`,
    json({ ...validState, ts: 1772406900000.5 }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'an epoch beyond InfluxDB (2262)',
    `${CELL}/state`,
    json({ ...validState, ts: 9_223_372_036_855 }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'a ts before 1970',
    `${CELL}/state`,
    json({ ...validState, ts: '1969-12-31T23:59:59Z' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'a year 0070 ts',
    `${CELL}/state`,
    json({ ...validState, ts: '0070-01-01T00:00:00Z' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'February 30th',
    `${CELL}/state`,
    json({ ...validState, ts: '2026-02-30T00:00:00Z' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'February 29th in 2026',
    `${CELL}/state`,
    json({ ...validState, ts: '2026-02-29T00:00:00Z' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'month 13',
    `${CELL}/state`,
    json({ ...validState, ts: '2026-13-01T00:00:00Z' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'hour 24',
    `${CELL}/state`,
    json({ ...validState, ts: '2026-03-01T24:00:00Z' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'a leap second',
    `${CELL}/state`,
    json({ ...validState, ts: '2026-12-31T23:59:60Z' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'an offset without colon',
    `${CELL}/state`,
    json({ ...validState, ts: '2026-03-02T06:15:00+0700' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  [
    'an offset of 24 hours',
    `${CELL}/state`,
    json({ ...validState, ts: '2026-03-02T06:15:00+24:00' }),
    'MEKONG_INVALID_PAYLOAD',
    ['ts'],
  ],
  ['a ts as a boolean', `${CELL}/state`, json({ ...validState, ts: true }), 'MEKONG_INVALID_PAYLOAD', ['ts']],
  ['a ts as null', `${CELL}/state`, json({ ...validState, ts: null }), 'MEKONG_INVALID_PAYLOAD', ['ts']],
  // enumerations
  [
    'an unknown state',
    `${CELL}/state`,
    json({ ...validState, state: 'dancing' }),
    'MEKONG_INVALID_PAYLOAD',
    ['state'],
  ],
  [
    'a state in capitals',
    `${CELL}/state`,
    json({ ...validState, state: 'RUNNING' }),
    'MEKONG_INVALID_PAYLOAD',
    ['state'],
  ],
  [
    'an unknown severity',
    `${CELL}/alarm`,
    json({ ...validAlarm, severity: 'fatal' }),
    'MEKONG_INVALID_PAYLOAD',
    ['severity'],
  ],
  [
    'an unknown labour event',
    `${LINE}/labour`,
    json({ ts: TS, seq: 1, event: 'lunch' }),
    'MEKONG_INVALID_PAYLOAD',
    ['event'],
  ],
  // sizes of strings and arrays
  [
    'a 129-character product',
    `${CELL}/count`,
    json({ ...validCount, product: tooLong }),
    'MEKONG_INVALID_PAYLOAD',
    ['product'],
  ],
  [
    'a 129-character reason',
    `${CELL}/state`,
    json({ ...validState, reason: tooLong }),
    'MEKONG_INVALID_PAYLOAD',
    ['reason'],
  ],
  [
    'a 129-character alarm code',
    `${CELL}/alarm`,
    json({ ...validAlarm, code: tooLong }),
    'MEKONG_INVALID_PAYLOAD',
    ['code'],
  ],
  [
    'a 129-character worker',
    `${LINE}/labour`,
    json({ ts: TS, seq: 1, event: 'clock_out', worker: tooLong }),
    'MEKONG_INVALID_PAYLOAD',
    ['worker'],
  ],
  [
    'a 1025-character text',
    `${CELL}/alarm`,
    json({ ...validAlarm, text: 't'.repeat(1025) }),
    'MEKONG_INVALID_PAYLOAD',
    ['text'],
  ],
  [
    'a 33-character unit',
    `${CELL}/sensor`,
    json({ ...validSensor, readings: [{ name: 'x', value: 1, unit: 'u'.repeat(33) }] }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings', 0, 'unit'],
  ],
  [
    'a 129-character reading name',
    `${CELL}/sensor`,
    json({ ...validSensor, readings: [{ name: tooLong, value: 1, unit: 'kW' }] }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings', 0, 'name'],
  ],
  [
    '257 readings',
    `${CELL}/sensor`,
    json({
      ...validSensor,
      readings: Array.from({ length: 257 }, (_, index) => ({ name: `s${index}`, value: 1, unit: 'kW' })),
    }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings'],
  ],
  [
    'no readings',
    `${CELL}/sensor`,
    json({ ...validSensor, readings: [] }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings'],
  ],
  // identifiers
  [
    'an empty product',
    `${CELL}/count`,
    json({ ...validCount, product: '' }),
    'MEKONG_INVALID_PAYLOAD',
    ['product'],
  ],
  [
    'a newline in a worker badge',
    `${LINE}/labour`,
    json({ ts: TS, seq: 1, event: 'clock_in', worker: 'b\n1' }),
    'MEKONG_INVALID_PAYLOAD',
    ['worker'],
  ],
  [
    'a lone surrogate in text',
    `${CELL}/alarm`,
    utf8(`{"ts":"${TS}","seq":1,"code":"E","severity":"info","active":true,"text":"\\ud800"}`),
    'MEKONG_INVALID_PAYLOAD',
    ['text'],
  ],
  [
    'a reading name ending in a backslash',
    `${CELL}/sensor`,
    json({ ...validSensor, readings: [{ name: 'C:\\', value: 1, unit: 'kW' }] }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings', 0, 'name'],
  ],
  [
    'two readings with one name',
    `${CELL}/sensor`,
    json({
      ...validSensor,
      readings: [
        { name: 'a', value: 1, unit: 'kW' },
        { name: 'a', value: 2, unit: 'kW' },
      ],
    }),
    'MEKONG_INVALID_PAYLOAD',
    ['readings', 1, 'name'],
  ],
  // bytes and JSON
  ['a stray 0xFF byte', `${CELL}/state`, new Uint8Array([0x7b, 0xff, 0x7d]), 'MEKONG_INVALID_UTF8', []],
  [
    'an overlong encoding of "/"',
    `${CELL}/state`,
    new Uint8Array([0x22, 0xc0, 0xaf, 0x22]),
    'MEKONG_INVALID_UTF8',
    [],
  ],
  [
    'an encoded surrogate',
    `${CELL}/state`,
    new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]),
    'MEKONG_INVALID_UTF8',
    [],
  ],
  [
    'a truncated sequence',
    `${CELL}/state`,
    new Uint8Array([...json(validState).slice(0, -1), 0xe1, 0xba]),
    'MEKONG_INVALID_UTF8',
    [],
  ],
  ['Latin-1 text', `${CELL}/state`, new Uint8Array([0x22, 0xe0, 0x22]), 'MEKONG_INVALID_UTF8', []],
  ['a JSON array', `${CELL}/state`, utf8('[{"ts":0,"seq":1,"state":"idle"}]'), 'MEKONG_INVALID_PAYLOAD', []],
  ['a JSON number', `${CELL}/state`, utf8('42'), 'MEKONG_INVALID_PAYLOAD', []],
  ['JSON null', `${CELL}/state`, utf8('null'), 'MEKONG_INVALID_PAYLOAD', []],
  ['a JSON string', `${CELL}/state`, utf8('"running"'), 'MEKONG_INVALID_PAYLOAD', []],
  ['JSON true', `${CELL}/state`, utf8('true'), 'MEKONG_INVALID_PAYLOAD', []],
  ['truncated JSON', `${CELL}/state`, utf8('{"ts":'), 'MEKONG_INVALID_JSON', []],
  ['an empty payload', `${CELL}/state`, new Uint8Array(0), 'MEKONG_INVALID_JSON', []],
  ['single-quoted JSON', `${CELL}/state`, utf8("{'ts':0}"), 'MEKONG_INVALID_JSON', []],
  [
    'NaN in JSON',
    `${CELL}/sensor`,
    utf8(`{"ts":0,"seq":1,"readings":[{"name":"a","value":NaN,"unit":"kW"}]}`),
    'MEKONG_INVALID_JSON',
    [],
  ],
  ['a trailing comma', `${CELL}/state`, utf8('{"ts":0,"seq":1,"state":"idle",}'), 'MEKONG_INVALID_JSON', []],
  // size
  [
    'a payload one byte over 64 KiB',
    `${CELL}/state`,
    paddedStatePayload(DEFAULT_MAX_PAYLOAD_BYTES + 1),
    'MEKONG_PAYLOAD_TOO_LARGE',
    [],
  ],
  // topic
  ['an unknown kind', `${CELL}/temperature`, json(validState), 'MEKONG_UNKNOWN_KIND', ['topic', 'kind']],
  [
    'an invalid topic',
    'mekong/v1/acme/hcm/assembly/state',
    json(validState),
    'MEKONG_INVALID_TOPIC',
    ['topic'],
  ],
  [
    'labour from a cell',
    `${CELL}/labour`,
    json({ ts: TS, seq: 1, event: 'headcount', count: 1 }),
    'MEKONG_INVALID_TOPIC',
    ['topic', 'kind'],
  ],
  ['a bad topic and a bad payload (topic first)', 'nope', utf8('{'), 'MEKONG_INVALID_TOPIC', ['topic']],
];

describe('parseMessage — rejections', () => {
  it.each(rejections)('refuses %s', (_what, topic, payload, code, path) => {
    const result = parseMessage(topic, payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.path).toEqual(path);
      expect(result.error.message.length).toBeGreaterThan(0);
    }
  });

  it('names the field and the problem in the message', () => {
    const result = parseMessage(`${CELL}/count`, json({ ...validCount, good: -1, scrap: 'x' }));
    expect(result).toMatchObject({ ok: false, error: { path: ['good'] } });
    if (!result.ok) expect(result.error.message).toMatch(/^good: .*\(and 1 more problem\)$/);
  });

  it('accepts a valid payload of exactly 64 KiB by default', () => {
    expect(parseMessage(`${CELL}/state`, paddedStatePayload(DEFAULT_MAX_PAYLOAD_BYTES)).ok).toBe(true);
  });

  it('accepts exactly the configured size and refuses one byte more', () => {
    const bytes = json(validState);
    expect(parseMessage(`${CELL}/state`, bytes, { maxPayloadBytes: bytes.byteLength }).ok).toBe(true);
    expect(parseMessage(`${CELL}/state`, bytes, { maxPayloadBytes: bytes.byteLength - 1 })).toMatchObject({
      ok: false,
      error: { code: 'MEKONG_PAYLOAD_TOO_LARGE' },
    });
  });
});

const VALID_TOPICS = new Set([
  `${CELL}/state`,
  `${CELL}/count`,
  `${CELL}/sensor`,
  `${CELL}/alarm`,
  `${LINE}/labour`,
]);

/**
 * The codes parseMessage may answer for a topic and a payload under the size limit, or `'schema'` when
 * only the schema of the kind can tell.
 */
function expectedVerdict(topic: string, payload: Uint8Array): MekongErrorCode[] | 'schema' {
  if (!VALID_TOPICS.has(topic)) {
    // Outside mekong/v1/ the topic itself is wrong; inside it, a well-formed address may name a wrong kind.
    return topic.startsWith('mekong/v1/')
      ? ['MEKONG_INVALID_TOPIC', 'MEKONG_UNKNOWN_KIND']
      : ['MEKONG_INVALID_TOPIC'];
  }
  if (!isUtf8(payload)) return ['MEKONG_INVALID_UTF8'];
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return ['MEKONG_INVALID_JSON'];
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? 'schema'
    : ['MEKONG_INVALID_PAYLOAD'];
}

describe('parseMessage never throws', () => {
  it('on values of the wrong type', () => {
    const attempts: Array<[unknown, unknown]> = [
      [undefined, undefined],
      [null, json(validState)],
      [`${CELL}/state`, null],
      [`${CELL}/state`, 'a string'],
      [`${CELL}/state`, [1, 2, 3]],
      [{ toString: () => `${CELL}/state` }, json(validState)],
    ];
    for (const [topic, payload] of attempts) {
      const result = parseMessage(topic as string, payload as Uint8Array);
      expect(result.ok).toBe(false);
    }
  });

  it('on deeply nested JSON inside the size limit', () => {
    const depth = 30_000;
    const nested = `{"ts":0,"seq":1,"state":"idle","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const result = parseMessage(`${CELL}/state`, utf8(nested));
    // A valid state message whose unknown field `x` is kept as it came (ARCHITECTURE.md), 30,000 arrays deep.
    if (!result.ok) throw new Error(`rejected: ${result.error.code} ${result.error.message}`);
    expect(result.value.payload).toMatchObject({ ts: 0, seq: 1, state: 'idle' });
    let level: unknown = (result.value.payload as { x?: unknown }).x;
    let levels = 0;
    while (Array.isArray(level)) {
      levels++;
      level = level[0];
    }
    expect(levels).toBe(depth);
  });

  it('on a JSON object with a __proto__ key', () => {
    const result = parseMessage(`${CELL}/state`, utf8(`{"__proto__":{"state":"idle"},"ts":0,"seq":1}`));
    expect(result).toMatchObject({ ok: false, error: { code: 'MEKONG_INVALID_PAYLOAD', path: ['state'] } });
  });

  it('on arbitrary bytes and arbitrary JSON, under any topic (property)', () => {
    const topic = fc.oneof(
      fc.constantFrom(`${CELL}/state`, `${CELL}/count`, `${CELL}/sensor`, `${CELL}/alarm`, `${LINE}/labour`),
      fc.string(),
    );
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.json().map(utf8),
      fc
        .record(
          { ts: fc.oneof(fc.string(), fc.integer(), fc.double()), seq: fc.anything() },
          { requiredKeys: [] },
        )
        .map(json),
    );
    fc.assert(
      fc.property(topic, payload, (t, p) => {
        const result = parseMessage(t, p);
        if (!result.ok) expect(JSON.parse(JSON.stringify(result.error))).toEqual(result.error);
        // The verdict, from an oracle of our own: the checks run in the documented order (topic, UTF-8,
        // JSON, object, schema) and the first one that fails names the code.
        const expected = expectedVerdict(t, p);
        if (expected === 'schema') {
          if (result.ok) expect(result.value.topic).toBe(t);
          else expect(result.error.code).toBe('MEKONG_INVALID_PAYLOAD');
        } else {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(expected).toContain(result.error.code);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
