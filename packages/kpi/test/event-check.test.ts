import { describe, expect, it } from 'vitest';
import { checkEvent } from '../src/event-check.js';
import type { KpiEvent } from '../src/kpi-event.js';

const known = { cells: new Set<string>(), lines: new Set<string>() };
const envelope = { tsMs: 1000, seq: 1, publisher: 'p' };
const cell = 'acme/hcm/assembly/line-1/press-1';
const line = 'acme/hcm/assembly/line-1';

// Events shaped by hand to get past the type checker the way untyped JSON would.
const event = (fields: Record<string, unknown>): KpiEvent =>
  ({ ...envelope, ...fields }) as unknown as KpiEvent;

describe('checkEvent', () => {
  it.each([
    ['a good state event', event({ kind: 'state', path: cell, state: 'running' }), null],
    ['a good headcount', event({ kind: 'labour', path: line, event: 'headcount', count: 4 }), null],
    ['state on a line path', event({ kind: 'state', path: line, state: 'running' }), 'invalid_path'],
    [
      'labour on a cell path',
      event({ kind: 'labour', path: cell, event: 'headcount', count: 4 }),
      'invalid_path',
    ],
    ['negative time', event({ kind: 'state', path: cell, state: 'running', tsMs: -5 }), 'invalid_timestamp'],
    [
      'NaN time',
      event({ kind: 'state', path: cell, state: 'running', tsMs: Number.NaN }),
      'invalid_timestamp',
    ],
    ['negative seq', event({ kind: 'state', path: cell, state: 'running', seq: -1 }), 'invalid_sequence'],
    [
      'empty publisher',
      event({ kind: 'state', path: cell, state: 'running', publisher: '' }),
      'invalid_publisher',
    ],
    ['unknown state', event({ kind: 'state', path: cell, state: 'broken' }), 'invalid_state'],
    ['fractional count', event({ kind: 'count', path: cell, good: 1.5, scrap: 0 }), 'invalid_count'],
    ['clock without worker', event({ kind: 'labour', path: line, event: 'clock_in' }), 'invalid_labour'],
    ['unknown labour event', event({ kind: 'labour', path: line, event: 'lunch' }), 'invalid_labour'],
    ['unknown kind', event({ kind: 'sensor', path: cell }), 'invalid_kind'],
  ])('%s', (_name, input, expected) => {
    expect(checkEvent(input, known)).toBe(expected);
  });
});
