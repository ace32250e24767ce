import { describe, expect, it } from 'vitest';
import { MACHINE_STATES, statePayloadSchema } from '../../src/payloads/state.js';

describe('statePayloadSchema', () => {
  it('knows the seven documented states', () => {
    expect(MACHINE_STATES).toEqual([
      'running',
      'idle',
      'down',
      'setup',
      'planned_stop',
      'not_scheduled',
      'off',
    ]);
  });

  it.each(MACHINE_STATES)('accepts %s', (state) => {
    expect(statePayloadSchema.parse({ ts: 5, seq: 0, state })).toEqual({ ts: 5, seq: 0, state });
  });

  it('accepts optional reason and product and keeps unknown fields', () => {
    const payload = { ts: 5, seq: 1, state: 'down', reason: 'no_material', product: 'p-1', operator: 'An' };
    expect(statePayloadSchema.parse(payload)).toEqual(payload);
  });

  it.each([
    [{ ts: 5, seq: 1, state: 'broken' }, ['state']],
    [{ ts: 5, seq: 1, state: 'down', reason: '' }, ['reason']],
    [{ ts: 5, seq: 1, state: 'down', reason: 3 }, ['reason']],
    [{ ts: 5, seq: 1, state: 'idle', product: 'x'.repeat(129) }, ['product']],
  ])('refuses %j at %j', (payload, path) => {
    expect(statePayloadSchema.safeParse(payload).error?.issues[0]?.path).toEqual(path);
  });
});
