import { MACHINE_STATES } from '@mekong/contracts';
import { describe, expect, it } from 'vitest';
import { kpiEventSchema, machineStates } from '../src/kpi-event.js';

const envelope = { tsMs: 1_772_406_000_000, seq: 1, publisher: 'press-1' };
const cell = 'acme/hcm/assembly/line-1/press-1';
const line = 'acme/hcm/assembly/line-1';

describe('kpiEventSchema', () => {
  it.each([
    ['state', { kind: 'state', path: cell, ...envelope, state: 'down', reason: 'jam', product: 'bracket-a' }],
    ['count', { kind: 'count', path: cell, ...envelope, good: 12, scrap: 1, product: 'bracket-a' }],
    ['clock in', { kind: 'labour', path: line, ...envelope, event: 'clock_in', worker: 'b-17' }],
    ['headcount', { kind: 'labour', path: line, ...envelope, event: 'headcount', count: 12 }],
  ])('accepts a %s event', (_name, event) => {
    expect(kpiEventSchema.safeParse(event).success).toBe(true);
  });

  it.each([
    ['state on a line path', { kind: 'state', path: line, ...envelope, state: 'down' }],
    ['unknown state', { kind: 'state', path: cell, ...envelope, state: 'broken' }],
    ['negative count', { kind: 'count', path: cell, ...envelope, good: -1, scrap: 0 }],
    ['labour on a cell path', { kind: 'labour', path: cell, ...envelope, event: 'headcount', count: 3 }],
    ['clock event without worker', { kind: 'labour', path: line, ...envelope, event: 'clock_out' }],
    ['fractional seq', { kind: 'count', path: cell, ...envelope, seq: 1.5, good: 1, scrap: 0 }],
  ])('rejects %s', (_name, event) => {
    expect(kpiEventSchema.safeParse(event).success).toBe(false);
  });
});

describe('machineStates', () => {
  it('is the contract’s list of machine states, not a copy that could drift', () => {
    expect(machineStates).toBe(MACHINE_STATES);
  });
});
