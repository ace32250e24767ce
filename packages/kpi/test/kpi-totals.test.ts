import { describe, expect, it } from 'vitest';
import {
  addTotals,
  addUnits,
  emptyTotals,
  idealSeconds,
  type KpiTotals,
  resetTotals,
  sumTotals,
} from '../src/kpi-totals.js';

describe('kpi totals', () => {
  it('adds numbers, unit maps and sets', () => {
    const first = emptyTotals();
    first.plannedBusyMs = 1000;
    first.good = 3;
    addUnits(first.unitsByIdealCycle, 1.5, 4, 3);
    first.productsWithoutIdealCycle.add('p');
    const second = emptyTotals();
    second.plannedBusyMs = 500;
    second.good = 2;
    addUnits(second.unitsByIdealCycle, 1.5, 2, 2);
    addUnits(second.unitsByIdealCycle, 2, 1, 0);
    second.productsWithoutIdealCycle.add('q');
    const sum = sumTotals([first, second]);
    expect([sum.plannedBusyMs, sum.good]).toEqual([1500, 5]);
    expect(sum.unitsByIdealCycle).toEqual(
      new Map([
        [1.5, { total: 6, good: 5 }],
        [2, { total: 1, good: 0 }],
      ]),
    );
    expect([...sum.productsWithoutIdealCycle].sort()).toEqual(['p', 'q']);
    // sumTotals copies: the parts are untouched.
    expect(first.plannedBusyMs).toBe(1000);
  });

  it('ideal seconds do not depend on the order units were added', () => {
    const forward = emptyTotals();
    const backward = emptyTotals();
    const entries: [number, number][] = [
      [0.1, 7],
      [0.7, 3],
      [1.3, 11],
    ];
    for (const [ict, units] of entries) addUnits(forward.unitsByIdealCycle, ict, units, units);
    for (const [ict, units] of [...entries].reverse())
      addUnits(backward.unitsByIdealCycle, ict, units, units);
    expect(idealSeconds(forward.unitsByIdealCycle, 'total')).toBe(
      idealSeconds(backward.unitsByIdealCycle, 'total'),
    );
    expect(idealSeconds(forward.unitsByIdealCycle, 'total')).toBeCloseTo(0.7 + 2.1 + 14.3, 12);
  });

  it('addTotals mutates and returns the target', () => {
    const into = emptyTotals();
    const part = emptyTotals();
    part.downMs = 7;
    expect(addTotals(into, part)).toBe(into);
    expect(into.downMs).toBe(7);
  });
});

describe('resetTotals', () => {
  it('empties every field, whatever fields the totals have', () => {
    const totals = emptyTotals();
    for (const [field, value] of Object.entries(totals)) {
      if (typeof value === 'number') (totals as unknown as Record<string, number>)[field] = 7;
      else if (value instanceof Set) value.add('x');
      else addUnits(value as KpiTotals['unitsByIdealCycle'], 1.5, 3, 2);
    }
    resetTotals(totals);
    expect(totals).toEqual(emptyTotals());
  });
});
