import { describe, expect, it } from 'vitest';
import * as kpi from '../src/index.js';

describe('public API', () => {
  it('exports the engine, the batch helper and the schemas', () => {
    expect(Object.keys(kpi).sort()).toEqual([
      'KpiError',
      'cellAncestry',
      'compareWithNationalTargets',
      'compoundAnnualGrowthRate',
      'computeKpis',
      'computeKpisOptionsSchema',
      'countEventSchema',
      'createKpiEngine',
      'eventRejectionReasons',
      'financialPeriodOf',
      'formatZonedIso',
      'isCellPath',
      'isLinePath',
      'kpiEngineOptionsSchema',
      'kpiErrorCodes',
      'kpiEventFromMessage',
      'kpiEventSchema',
      'kpiFlags',
      'kpiLevels',
      'kpiRecordSchema',
      'labourEventSchema',
      'machineStateSchema',
      'machineStates',
      'masterDataJsonSchema',
      'masterDataSchema',
      'nationalTargets',
      'nullReasons',
      'parseMasterData',
      'stateEventSchema',
      'windowKinds',
    ]);
  });

  it('the simplest master data runs end to end through the public API', () => {
    const cell = 'acme/hcm/assembly/line-1/press-1';
    const from = Date.parse('2026-03-02T06:00:00+07:00');
    const { records } = kpi.computeKpis(
      [
        {
          kind: 'state',
          path: cell,
          tsMs: from,
          seq: 0,
          publisher: 'press-1',
          state: 'running',
          product: 'bracket-a',
        },
        { kind: 'count', path: cell, tsMs: from + 60_000, seq: 1, publisher: 'press-1', good: 30, scrap: 0 },
      ],
      { timezone: 'Asia/Ho_Chi_Minh', products: [{ id: 'bracket-a', idealCycleSeconds: 1.0 }] },
      { from, to: from + 60_000, level: 'cell' },
    );
    // Running 60 s; the count at exactly `to` holds that minute's units: it belongs to this window.
    expect(records.map((record) => [record.path, record.aptSeconds, record.goodUnits])).toEqual([
      [cell, 60, 30],
    ]);
  });
});
