import { describe, expect, it } from 'vitest';
import { buildKpiRecord } from '../src/kpi-figures.js';
import { kpiRecordSchema } from '../src/kpi-record.js';
import { emptyTotals } from '../src/kpi-totals.js';

describe('kpiRecordSchema', () => {
  it('describes what buildKpiRecord produces', () => {
    const record = buildKpiRecord(emptyTotals(), {
      level: 'site',
      path: 'acme/hcm',
      window: { kind: 'day', startMs: 0, endMs: 86_400_000 },
      status: 'final',
      revision: 2,
      timeZone: 'Asia/Ho_Chi_Minh',
      observedMs: 86_400_000,
      valueAdded: null,
    });
    expect(kpiRecordSchema.parse(record)).toEqual(record);
  });

  it('rejects a ratio given as text', () => {
    expect(kpiRecordSchema.safeParse({ level: 'cell', oee: '74.79 %' }).success).toBe(false);
  });
});
