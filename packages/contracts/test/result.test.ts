import { describe, expect, it } from 'vitest';
import { fail, ok } from '../src/result.js';

describe('Result', () => {
  it('ok and fail build the two shapes', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    const issue = { code: 'MEKONG_INVALID_JSON' as const, path: [], message: 'bad' };
    expect(fail(issue)).toEqual({ ok: false, error: issue });
  });
});
