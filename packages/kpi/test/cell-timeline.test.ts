import { describe, expect, it } from 'vitest';
import { CellTimeline, stateCode } from '../src/cell-timeline.js';
import { cellA, EventScript } from './support/event-builders.js';

describe('CellTimeline', () => {
  it('keeps states and counts sorted whatever the arrival order', () => {
    const script = new EventScript(0);
    const running = script.state(cellA, 0, 'running');
    const down = script.state(cellA, 10, 'down');
    const count = script.count(cellA, 5, 3, 0);
    const timeline = new CellTimeline();
    timeline.insertState(down);
    timeline.insertCount(count);
    timeline.insertState(running);
    expect(timeline.stateTs).toEqual([0, 600_000]);
    expect(timeline.stateCodes).toEqual([stateCode.running, stateCode.down]);
    expect(timeline.heardTs).toEqual([0, 300_000, 600_000]);
  });

  it('orders messages at the same instant by seq, so the later seq wins', () => {
    const timeline = new CellTimeline();
    const base = { kind: 'state' as const, path: cellA, tsMs: 1000, publisher: 'p' };
    timeline.insertState({ ...base, seq: 8, state: 'down' });
    timeline.insertState({ ...base, seq: 7, state: 'running' });
    expect(timeline.stateCodes).toEqual([stateCode.running, stateCode.down]);
    expect(timeline.isSuperseded(0)).toBe(true);
    expect(timeline.stateIndexAt(1000)).toBe(1);
  });

  it('finds where a stop and a run of down states began', () => {
    const script = new EventScript(0);
    const timeline = new CellTimeline();
    for (const [minute, state] of [
      [0, 'running'],
      [1, 'idle'],
      [2, 'down'],
      [3, 'down'],
      [4, 'running'],
    ] as const) {
      timeline.insertState(script.state(cellA, minute, state));
    }
    expect(timeline.stopStartAt(3)).toBe(60_000);
    expect(timeline.downStartAt(3)).toBe(120_000);
    expect(timeline.runEndAfter(1, (code) => code !== stateCode.running)).toBe(240_000);
  });

  it('prune keeps the state in force and carries the start of a stop', () => {
    const script = new EventScript(0);
    const timeline = new CellTimeline();
    for (const [minute, state] of [
      [0, 'running'],
      [1, 'down'],
      [2, 'idle'],
    ] as const) {
      timeline.insertState(script.state(cellA, minute, state));
    }
    timeline.insertCount(script.count(cellA, 0.5, 1, 0));
    timeline.insertCount(script.count(cellA, 2.5, 1, 0));
    timeline.insertCount(script.count(cellA, 3, 1, 0));
    timeline.prune(150_000);
    expect(timeline.stateTs).toEqual([120_000]);
    // A count at the prune instant holds units made before it: settled time, dropped.
    expect(timeline.countTs).toEqual([180_000]);
    expect(timeline.stopStartAt(0)).toBe(60_000);
    expect(timeline.carriedDownStartMs).toBeNull();
  });
});
