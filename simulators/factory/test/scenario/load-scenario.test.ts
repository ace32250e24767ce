import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioYaml, readScenarioFile } from '../../src/scenario/load-scenario.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';
import { handScenario } from '../support/hand-scenario.js';

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ScenarioError)
      return { code: error.code, issues: error.issues, message: error.message };
    throw error;
  }
  throw new Error('expected a ScenarioError');
}

const cellPath = 'sites[0].areas[0].lines[0].cells[0]';

describe('scenario validation', () => {
  it('accepts the hand-built scenario and fills defaults', () => {
    const scenario = parseScenario(handScenario());
    expect(scenario.faults.malformedRate).toBe(0);
    expect(scenario.calendars.one?.workingDays).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
  });

  it('names the path and the value of a wrong number', () => {
    const input = handScenario();
    const product = input.sites[0]?.areas[0]?.lines[0]?.cells[0]?.products?.[0];
    if (product === undefined) throw new Error('shape');
    product.idealCycleTime = -3;
    const { code, issues, message } = issuesOf(() => parseScenario(input, 'hand.yaml'));
    expect(code).toBe('MEKONG_SIM_SCENARIO_INVALID');
    expect(issues).toEqual([
      expect.objectContaining({ path: `${cellPath}.products[0].idealCycleTime`, value: '-3' }),
    ]);
    expect(message).toContain(`hand.yaml: ${cellPath}.products[0].idealCycleTime`);
    expect(message).toContain('(got -3)');
  });

  it('names a bad level name and an unknown distribution', () => {
    const input = handScenario({ enterprise: 'ACME Corp' });
    const cell = input.sites[0]?.areas[0]?.lines[0]?.cells[0];
    if (cell?.failures === undefined) throw new Error('shape');
    cell.failures.timeBetween = { dist: 'gamma', mean: 3 } as never;
    const { issues } = issuesOf(() => parseScenario(input));
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'enterprise', value: '"ACME Corp"' }),
        expect.objectContaining({ path: `${cellPath}.failures.timeBetween.dist`, value: '"gamma"' }),
      ]),
    );
  });

  it('says when a required field is missing, and names an unknown field', () => {
    const input = handScenario() as Record<string, unknown>;
    delete input.enterprise;
    input.colour = 'blue';
    const { issues } = issuesOf(() => parseScenario(input));
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'enterprise', value: undefined, message: 'is required' }),
        expect.objectContaining({
          path: '',
          value: '["colour"]',
          message: expect.stringContaining('colour'),
        }),
      ]),
    );
  });

  it('checks references, time zones, duplicates and overlapping shifts', () => {
    const input = handScenario();
    const site = input.sites[0];
    const line = site?.areas[0]?.lines[0];
    if (site === undefined || line === undefined) throw new Error('shape');
    site.timeZone = 'Asia/Saigon_Typo';
    line.cells.push({ id: 'press', template: 'nope' });
    input.calendars.one?.shifts.push({ name: 'b', start: '13:00', end: '21:00' });
    const { issues } = issuesOf(() => parseScenario(input));
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'sites[0].timeZone', value: '"Asia/Saigon_Typo"' }),
        expect.objectContaining({ path: 'sites[0].areas[0].lines[0].cells[2].id', value: '"press"' }),
        expect.objectContaining({ path: 'sites[0].areas[0].lines[0].cells[2].template', value: '"nope"' }),
        expect.objectContaining({
          path: 'calendars.one.shifts[1]',
          value: '"b"',
          message: 'overlaps shift "a"',
        }),
      ]),
    );
  });

  it('refuses a break outside its shift', () => {
    const input = handScenario();
    input.calendars.one?.shifts[0]?.breaks?.push({ name: 'late', start: '15:00', end: '15:10' });
    const { issues } = issuesOf(() => parseScenario(input));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'calendars.one.shifts[0].breaks[3]', value: '"15:00-15:10"' }),
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const { code, message } = issuesOf(() =>
      parseScenarioYaml('name: x\nsites: [\n  - id: a\n', 'broken.yaml'),
    );
    expect(code).toBe('MEKONG_SIM_SCENARIO_SYNTAX');
    expect(message).toMatch(/broken\.yaml: .*line \d+/);
  });

  it('says which file cannot be read', async () => {
    await expect(readScenarioFile('/no/such/scenario.yaml')).rejects.toMatchObject({
      code: 'MEKONG_SIM_SCENARIO_NOT_FOUND',
      message: expect.stringContaining('/no/such/scenario.yaml'),
    });
  });
});
