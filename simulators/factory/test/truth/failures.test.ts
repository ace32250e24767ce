import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { handScenario } from '../support/hand-scenario.js';
import { at, payloadOf, runScenario } from '../support/run.js';

// The failure rules of the ground truth (truth/convention.ts), on the hand scenario's press without
// minor stops: shift a 06:00–14:00, breaks 08:00–08:15, 10:00–10:30, 12:00–12:15, θ = 120 s. Its
// running seconds R reach 13,440 at 09:59:00 and 25,140 at 13:59:00 (when no failure paused them).

function pressWithFailure(afterRunningSeconds: number, repairSeconds: number): ScenarioInput {
  const scenario = handScenario();
  const press = scenario.sites[0]?.areas[0]?.lines[0]?.cells[0];
  if (press === undefined) throw new Error('scenario shape');
  press.minorStops = undefined;
  press.failures = {
    timeBetween: { dist: 'fixed', value: afterRunningSeconds },
    timeToRepair: { dist: 'fixed', value: repairSeconds },
  };
  return scenario;
}

function pressRows(scenario: ScenarioInput) {
  const { rows, messages } = runScenario(scenario);
  const row = (key: string) => {
    const found = rows.find((r) => r.level === 'cell' && r.key === key && r.path.endsWith('/press'));
    if (found === undefined) throw new Error(key);
    return found;
  };
  const states = messages
    .filter((m) => m.topic.endsWith('/press/state'))
    .map((m) => [m.tsMs, payloadOf(m).state]);
  return { shift: row('2026-03-02/a'), day: row('2026-03-02'), states };
}

describe('failures in the ground truth', () => {
  it('a failure shorter than θ is a minor stop, not a failure', () => {
    const { shift, states } = pressRows(pressWithFailure(7_000, 90));
    const downs = states.filter(([, state]) => state === 'down').length;
    expect(downs).toBe(3);
    expect(shift).toMatchObject({ failures: 0, DOWN: 0, MINOR: 3 * 90 });
  });

  it('a failure split by a break is one failure, counted where it started, when a piece reaches θ', () => {
    // 09:59:00 → 60 s before the meal (MINOR), 2,760 s after it (DOWN): one failure.
    const { shift, day, states } = pressRows(pressWithFailure(13_440, 2_820));
    expect(states).toContainEqual([at('09:59:00'), 'down']);
    expect(states).toContainEqual([at('10:00:00'), 'planned_stop']);
    expect(states).toContainEqual([at('10:30:00'), 'down']);
    expect(shift).toMatchObject({ failures: 1, DOWN: 2_760, MINOR: 60 });
    expect(day.failures).toBe(1);
  });

  it('a failure split by a break whose pieces are all shorter than θ is no failure', () => {
    const { shift } = pressRows(pressWithFailure(13_440, 100));
    expect(shift).toMatchObject({ failures: 0, DOWN: 0, MINOR: 100 });
  });

  it('a failure still being repaired when the run ends counts when its stop so far reaches θ', () => {
    // The run ends at 13:59:00, 100 s (MINOR) or 300 s (DOWN) into a repair of an hour.
    const short = pressRows({ ...pressWithFailure(25_140 - 100, 3_600), duration: 14 * 3_600 - 60 });
    expect(short.shift).toMatchObject({ failures: 0, DOWN: 0, MINOR: 100 });
    const long = pressRows({ ...pressWithFailure(25_140 - 300, 3_600), duration: 14 * 3_600 - 60 });
    expect(long.shift).toMatchObject({ failures: 1, DOWN: 300, MINOR: 0 });
  });
});
