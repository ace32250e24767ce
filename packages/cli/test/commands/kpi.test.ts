import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `mekong kpi` as a factory engineer runs it: a child process, `pnpm exec tsx packages/cli/src/main.ts
 * kpi …` from the repository root, on files written here.
 */

const execFileAsync = promisify(execFile);
// Each run starts pnpm, tsx and the CLI: one to two seconds alone, more on a busy machine.
const repoRoot = join(import.meta.dirname, '../../../..');

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

async function mekong(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(
      'pnpm',
      ['exec', 'tsx', 'packages/cli/src/main.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 60_000 },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

const cellPath = 'acme/hcm/assembly/line-1/press-1';
const topic = (kind: string) => `mekong/v1/${cellPath}/${kind}`;
const at = (clock: string) => `2026-03-02T${clock}+07:00`;

/**
 * KPI.md's worked example as one press's recording. Shift 06:00–14:00 (480 min), no calendar, so all
 * of it is scheduled; breaks 08:00–08:15, 10:00–10:30 (meal) and 12:00–12:15 are `planned_stop`
 * (60 min); failures 09:10–09:40 and 13:00–13:17 are `down` (47 min, each longer than θ = 2 min).
 * Running: 120 + 55 + 20 + 90 + 45 + 43 = 373 min. The last state at 14:00 only marks the end.
 */
const states: [string, string][] = [
  ['06:00:00', 'running'],
  ['08:00:00', 'planned_stop'],
  ['08:15:00', 'running'],
  ['09:10:00', 'down'],
  ['09:40:00', 'running'],
  ['10:00:00', 'planned_stop'],
  ['10:30:00', 'running'],
  ['12:00:00', 'planned_stop'],
  ['12:15:00', 'running'],
  ['13:00:00', 'down'],
  ['13:17:00', 'running'],
  ['14:00:00', 'not_scheduled'],
];
/** good 3000+3000+2800+1100+5000+2500+1448 = 18 848; scrap 60+70+65+28+100+55+45 = 423; total 19 271. */
const counts: [string, number, number][] = [
  ['07:00:00', 3000, 60],
  ['08:00:00', 3000, 70],
  ['09:10:00', 2800, 65],
  ['10:00:00', 1100, 28],
  ['12:00:00', 5000, 100],
  ['13:00:00', 2500, 55],
  ['13:59:00', 1448, 45],
];

/** By hand: AT 480 min, PBT 420 min, APT 373 min, IOT 19 271 s, GOT 18 848 s (ICT 1 s). */
const expected = {
  atSeconds: 480 * 60,
  pbtSeconds: 420 * 60,
  plannedStopSeconds: 60 * 60,
  downSeconds: 47 * 60,
  aptSeconds: 373 * 60,
  iotSeconds: 19_271,
  gotSeconds: 18_848,
  goodUnits: 18_848,
  scrapUnits: 423,
  failures: 2,
  availability: 373 / 420,
  performance: 19_271 / (373 * 60),
  quality: 18_848 / 19_271,
  oee: 18_848 / (420 * 60),
};
const fourDecimals = { availability: '0.8881', performance: '0.8611', quality: '0.9780', oee: '0.7479' };

function workedExampleLines(): string[] {
  const timed: [string, string][] = [
    ...states.map(([clock, state], seq): [string, string] => [
      clock,
      JSON.stringify({ topic: topic('state'), payload: { ts: at(clock), seq, state, product: 'bracket-a' } }),
    ]),
    ...counts.map(([clock, good, scrap], seq): [string, string] => [
      `${clock}+`,
      JSON.stringify({
        topic: topic('count'),
        payload: { ts: at(clock), seq, good, scrap, product: 'bracket-a' },
      }),
    ]),
    // Not KPI input: read, checked and left aside.
    [
      '07:30:00',
      JSON.stringify({
        topic: topic('sensor'),
        payload: { ts: at('07:30:00'), seq: 0, readings: [{ name: 'motor_power', value: 7.5, unit: 'kW' }] },
      }),
    ],
    [
      '09:10:00+',
      JSON.stringify({
        topic: topic('alarm'),
        payload: { ts: at('09:10:00'), seq: 0, code: 'JAM', severity: 'critical', active: true },
      }),
    ],
  ];
  return timed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, line]) => line);
}

const simplestMaster =
  'timezone: Asia/Ho_Chi_Minh\nproducts:\n  - id: bracket-a\n    idealCycleSeconds: 1.0\n';

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index++;
    } else field += char;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

