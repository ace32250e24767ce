import type { KpiRecord } from '@mekong/kpi';

/**
 * KPI records as CSV (RFC 4180: comma-separated, CRLF line ends, a header row, fields holding a comma,
 * quote or line break in double quotes with quotes doubled). Numbers are written unrounded, exactly as
 * JavaScript prints them; an undefined figure is an empty field.
 */

type Cell = string | number | boolean | null;

/** The columns, in order, with how each is taken from a record. Documented in `mekong kpi --help`. */
export const kpiCsvColumns: readonly (readonly [string, (record: KpiRecord) => Cell])[] = [
  ['level', (r) => r.level],
  ['path', (r) => r.path],
  ['window', (r) => r.window],
  ['shiftCalendar', (r) => r.shift?.calendarId ?? null],
  ['shift', (r) => r.shift?.shiftId ?? null],
  ['shiftDate', (r) => r.shift?.date ?? null],
  ['from', (r) => r.from],
  ['to', (r) => r.to],
  ['fromMs', (r) => r.fromMs],
  ['toMs', (r) => r.toMs],
  ['status', (r) => r.status],
  ['revision', (r) => r.revision],
  ['atSeconds', (r) => r.atSeconds],
  ['potSeconds', (r) => r.potSeconds],
  ['pbtSeconds', (r) => r.pbtSeconds],
  ['asutSeconds', (r) => r.asutSeconds],
  ['downSeconds', (r) => r.downSeconds],
  ['minorSeconds', (r) => r.minorSeconds],
  ['aptSeconds', (r) => r.aptSeconds],
  ['iotSeconds', (r) => r.iotSeconds],
  ['gotSeconds', (r) => r.gotSeconds],
  ['unknownSeconds', (r) => r.unknownSeconds],
  ['plannedStopSeconds', (r) => r.plannedStopSeconds],
  ['notScheduledSeconds', (r) => r.notScheduledSeconds],
  ['goodUnits', (r) => r.goodUnits],
  ['scrapUnits', (r) => r.scrapUnits],
  ['totalUnits', (r) => r.totalUnits],
  ['availability', (r) => r.availability],
  ['performance', (r) => r.performance],
  ['quality', (r) => r.quality],
  ['qualityCountRatio', (r) => r.qualityCountRatio],
  ['oee', (r) => r.oee],
  ['nee', (r) => r.nee],
  ['utilisation', (r) => r.utilisation],
  ['teep', (r) => r.teep],
  ['scrapRatio', (r) => r.scrapRatio],
  ['failures', (r) => r.failures],
  ['mtbfSeconds', (r) => r.mtbfSeconds],
  ['mttrSeconds', (r) => r.mttrSeconds],
  ['bottleneckOee', (r) => r.bottleneckOee],
  ['labourHours', (r) => r.labourHours],
  ['averageHeadcount', (r) => r.averageHeadcount],
  ['goodUnitsPerLabourHour', (r) => r.goodUnitsPerLabourHour],
  ['standardHoursPerLabourHour', (r) => r.standardHoursPerLabourHour],
  ['valueAddedVnd', (r) => r.valueAddedVnd],
  ['valueAddedPerWorkerVnd', (r) => r.valueAddedPerWorkerVnd],
  ['valueAddedPerLabourHourVnd', (r) => r.valueAddedPerLabourHourVnd],
  ['realGrowthPerLabourHour', (r) => r.realGrowthPerLabourHour],
  ['realGrowthPerWorker', (r) => r.realGrowthPerWorker],
  [
    'nationalTargets',
    (r) => r.nationalTargets.map((t) => `${t.target}:${t.met ? 'met' : 'missed'}:${t.gap}`).join(';'),
  ],
  ['minorStopConvention', (r) => r.minorStopConvention],
  ['flags', (r) => r.flags.join(';')],
  [
    'nullReasons',
    (r) =>
      Object.entries(r.nullReasons)
        .map(([field, reason]) => `${field}=${reason}`)
        .join(';'),
  ],
];

export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatKpiCsv(records: readonly KpiRecord[]): string {
  const rows = [kpiCsvColumns.map(([name]) => csvField(name)).join(',')];
  for (const record of records) rows.push(kpiCsvColumns.map(([, cell]) => csvField(cell(record))).join(','));
  return `${rows.join('\r\n')}\r\n`;
}
