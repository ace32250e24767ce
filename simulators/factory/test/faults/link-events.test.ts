import { describe, expect, it } from 'vitest';
import { resolveFaults } from '../../src/faults/fault-plan.js';
import { linkEvents } from '../../src/faults/link-events.js';
import { expandScenario } from '../../src/scenario/expand-scenario.js';
import { parseScenario } from '../../src/scenario/load-scenario.js';
import { handScenario } from '../support/hand-scenario.js';
import { at } from '../support/run.js';

describe('link events', () => {
  const scenario = parseScenario(handScenario());
  const plan = expandScenario(scenario);
  const span = { seed: '1', startMs: at('00:00:00'), endMs: at('00:00:00') + 86_400_000 };

  it('open and close each disconnect and outage, downs first at equal times', () => {
    const faults = resolveFaults(
      {
        ...scenario.faults,
        disconnects: [{ cells: '**/press', after: 3600, duration: 600, mode: 'resend' }],
        brokerOutages: [{ after: 3000, duration: 600, bufferLimit: 10 }],
      },
      plan,
      span,
    );
    expect(linkEvents(faults)).toEqual([
      { atMs: at('00:50:00'), device: -1, up: false },
      { atMs: at('01:00:00'), device: 0, up: false },
      { atMs: at('01:00:00'), device: -1, up: true },
      { atMs: at('01:10:00'), device: 0, up: true },
    ]);
  });

  it('random disconnects are the same on every call, and differ by device', () => {
    const faults = resolveFaults(
      {
        ...scenario.faults,
        randomDisconnects: { perDevicePerDay: 6, duration: { dist: 'fixed', value: 60 }, mode: 'loss' },
      },
      plan,
      span,
    );
    expect(faults.disconnectsOf(0)).toEqual(faults.disconnectsOf(0));
    expect(faults.disconnectsOf(0).length).toBeGreaterThan(0);
    expect(faults.disconnectsOf(0)).not.toEqual(faults.disconnectsOf(1));
    expect(linkEvents(faults)).toHaveLength(
      2 * [0, 1, 2].reduce((n, device) => n + faults.disconnectsOf(device).length, 0),
    );
  });
});
