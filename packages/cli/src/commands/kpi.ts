import { writeFile } from 'node:fs/promises';
import {
  computeKpis,
  formatZonedIso,
  KpiError,
  type KpiLevel,
  type KpiRecord,
  kpiLevels,
  masterDataJsonSchema,
  type WindowKind,
} from '@mekong/kpi';
import { Command, Option } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { formatKpiCsv, kpiCsvColumns } from '../kpi/kpi-csv.js';
import { parseInstantOption, parseLevelOption, parseWindowOption } from '../kpi/kpi-options.js';
import { readMasterDataFile } from '../kpi/master-data-file.js';
import { readRecordingFile } from '../kpi/recording-file.js';

/** Invalid event lines printed one by one; the rest are only counted. */
const invalidLinesShown = 20;

const kpiExit = {
  ok: exitCodes.ok,
  failed: exitCodes.failed,
  invalidEventsSkipped: exitCodes.partial,
} as const;

interface KpiOptions {
  in?: string;
  master?: string;
  from?: number;
  to?: number;
  window: WindowKind[];
  level: KpiLevel[];
  format: 'json' | 'csv';
  out?: string;
}

export function kpiCommand(): Command {
  const command = new Command('kpi')
    .description(
      'OEE, availability, performance, quality and labour productivity (ISO 22400) from a recorded events file, offline',
    )
    .addOption(
      new Option(
        '--in <file>',
        'the recording: one MQTT message per line, {"topic": "...", "payload": {...}}, as `mekong sim record` writes it; "-" reads standard input (required)',
      ).env('MEKONG_KPI_IN'),
    )
    .addOption(
      new Option(
        '--master <file>',
        'master data (YAML): site time zone, products with ideal cycle times, shift calendars, lines — format in `mekong kpi schema` (required)',
      ).env('MEKONG_KPI_MASTER'),
    )
    .addOption(
      new Option(
        '--from <time>',
        'start of the period, RFC 3339 with offset (2026-03-02T06:00:00+07:00) or epoch milliseconds (default: time of the first state, count or labour event)',
      )
        .env('MEKONG_KPI_FROM')
        .argParser(parseInstantOption),
    )
    .addOption(
      new Option(
        '--to <time>',
        'end of the period: time up to --to, not included; a count exactly at --to is inside, one exactly at --from outside, as a count holds the units made before it (default: time of the last state, count or labour event)',
      )
        .env('MEKONG_KPI_TO')
        .argParser(parseInstantOption),
    )
    .addOption(
      new Option(
        '--window <kinds>',
        'how to cut the period into records: range (the whole period), shift (needs calendars), minute, hour, day, month, year — at the site’s wall clock; several with commas, e.g. shift,day',
      )
        .env('MEKONG_KPI_WINDOW')
        .argParser(parseWindowOption)
        .default(['range'], 'range'),
    )
    .addOption(
      new Option(
        '--level <levels>',
        'which records: cell (one machine), line, site, enterprise — a line, site or enterprise pools its cells’ times and counts, never averages percentages; several with commas',
      )
        .env('MEKONG_KPI_LEVEL')
        .argParser(parseLevelOption)
        .default([...kpiLevels], 'cell,line,site,enterprise'),
    )
    .addOption(
      new Option('--format <format>', 'json (an array of records) or csv (one row per record)')
        .env('MEKONG_KPI_FORMAT')
        .choices(['json', 'csv'])
        .default('json'),
    )
    .addOption(
      new Option('--out <file>', 'write the records to this file (default: standard output)').env(
        'MEKONG_KPI_OUT',
      ),
    )
    .addHelpText('after', helpText())
    .action(async (options: KpiOptions) => {
      process.exitCode = await runKpi(options, command);
    });

  command
    .command('schema')
    .description('print the JSON Schema of the master-data file, for editors that check YAML as you type')
    .action(() => {
      process.stdout.write(`${JSON.stringify(masterDataJsonSchema(), null, 2)}\n`);
    });

  return command;
}

