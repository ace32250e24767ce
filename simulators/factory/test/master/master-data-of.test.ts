import { parseMasterData } from '@mekong/kpi';
import { describe, expect, it } from 'vitest';
import { MasterDataError, masterDataOf } from '../../src/master/master-data-of.js';
import { builtinScenarioNames, loadScenario } from '../../src/scenario/builtin-scenarios.js';
import { parseScenario } from '../../src/scenario/load-scenario.js';
import { handScenario } from '../support/hand-scenario.js';

describe('masterDataOf', () => {
  it.each(builtinScenarioNames())('gives master data the KPI engine accepts for %s', async (name) => {
    const scenario = await loadScenario(name);
    const master = parseMasterData(masterDataOf(scenario));
    expect(master.timezone).toBe(scenario.sites[0]?.timeZone);
    expect(master.minorStopThresholdSeconds).toBe(scenario.minorStopThreshold);
  });

  it('demo: calendar, shifts, breaks, non-working days and lines', async () => {
    const master = masterDataOf(await loadScenario('demo'));
    expect(master.calendars).toEqual([
      {
        id: 'two-shift',
        shifts: [
          {
            id: 'a',
            start: '06:00',
            end: '14:00',
            breaks: [
              { name: 'tea', start: '09:00', end: '09:15' },
              { name: 'meal', start: '11:00', end: '11:30' },
            ],
          },
          {
            id: 'b',
            start: '14:00',
            end: '22:00',
            breaks: [
              { name: 'tea', start: '17:00', end: '17:15' },
              { name: 'meal', start: '19:00', end: '19:30' },
            ],
          },
        ],
        nonWorkingWeekdays: ['sunday'],
        holidays: ['2026-04-26', '2026-04-30', '2026-05-01', '2026-09-02'],
      },
    ]);
    expect(master.defaultCalendar).toBe('two-shift');
    expect(master.lines?.map((line) => line.path)).toEqual([
      'mekong-electronics/binh-duong/smt/smt-1',
      'mekong-electronics/binh-duong/smt/smt-2',
      'mekong-electronics/binh-duong/final-assembly/fa-1',
    ]);
    expect(master.lines?.[2]).toEqual({
      path: 'mekong-electronics/binh-duong/final-assembly/fa-1',
      calendar: 'two-shift',
      bottleneckCell: 'mekong-electronics/binh-duong/final-assembly/fa-1/insert',
      roster: { headcount: 14 * 2, labourSource: 'clock' },
    });
    expect(master.products).toEqual([
      { id: 'pcb-ctrl-a', idealCycleSeconds: 18 },
      { id: 'pcb-power-b', idealCycleSeconds: 24 },
      { id: 'ctrl-unit-a', idealCycleSeconds: 45 },
    ]);
  });

  it('garment: a product with several ideal cycle times takes the commonest, the others per cell', async () => {
    const master = masterDataOf(await loadScenario('garment'));
    const shirt = master.products.find((product) => product.id === 'polo-shirt-m');
    expect(shirt?.idealCycleSeconds).toBe(75); // 40 sewing stations
    expect(shirt?.cells).toContainEqual({
      path: 'song-hong-garment/dong-nai/cutting/cut-1/table-02',
      idealCycleSeconds: 20,
    });
    expect(shirt?.cells).toContainEqual({
      path: 'song-hong-garment/dong-nai/finishing/fin-1/pack',
      idealCycleSeconds: 25,
    });
    expect(shirt?.cells).toHaveLength(3 + 1 + 2 + 1);
  });

  it('--scale multiplies the lines as the run does', async () => {
    const master = masterDataOf(await loadScenario('demo'), { scale: 2 });
    expect(master.lines).toHaveLength(6);
    expect(master.lines?.[0]?.path).toBe('mekong-electronics/binh-duong/smt/smt-1-01');
  });

  it('sites in two time zones need a site chosen', () => {
    const input = handScenario();
    const site = input.sites[0];
    if (site === undefined) throw new Error('scenario shape');
    const scenario = parseScenario({
      ...input,
      sites: [
        site,
        { ...site, id: 'bangkok', timeZone: 'Asia/Bangkok' },
        { ...site, id: 'tokyo', timeZone: 'Asia/Tokyo' },
      ],
    });
    expect(() => masterDataOf(scenario)).toThrow(MasterDataError);
    expect(() => masterDataOf(scenario)).toThrow(/Asia\/Ho_Chi_Minh, Asia\/Bangkok, Asia\/Tokyo/);
    const tokyo = masterDataOf(scenario, { site: 'tokyo' });
    expect(tokyo.timezone).toBe('Asia/Tokyo');
    expect(tokyo.lines?.map((line) => line.path)).toEqual(['acme/tokyo/assembly/line-1']);
    expect(() => masterDataOf(scenario, { site: 'paris' })).toThrow(/has no site paris/);
  });
});
