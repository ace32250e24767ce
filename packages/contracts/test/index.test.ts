import { describe, expect, it } from 'vitest';
import {
  cellPath,
  formatLineProtocol,
  formatTopic,
  isValidLevelName,
  kafkaTopicFor,
  linePath,
  MekongError,
  parseEventTime,
  parseMessage,
  parseTopic,
  statePayloadSchema,
  toInfluxPoints,
} from '../src/index.js';

describe('public API', () => {
  it('exports the functions services call, each answering through the index', () => {
    const topic = 'mekong/v1/acme/hcm/assembly/line-1/press-1/count';
    const address = {
      enterprise: 'acme',
      site: 'hcm',
      area: 'assembly',
      line: 'line-1',
      cell: 'press-1',
      kind: 'count',
    } as const;
    expect(parseTopic(topic)).toEqual({ ok: true, value: address });
    expect(formatTopic(address)).toBe(topic);
    expect(isValidLevelName('press-1')).toBe(true);
    expect(isValidLevelName('press+1')).toBe(false);
    expect(linePath(address)).toBe('acme/hcm/assembly/line-1');
    expect(cellPath(address)).toBe('acme/hcm/assembly/line-1/press-1');
    expect(kafkaTopicFor('count')).toBe('mekong.count.v1');
    // 2026-03-02T06:15:00+07:00 is 2026-03-01T23:15:00Z, offset +7 h = 420 min.
    expect(parseEventTime('2026-03-02T06:15:00+07:00')).toEqual({
      ok: true,
      value: { epochMs: Date.UTC(2026, 2, 1, 23, 15, 0), utcOffsetMinutes: 420 },
    });
    const error = new MekongError('MEKONG_INVALID_TOPIC', 'bad topic', { path: ['topic', 2] });
    expect(error).toBeInstanceOf(Error);
    expect(error.toIssue()).toEqual({
      code: 'MEKONG_INVALID_TOPIC',
      path: ['topic', 2],
      message: 'bad topic',
    });
    expect(statePayloadSchema.safeParse({ ts: 0, seq: 1, state: 'idle' }).success).toBe(true);
    expect(statePayloadSchema.safeParse({ ts: 0, seq: 1, state: 'asleep' }).success).toBe(false);
  });

  it('carries a message from bytes to line protocol', () => {
    const result = parseMessage(
      'mekong/v1/acme/hcm/assembly/line-1/press-1/state',
      new TextEncoder().encode('{"ts":0,"seq":1,"state":"idle"}'),
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(formatLineProtocol(toInfluxPoints(result.value))).toBe(
      'machine_state,area=assembly,cell=press-1,enterprise=acme,line=line-1,site=hcm state="idle",seq=1i 0',
    );
  });
});
