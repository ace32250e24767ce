import { describe, expect, it } from 'vitest';
import { fromJsonLine, toJsonLine } from '../../src/output/jsonl.js';

describe('jsonl', () => {
  it('writes {"topic","payload"} lines that read back unchanged', () => {
    const message = {
      topic: 'mekong/v1/a/b/c/d/e/state',
      payload: { ts: '2026-03-02T06:00:00.000+07:00', seq: 1, state: 'running' },
      tsMs: 0,
      sendAtMs: 0,
      device: 0,
    };
    const line = toJsonLine(message);
    expect(line).toBe(
      '{"topic":"mekong/v1/a/b/c/d/e/state","payload":{"ts":"2026-03-02T06:00:00.000+07:00","seq":1,"state":"running"}}\n',
    );
    expect(fromJsonLine(line)).toEqual({ topic: message.topic, payload: message.payload });
    expect(fromJsonLine('{"topic":1}')).toBeUndefined();
    expect(fromJsonLine('not json')).toBeUndefined();
  });
});
