import { describe, expect, it } from 'vitest';
import { builtinScenarioNames, loadScenario } from '../../src/scenario/builtin-scenarios.js';
import { expandScenario } from '../../src/scenario/expand-scenario.js';

describe('built-in scenarios', () => {
  it('are demo, garment and large', () => {
    expect(builtinScenarioNames()).toEqual(['demo', 'garment', 'large']);
  });

  it('demo: one site in Binh Duong, three lines, about twenty cells', async () => {
    const plan = expandScenario(await loadScenario('demo'));
    expect(plan.sites.map((site) => [site.id, site.zone.name])).toEqual([['binh-duong', 'Asia/Ho_Chi_Minh']]);
    expect(plan.lines).toHaveLength(3);
    expect(plan.cells).toHaveLength(20);
    expect(plan.cells.map((cell) => cell.path)).toContain('binh-duong/smt/smt-1/placer-02');
  });

  it('large: thousands of cells from replica counts, and --scale multiplies lines', async () => {
    const scenario = await loadScenario('large');
    expect(expandScenario(scenario).cells).toHaveLength(2000);
    const scaled = expandScenario(scenario, { scale: 50 });
    expect(scaled.cells).toHaveLength(100_000);
    expect(scaled.lines).toHaveLength(10_000);
    expect(new Set(scaled.cells.map((cell) => cell.path)).size).toBe(100_000);
  });

  it('garment: another industry, with its own calendar', async () => {
    const plan = expandScenario(await loadScenario('garment'));
    expect(plan.scenario.enterprise).toBe('song-hong-garment');
    expect(plan.cells.length).toBeGreaterThan(40);
  });
});
