import { describe, expect, it } from 'vitest';
import {
  CELL_KINDS,
  isCellKind,
  isLineKind,
  isTelemetryKind,
  LINE_KINDS,
  TELEMETRY_KINDS,
} from '../src/kinds.js';

describe('kinds', () => {
  it('match the topic tree: four cell kinds, labour at line level', () => {
    expect([...CELL_KINDS].sort()).toEqual(['alarm', 'count', 'sensor', 'state']);
    expect(LINE_KINDS).toEqual(['labour']);
    expect([...TELEMETRY_KINDS].sort()).toEqual(['alarm', 'count', 'labour', 'sensor', 'state']);
  });

  it('guards tell the levels apart', () => {
    expect(isCellKind('state')).toBe(true);
    expect(isCellKind('labour')).toBe(false);
    expect(isLineKind('labour')).toBe(true);
    expect(isLineKind('count')).toBe(false);
    expect(isTelemetryKind('alarm')).toBe(true);
    expect(isTelemetryKind('kpi')).toBe(false);
  });
});
