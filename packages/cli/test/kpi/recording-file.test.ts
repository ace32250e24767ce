import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordingFile, readRecordingLine } from '../../src/kpi/recording-file.js';

const cellTopic = (kind: string) => `mekong/v1/acme/hcm/assembly/line-1/press-1/${kind}`;
const line = (topic: string, payload: unknown) => JSON.stringify({ topic, payload });
const countPayload = { ts: 60_000, seq: 3, good: 12, scrap: 1, product: 'bracket-a' };

describe('readRecordingLine', () => {
  it('reads a count message into a count event', () => {
    expect(readRecordingLine(line(cellTopic('count'), countPayload))).toEqual({
      kind: 'event',
      event: {
        kind: 'count',
        path: 'acme/hcm/assembly/line-1/press-1',
        tsMs: 60_000,
        seq: 3,
        publisher: cellTopic('count'),
        good: 12,
        scrap: 1,
        product: 'bracket-a',
      },
    });
  });

  it('accepts a payload written as a JSON string, as it went over MQTT', () => {
    const read = readRecordingLine(line(cellTopic('count'), JSON.stringify(countPayload)));
    expect(read.kind === 'event' && read.event.kind === 'count' && read.event.good).toBe(12);
  });

  it.each([
    ['sensor', { ts: 1, seq: 1, readings: [{ name: 'temperature', value: 40, unit: 'Cel' }] }],
    ['alarm', { ts: 1, seq: 1, code: 'E1', severity: 'info', active: false }],
  ])('skips a valid %s message without complaint', (kind, payload) => {
    expect(readRecordingLine(line(cellTopic(kind), payload))).toEqual({ kind: 'ignored' });
  });

  it.each(['', '   ', '\t'])('treats the blank line %j as nothing', (text) => {
    expect(readRecordingLine(text)).toEqual({ kind: 'blank' });
  });

  it.each([
    ['text that is not JSON', 'press-1 count 12', /^not JSON \(.+\)$/, 'NOT_JSON'],
    ['a JSON array', '[1, 2]', /^not a JSON object \(each line must be/, 'NOT_A_RECORDING_LINE'],
    ['a line without topic', '{"payload": {}}', /^topic: is missing \(/, 'NOT_A_RECORDING_LINE'],
    ['a numeric topic', '{"topic": 7, "payload": {}}', /^topic: is not a string \(/, 'NOT_A_RECORDING_LINE'],
    [
      'a line without payload',
      `{"topic": "${cellTopic('count')}"}`,
      /^payload: is missing/,
      'NOT_A_RECORDING_LINE',
    ],
    [
      'a negative good count',
      line(cellTopic('count'), { ...countPayload, good: -1 }),
      /^payload\.good: .*>=0.* \[MEKONG_INVALID_PAYLOAD\]$/,
      'MEKONG_INVALID_PAYLOAD',
    ],
    [
      'a count without product',
      line(cellTopic('count'), { ts: 1, seq: 1, good: 1, scrap: 0 }),
      /^payload\.product: is missing \(expected string\) \[MEKONG_INVALID_PAYLOAD\]$/,
      'MEKONG_INVALID_PAYLOAD',
    ],
    [
      'a time without offset',
      line(cellTopic('state'), { ts: '2026-03-02 06:00:00', seq: 1, state: 'running' }),
      /^payload\.ts: "2026-03-02 06:00:00" has no UTC offset.* \[MEKONG_INVALID_PAYLOAD\]$/,
      'MEKONG_INVALID_PAYLOAD',
    ],
    [
      'an unknown kind',
      line('mekong/v1/acme/hcm/assembly/line-1/press-1/weather', { ts: 1, seq: 1 }),
      /^topic\.kind: unknown kind "weather".* \[MEKONG_UNKNOWN_KIND\]$/,
      'MEKONG_UNKNOWN_KIND',
    ],
    [
      'a string payload that is not JSON',
      line(cellTopic('state'), '{"ts":1,"seq":'),
      /^payload: is not valid JSON.* \[MEKONG_INVALID_JSON\]$/,
      'MEKONG_INVALID_JSON',
    ],
  ])('names the field at fault for %s', (_name, text, problem, code) => {
    const read = readRecordingLine(text);
    expect(read.kind).toBe('invalid');
    if (read.kind !== 'invalid') return;
    expect(read.problem).toMatch(problem);
    expect(read.code).toBe(code);
  });
});

describe('readRecordingFile', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mekong-kpi-recording-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('numbers lines from 1, counts what it kept, skipped and ignored, and finds the first and last event', async () => {
    const file = join(directory, 'mixed.jsonl');
    await writeFile(
      file,
      // A byte-order mark and Windows line ends, as an editor on a shop-floor PC may leave them.
      `\uFEFF${[
        line(cellTopic('state'), { ts: 5_000, seq: 0, state: 'running' }),
        'not json',
        '',
        line(cellTopic('sensor'), { ts: 1_000, seq: 0, readings: [{ name: 't', value: 1, unit: 'Cel' }] }),
        line(cellTopic('count'), { ...countPayload, ts: 9_000 }),
        line(cellTopic('count'), { ...countPayload, ts: 2_000, scrap: 'one' }),
        line(cellTopic('count'), { ...countPayload, ts: 3_000, seq: 4 }),
      ].join('\r\n')}\r\n`,
    );
    const problems: [number, string][] = [];
    const summary = await readRecordingFile(file, (lineNumber, problem) =>
      problems.push([lineNumber, problem]),
    );
    expect(problems.map(([lineNumber]) => lineNumber)).toEqual([2, 6]);
    expect(problems[1]?.[1]).toMatch(/^payload\.scrap: /);
    expect(summary.lines).toBe(7);
    expect(summary.events.map((event) => event.tsMs)).toEqual([5_000, 9_000, 3_000]);
    expect(summary.ignored).toBe(1);
    expect(summary.invalid).toBe(2);
    expect(Object.fromEntries(summary.invalidByCode)).toEqual({ NOT_JSON: 1, MEKONG_INVALID_PAYLOAD: 1 });
    // The sensor at 1 000 and the invalid count at 2 000 are not KPI events.
    expect([summary.firstEventMs, summary.lastEventMs]).toEqual([3_000, 9_000]);
  });

  it('reports an empty file as no events', async () => {
    const file = join(directory, 'empty.jsonl');
    await writeFile(file, '');
    const summary = await readRecordingFile(file, () => {});
    expect([summary.lines, summary.events.length, summary.firstEventMs]).toEqual([0, 0, undefined]);
  });

  it('rejects a file that does not exist with the file system error', async () => {
    await expect(readRecordingFile(join(directory, 'missing.jsonl'), () => {})).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
