import { describe, expect, it } from 'vitest';
import { LABOUR_EVENTS, labourPayloadSchema } from '../../src/payloads/labour.js';

describe('labourPayloadSchema', () => {
  it('knows the documented events', () => {
    expect(LABOUR_EVENTS).toEqual(['clock_in', 'clock_out', 'headcount']);
  });

  it.each([
    { ts: 0, seq: 1, event: 'clock_in', worker: 'badge-7' },
    { ts: 0, seq: 2, event: 'clock_out', worker: 'badge-7' },
    { ts: 0, seq: 3, event: 'headcount', count: 0 },
  ])('accepts $event', (payload) => {
    expect(labourPayloadSchema.parse(payload)).toEqual(payload);
  });

  it.each([
    [{ ts: 0, seq: 1, event: 'break' }, ['event']],
    [{ ts: 0, seq: 1, event: 'clock_in', count: 3 }, ['worker']],
    [{ ts: 0, seq: 1, event: 'headcount', worker: 'b' }, ['count']],
    [{ ts: 0, seq: 1, event: 'headcount', count: -1 }, ['count']],
  ])('refuses %j at %j', (payload, path) => {
    const issue = labourPayloadSchema.safeParse(payload).error?.issues[0];
    expect(issue?.path).toEqual(path);
  });

  it('says which events exist when the event is unknown', () => {
    const issue = labourPayloadSchema.safeParse({ ts: 0, seq: 1, event: 'break' }).error?.issues[0];
    expect(issue?.message).toContain('"clock_in", "clock_out", "headcount"');
  });
});
