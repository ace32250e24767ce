import { describe, expect, it } from 'vitest';
import { FlagError, mergeFaultFlags } from '../../src/cli/fault-flags.js';
import type { FaultsSpec } from '../../src/scenario/schema.js';

const base: FaultsSpec = {
  malformedRate: 0.5,
  duplicateRate: 0,
  outOfOrderRate: 0,
  clockSkew: [{ cells: 'a/*/*/*', offset: 1, driftPpm: 0 }],
  disconnects: [],
  bursts: [],
  brokerOutages: [],
};

describe('fault flags', () => {
  it('replace rates and append to the scenario lists', () => {
    const faults = mergeFaultFlags(base, {
      malformedRate: 0.01,
      clockSkew: ['smt/*/*=-90@50'],
      disconnect: ['smt/smt-1/printer@2h+10m:loss'],
      burst: ['smt/**@1h+5m/100ms'],
      brokerOutage: ['3h+2m:500'],
      randomDisconnects: '2/5m',
    });
    expect(faults.malformedRate).toBe(0.01);
    expect(faults.clockSkew).toEqual([base.clockSkew[0], { cells: 'smt/*/*', offset: -90, driftPpm: 50 }]);
    expect(faults.disconnects).toEqual([
      { cells: 'smt/smt-1/printer', after: 7200, duration: 600, mode: 'loss' },
    ]);
    expect(faults.bursts).toEqual([{ cells: 'smt/**', after: 3600, duration: 300, interval: 0.1 }]);
    expect(faults.brokerOutages).toEqual([{ after: 10_800, duration: 120, bufferLimit: 500 }]);
    expect(faults.randomDisconnects).toEqual({
      perDevicePerDay: 2,
      duration: { dist: 'exponential', mean: 300 },
      mode: 'resend',
    });
    expect(base.clockSkew).toHaveLength(1);
  });

  it('name the flag and the value they cannot read', () => {
    expect(() => mergeFaultFlags(base, { disconnect: ['printer-at-noon'] })).toThrow(FlagError);
    expect(() => mergeFaultFlags(base, { burst: ['x@1h+5m/soon'] })).toThrow('--burst "x@1h+5m/soon"');
  });
});
