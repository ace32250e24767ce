import { describe, expect, it } from 'vitest';
import { countPayloadSchema } from '../../src/payloads/count.js';

describe('countPayloadSchema', () => {
  const valid = { ts: '2026-03-02T06:15:00+07:00', seq: 42, good: 12, scrap: 1, product: 'bracket-a' };

  it('parses the ARCHITECTURE.md example', () => {
    expect(countPayloadSchema.parse(valid)).toEqual({ ...valid, ts: Date.UTC(2026, 2, 1, 23, 15) });
  });

  it.each([
    [{ ...valid, good: -1 }, ['good']],
    [{ ...valid, scrap: 2.5 }, ['scrap']],
    [{ ...valid, good: '1' }, ['good']],
    [{ ts: valid.ts, seq: 1, good: 1, scrap: 0 }, ['product']],
  ])('refuses %j at %j', (payload, path) => {
    expect(countPayloadSchema.safeParse(payload).error?.issues[0]?.path).toEqual(path);
  });
});