async function runKpi(options: KpiOptions, command: Command): Promise<number> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  if (options.in === undefined || options.master === undefined) {
    const missing = options.in === undefined ? '--in <file>' : '--master <file>';
    command.error(`error: ${missing} is required (see mekong kpi --help)`);
  }
  const { in: eventsFile, master: masterFile } = options;

  const master = await readMasterDataFile(masterFile);
  if (!master.ok) {
    for (const problem of master.problems) say(problem);
    say(`mekong kpi: ${masterFile} is not valid master data; nothing computed`);
    return kpiExit.failed;
  }

  let recording: Awaited<ReturnType<typeof readRecordingFile>>;
  let invalidShown = 0;
  try {
    recording = await readRecordingFile(eventsFile, (lineNumber, problem) => {
      if (invalidShown < invalidLinesShown) say(`${eventsFile}:${lineNumber}: ${problem}`);
      invalidShown += 1;
    });
  } catch (error) {
    say(`mekong kpi: ${eventsFile}: cannot read the events file (${errorText(error)})`);
    return kpiExit.failed;
  }
  if (recording.invalid > invalidLinesShown) {
    say(`${eventsFile}: … ${recording.invalid - invalidLinesShown} more invalid lines not shown`);
  }

  const iso = (ms: number) => formatZonedIso(ms, master.master.timezone);
  const fromMs = options.from ?? recording.firstEventMs;
  const toMs = options.to ?? recording.lastEventMs;
  if (fromMs === undefined || toMs === undefined) {
    say(
      `mekong kpi: ${eventsFile}: no valid state, count or labour message in ${recording.lines} lines; nothing computed`,
    );
    return kpiExit.failed;
  }
  if (toMs <= fromMs) {
    const which = options.to === undefined ? 'the last event' : '--to';
    say(
      `mekong kpi: the period is empty: ${which} (${iso(toMs)}) is not after ${options.from === undefined ? 'the first event' : '--from'} (${iso(fromMs)}); give --from and --to`,
    );
    return kpiExit.failed;
  }

  let records: KpiRecord[];
  let engineRejected = 0;
  let used = 0;
  let duplicates = 0;
  try {
    const computed = computeKpis(recording.events, master.master, {
      from: fromMs,
      to: toMs,
      window: options.window,
      level: options.level,
    });
    records = computed.records;
    used = computed.stats.accepted;
    duplicates = computed.stats.duplicates;
    for (const rejected of computed.rejected) {
      engineRejected += 1;
      if (engineRejected <= invalidLinesShown) {
        say(
          `${eventsFile}: message ${rejected.publisher} seq ${rejected.seq} at ${iso(rejected.tsMs)} not used: ${rejected.reason}`,
        );
      }
    }
  } catch (error) {
    if (!(error instanceof KpiError)) throw error;
    say(`mekong kpi: ${error.message} [${error.code}]`);
    return kpiExit.failed;
  }

  const text = options.format === 'csv' ? formatKpiCsv(records) : `${JSON.stringify(records, null, 2)}\n`;
  if (options.out === undefined) {
    // A reader that stops early (`mekong kpi … | head`) closes the pipe; that is not a failure.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
    process.stdout.write(text);
  } else {
    try {
      await writeFile(options.out, text);
    } catch (error) {
      say(`mekong kpi: cannot write ${options.out} (${errorText(error)})`);
      return kpiExit.failed;
    }
  }

  const skipped = recording.invalid + engineRejected;
  const parts = [
    `${used} state/count/labour events used`,
    ...(duplicates > 0
      ? [`${duplicates} repeated ${duplicates === 1 ? 'message' : 'messages'} counted once`]
      : []),
    ...(recording.ignored > 0 ? [`${recording.ignored} sensor/alarm messages not needed`] : []),
    ...(skipped > 0 ? [`${skipped} invalid ${skipped === 1 ? 'line' : 'lines'} SKIPPED`] : []),
  ];
  say(
    `mekong kpi: ${eventsFile}: ${recording.lines} lines: ${parts.join(', ')}; ${records.length} ${records.length === 1 ? 'record' : 'records'} for ${iso(fromMs)} – ${iso(toMs)}${options.out === undefined ? '' : ` written to ${options.out}`}`,
  );
  if (records.length === 0) {
    say(
      options.window.includes('shift')
        ? 'mekong kpi: no records: shift windows come from shift calendars (calendars, and defaultCalendar or lines[].calendar, in the master data)'
        : 'mekong kpi: no records: no state, count or labour event falls in the period',
    );
  }
  return skipped > 0 ? kpiExit.invalidEventsSkipped : kpiExit.ok;
}

function errorText(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'no such file';
  return error instanceof Error ? error.message : String(error);
}

function helpText(): string {
  const columns = wrap(kpiCsvColumns.map(([name]) => name).join(', '), 104, '        ');
  return `
Events file
  One MQTT message per line, exactly as devices publish it:
    {"topic":"mekong/v1/acme/hcm/assembly/line-1/press-1/count","payload":{"ts":"2026-03-02T06:15:00+07:00","seq":42,"good":12,"scrap":1,"product":"bracket-a"}}
  The payload may also be a JSON string holding the payload text. Each message is checked as the
  platform checks it on MQTT. State, count and labour messages are used; sensor and alarm messages are
  not needed for KPIs. A message seen twice (same topic, seq and ts) counts once. The file is read line
  by line; the state, count and labour events are kept in memory (roughly 200 bytes each).

Invalid lines are skipped, not fatal
  A line that is not JSON or breaks the message contract is reported on standard error as
    events.jsonl:17: payload.good: Too small: expected number to be >=0 [MEKONG_INVALID_PAYLOAD]
  (the first ${invalidLinesShown} of them, then a count) and skipped. The KPIs of the valid lines are still
  printed, and the exit code is 3 (a partial result) so that scripts notice: one corrupt message should not hide a
  whole shift's figures, and it should never pass silently either. Fix or drop the lines and run again
  for clean figures. Master data is different: every figure depends on it, so any error in it stops
  the command (exit 1), naming the line and field, e.g.
    master.yaml:4: products[0].idealCycleSeconds: expected number, got string "fast"

Output
  Times in seconds, ratios as fractions (0.7479 = 74.79 %). A figure that cannot be computed (say, a
  product without ideal cycle time) is null (csv: empty) and nullReasons says why; never a default.
  json: an array of records (all fields of packages/kpi/README.md "Records").
  csv:  a header row and one row per record, RFC 4180 (CRLF, fields with commas or quotes in double
        quotes), numbers unrounded. Columns:
${columns}
        Lists are separated by ";": flags; nullReasons as field=reason; nationalTargets as
        target:met|missed:gap.
  A summary (lines read, events used, lines skipped) goes to standard error.

Exit codes
  0  records written
  1  nothing computed: a file cannot be read, invalid master data, an empty period, no events
  2  a bad option or value
  3  records written, but invalid event lines were skipped

Examples
  mekong kpi --in shift.jsonl --master master.yaml
  mekong kpi --in march.jsonl --master master.yaml --window day,shift --level line --format csv --out march.csv
  mekong kpi schema > master-data.schema.json
`;
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(`${indent}${line}`);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines.join('\n');
}
