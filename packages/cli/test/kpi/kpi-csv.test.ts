import { type KpiRecord, kpiRecordSchema } from '@mekong/kpi';
import { describe, expect, it } from 'vitest';
import { csvField, formatKpiCsv, kpiCsvColumns } from '../../src/kpi/kpi-csv.js';

const record: KpiRecord = {
  level: 'line',
  path: 'acme/hcm/assembly/line-1',
  window: 'shift',
  shift: { calendarId: 'two-shift', shiftId: 'A', date: '2026-03-02' },
  from: '2026-03-02T06:00:00+07:00',
  to: '2026-03-02T14:00:00+07:00',
  fromMs: 1_772_406_000_000,
  toMs: 1_772_434_800_000,
  status: 'final',
  revision: 1,
  minorStopConvention: 'availability',
  atSeconds: 28_800,
  potSeconds: 28_800,
  pbtSeconds: 25_200,
  asutSeconds: 0,
  downSeconds: 2_820,
  minorSeconds: 0,
  aptSeconds: 22_380,
  iotSeconds: null,
  gotSeconds: null,
  unknownSeconds: 0,
  plannedStopSeconds: 3_600,
  notScheduledSeconds: 0,
  goodUnits: 18_848,
  scrapUnits: 423,
  totalUnits: 19_271,
  availability: 373 / 420,
  performance: null,
  quality: null,
  qualityCountRatio: 0.1 + 0.2,
  oee: null,
  nee: null,
  utilisation: 0.875,
  teep: null,
  scrapRatio: 423 / 19_271,
  failures: 2,
  mtbfSeconds: 11_190,
  mttrSeconds: 1_410,
  bottleneckOee: null,
  labourHours: 180,
  averageHeadcount: 24,
  goodUnitsPerLabourHour: 18_848 / 180,
  standardHoursPerLabourHour: null,
  valueAddedVnd: null,
  valueAddedPerWorkerVnd: null,
  valueAddedPerLabourHourVnd: null,
  realGrowthPerLabourHour: null,
  realGrowthPerWorker: null,
  nationalTargets: [
    {
      target: 'resolution-52-to-2030',
      source: 'Resolution 52-NQ/TW, "about 7.5 %"',
      annualGrowth: 0.075,
      appliesToYear: true,
      met: false,
      gap: -0.005,
    },
  ],
  nullReasons: { iotSeconds: 'missing_ideal_cycle_time', oee: 'missing_ideal_cycle_time' },
  flags: ['missing_ideal_cycle_time', 'unknown_time'],
};

describe('csvField', () => {
  it.each([
    ['plain text', 'acme/hcm', 'acme/hcm'],
    ['a comma', 'a,b', '"a,b"'],
    ['a double quote', 'say "hi"', '"say ""hi"""'],
    ['a line feed', 'a\nb', '"a\nb"'],
    ['a carriage return', 'a\rb', '"a\rb"'],
    ['a semicolon (our list separator, not CSV’s)', 'a;b', 'a;b'],
    ['null', null, ''],
    ['an integer', 19_271, '19271'],
    ['an unrounded fraction', 0.1 + 0.2, '0.30000000000000004'],
  ])('writes %s per RFC 4180', (_name, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe('formatKpiCsv', () => {
  it('has one column for every record field, the shift split into calendar, shift and date', () => {
    const recordFields = Object.keys(kpiRecordSchema.shape).filter((field) => field !== 'shift');
    const columns = kpiCsvColumns.map(([name]) => name);
    expect([...columns].sort()).toEqual([...recordFields, 'shiftCalendar', 'shift', 'shiftDate'].sort());
  });

  it('writes a header and one CRLF-terminated row per record, numbers unrounded, null as empty', () => {
    const text = formatKpiCsv([record, { ...record, path: 'acme/hcm/assembly/line-2', shift: undefined }]);
    const rows = text.split('\r\n');
    expect(rows).toHaveLength(4);
    expect(rows[3]).toBe('');
    const header = rows[0]!.split(',');
    const cell = (row: number, column: string) => rows[row]!.split(',')[header.indexOf(column)];
    expect(header.slice(0, 6)).toEqual(['level', 'path', 'window', 'shiftCalendar', 'shift', 'shiftDate']);
    expect([cell(1, 'shiftCalendar'), cell(1, 'shift'), cell(1, 'shiftDate')]).toEqual([
      'two-shift',
      'A',
      '2026-03-02',
    ]);
    expect([cell(2, 'shiftCalendar'), cell(2, 'path')]).toEqual(['', 'acme/hcm/assembly/line-2']);
    expect(cell(1, 'availability')).toBe(String(373 / 420));
    expect(Number(cell(1, 'availability'))).toBe(373 / 420);
    expect(cell(1, 'qualityCountRatio')).toBe('0.30000000000000004');
    expect(cell(1, 'oee')).toBe('');
    expect(cell(1, 'goodUnits')).toBe('18848');
    expect(cell(1, 'flags')).toBe('missing_ideal_cycle_time;unknown_time');
    expect(cell(1, 'nullReasons')).toBe('iotSeconds=missing_ideal_cycle_time;oee=missing_ideal_cycle_time');
    expect(cell(1, 'nationalTargets')).toBe('resolution-52-to-2030:missed:-0.005');
  });

  it('writes only the header for no records', () => {
    expect(formatKpiCsv([])).toBe(`${kpiCsvColumns.map(([name]) => name).join(',')}\r\n`);
  });
});