let directory: string;
let eventsFile: string;
let masterFile: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mekong-kpi-command-'));
  eventsFile = join(directory, 'events.jsonl');
  masterFile = join(directory, 'master.yaml');
  await writeFile(eventsFile, `${workedExampleLines().join('\n')}\n`);
  await writeFile(masterFile, simplestMaster);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('mekong kpi: the worked example of KPI.md', { timeout: 60_000 }, () => {
  it('reproduces A, P, Q and OEE to four decimals as JSON, the period defaulting to the first and last event', async () => {
    const run = await mekong(['kpi', '--in', eventsFile, '--master', masterFile]);
    expect(run.stderr).not.toMatch(/invalid|SKIPPED/);
    expect(run.code).toBe(0);
    const records = JSON.parse(run.stdout) as Record<string, unknown>[];
    // One cell: its line, site and enterprise pool the same times and counts.
    expect(records.map((record) => [record.level, record.path])).toEqual([
      ['cell', cellPath],
      ['line', 'acme/hcm/assembly/line-1'],
      ['site', 'acme/hcm'],
      ['enterprise', 'acme'],
    ]);
    for (const record of records) {
      expect(record).toMatchObject({
        window: 'range',
        from: '2026-03-02T06:00:00+07:00',
        to: '2026-03-02T14:00:00+07:00',
        atSeconds: expected.atSeconds,
        pbtSeconds: expected.pbtSeconds,
        plannedStopSeconds: expected.plannedStopSeconds,
        downSeconds: expected.downSeconds,
        aptSeconds: expected.aptSeconds,
        iotSeconds: expected.iotSeconds,
        gotSeconds: expected.gotSeconds,
        goodUnits: expected.goodUnits,
        scrapUnits: expected.scrapUnits,
        failures: expected.failures,
      });
      // Labour flags (no labour data in this recording) may appear above the cell; no data-quality flag may.
      expect(record.flags).not.toEqual(
        expect.arrayContaining([
          expect.stringMatching(/performance_above_1|unknown_time|stop_classification/),
        ]),
      );
      for (const kpi of ['availability', 'performance', 'quality', 'oee'] as const) {
        expect((record[kpi] as number).toFixed(4)).toBe(fourDecimals[kpi]);
        expect(record[kpi]).toBeCloseTo(expected[kpi], 12);
      }
    }
    expect(records[0]!.flags).toEqual([]);
    expect(run.stderr).toMatch(/19 state\/count\/labour events used, 2 sensor\/alarm messages not needed/);
  });

  it('reproduces it as CSV with explicit --from/--to, one row per record, numbers unrounded', async () => {
    const output = join(directory, 'shift.csv');
    const run = await mekong([
      'kpi',
      '--in',
      eventsFile,
      '--master',
      masterFile,
      '--from',
      at('06:00:00'),
      '--to',
      at('14:00:00'),
      '--level',
      'cell,line',
      '--format',
      'csv',
      '--out',
      output,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const [header, ...rows] = parseCsv(await readFile(output, 'utf8'));
    expect(rows).toHaveLength(2);
    const value = (row: string[], column: string) => {
      const index = header!.indexOf(column);
      expect(index).toBeGreaterThanOrEqual(0);
      return row[index]!;
    };
    expect(rows.map((row) => [value(row, 'level'), value(row, 'path')])).toEqual([
      ['cell', cellPath],
      ['line', 'acme/hcm/assembly/line-1'],
    ]);
    for (const row of rows) {
      expect(Number(value(row, 'pbtSeconds'))).toBe(expected.pbtSeconds);
      expect(Number(value(row, 'aptSeconds'))).toBe(expected.aptSeconds);
      for (const kpi of ['availability', 'performance', 'quality', 'oee'] as const) {
        expect(Number(value(row, kpi)).toFixed(4)).toBe(fourDecimals[kpi]);
        // Unrounded: the full double, not four or six decimals.
        expect(Number(value(row, kpi))).toBeCloseTo(expected[kpi], 12);
      }
    }
    expect(value(rows[0]!, 'flags')).toBe('');
  });

  it('takes every option from MEKONG_KPI_… environment variables', async () => {
    const run = await mekong(['kpi'], {
      MEKONG_KPI_IN: eventsFile,
      MEKONG_KPI_MASTER: masterFile,
      MEKONG_KPI_FROM: at('06:00:00'),
      MEKONG_KPI_TO: at('10:00:00'),
      MEKONG_KPI_WINDOW: 'hour',
      MEKONG_KPI_LEVEL: 'cell',
      MEKONG_KPI_FORMAT: 'csv',
    });
    expect(run.code).toBe(0);
    const [header, ...rows] = parseCsv(run.stdout);
    const apt = header!.indexOf('aptSeconds');
    // 06–07 and 07–08 running; 08–09 has the 15 min break; 09–10 has 30 min down (09:10–09:40).
    expect(rows.map((row) => Number(row[apt]))).toEqual([3600, 3600, 2700, 1800]);
  });
});

describe('mekong kpi: invalid input', { timeout: 60_000 }, () => {
  it('reports a bad events line with file, line and field, skips it, still prints the KPIs and exits 3 (partial)', async () => {
    const lines = workedExampleLines();
    // Line 3 is not JSON; line 6 has a negative good count (the counts there are otherwise valid).
    lines.splice(2, 0, '{"topic": "mekong/v1/acme/hcm/assembly/line-1/press-1/count", payload');
    lines.splice(
      5,
      0,
      JSON.stringify({
        topic: topic('count'),
        payload: { ts: at('11:00:00'), seq: 99, good: -5, scrap: 0, product: 'bracket-a' },
      }),
    );
    // The 07:00 count sent twice (a QoS 1 redelivery): it must count once.
    lines.push(lines.find((line) => line.includes('"good":3000'))!);
    const file = join(directory, 'with-bad-lines.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    const run = await mekong(['kpi', '--in', file, '--master', masterFile, '--level', 'cell']);
    expect(run.code).toBe(3);
    const stderr = run.stderr.split('\n');
    expect(stderr).toContainEqual(
      expect.stringMatching(new RegExp(`^${escapeRegExp(file)}:3: not JSON \\(.+\\)$`)),
    );
    expect(stderr).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${escapeRegExp(file)}:6: payload\\.good: .*>=0.* \\[MEKONG_INVALID_PAYLOAD\\]$`),
      ),
    );
    expect(run.stderr).toMatch(
      /1 repeated message counted once, 2 sensor\/alarm messages not needed, 2 invalid lines SKIPPED/,
    );
    const [record] = JSON.parse(run.stdout) as Record<string, unknown>[];
    // The skipped and the repeated count changed nothing: the figures are the worked example's.
    expect(record).toMatchObject({ goodUnits: expected.goodUnits, aptSeconds: expected.aptSeconds });
    expect((record!.oee as number).toFixed(4)).toBe(fourDecimals.oee);
  });

  it('stops on bad master data, naming file, line and field, and exits 1 without output', async () => {
    const file = join(directory, 'bad-master.yaml');
    await writeFile(
      file,
      ['timezone: Asia/Ho_Chi_Minh', 'products:', '  - id: bracket-a', '    idealCycleSeconds: "1 s"'].join(
        '\n',
      ),
    );
    const run = await mekong(['kpi', '--in', eventsFile, '--master', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `${file}:4: products[0].idealCycleSeconds: expected number, got string "1 s"`,
    );
  });

  it('exits 1 with a plain message when the events file is missing, 2 on a bad option value', async () => {
    const missing = await mekong(['kpi', '--in', join(directory, 'nope.jsonl'), '--master', masterFile]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.jsonl: cannot read the events file (no such file)');
    const badWindow = await mekong(['kpi', '--in', eventsFile, '--master', masterFile, '--window', 'week']);
    expect(badWindow.code).toBe(2);
    expect(badWindow.stderr).toContain('expected one of minute, hour, shift, day, month, year, range');
  });

  it('exits 1 when --to is not after --from', async () => {
    const run = await mekong([
      'kpi',
      '--in',
      eventsFile,
      '--master',
      masterFile,
      '--from',
      at('10:00:00'),
      '--to',
      at('09:00:00'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /the period is empty: --to \(2026-03-02T09:00:00\+07:00\) is not after --from/,
    );
  });
});

describe('mekong kpi schema', { timeout: 60_000 }, () => {
  it('prints the master-data JSON Schema', async () => {
    const run = await mekong(['kpi', 'schema']);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['timezone', 'products']));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['calendars', 'lines']));
  });
});

describe('mekong kpi --help', { timeout: 60_000 }, () => {
  it('explains each option with its environment variable and the exit codes', async () => {
    const run = await mekong(['kpi', '--help']);
    expect(run.code).toBe(0);
    for (const variable of ['IN', 'MASTER', 'FROM', 'TO', 'WINDOW', 'LEVEL', 'FORMAT', 'OUT']) {
      expect(run.stdout).toContain(`MEKONG_KPI_${variable}`);
    }
    expect(run.stdout).toMatch(/Exit codes\n\s+0 .*\n\s+1 .*\n\s+2 /);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
