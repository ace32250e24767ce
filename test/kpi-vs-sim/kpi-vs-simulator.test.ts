import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Scenario, TruthRow } from '@mekong/factory-simulator';
import { loadScenario, masterDataOf, masterDataYaml } from '@mekong/factory-simulator';
import type { KpiEvent, KpiRecord } from '@mekong/kpi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recorded } from './cross-check.js';
import { compare, engineRecords, eventOfLine, record } from './cross-check.js';

// Issue 6: for the simulator's built-in scenarios, the KPI engine's output from the recording equals the
// simulator's ground truth — times and counts exactly, ratios within 1e-9 — compared directly, with no
// correction: the conventions on which the two disagreed were settled (README.md beside this file).

const seed = 'kpi-vs-sim';

/** `large` cut to a slice: per site one area of each kind with two lines, 20:00 to 07:00 the next day. */
async function largeSlice(): Promise<Scenario> {
  const scenario = await loadScenario('large');
  return {
    ...scenario,
    sites: scenario.sites.map((site) => ({
      ...site,
      areas: site.areas.map((area) => ({
        ...area,
        count: 1,
        lines: area.lines.map((line) => ({ ...line, count: 2 })),
      })),
    })),
  };
}

interface Case {
  name: string;
  load: () => Promise<Scenario>;
  startMs?: number;
  durationMs?: number;
  /** Truth rows expected: a guard against comparing nothing. */
  rows: number;
}

const cases: Case[] = [
  // 20 cells + 3 lines + 1 site, × (1 day + shifts a and b)
  { name: 'demo', load: () => loadScenario('demo'), rows: 24 * 3 },
  // 47 cells + 6 lines + 1 site, × (1 day + the day shift)
  { name: 'garment', load: () => loadScenario('garment'), rows: 54 * 2 },
  // 2 sites × (2 × 8 + 2 × 12 cells + 4 lines + the site) = 90 rows per window; windows: days 2026-03-02
  // (20:00–24:00) and 2026-03-03 (00:00–07:00); shifts b (20:00–22:00), c (across midnight), a of the 3rd
  {
    name: 'large (slice: 8 lines of 2 sites, 11 h across midnight)',
    load: largeSlice,
    startMs: Date.parse('2026-03-02T20:00:00+07:00'),
    durationMs: 11 * 3_600_000,
    rows: 90 * 5,
  },
];

describe.each(cases)('engine vs ground truth: $name', ({ load, startMs, durationMs, rows }) => {
  let recorded: Recorded;
  let records: KpiRecord[];
  let rejected: number;

  beforeAll(async () => {
    const scenario = await load();
    recorded = record(scenario, {
      seed,
      ...(startMs === undefined ? {} : { startMs }),
      ...(durationMs === undefined ? {} : { durationMs }),
    });
    ({ records, rejected } = engineRecords(
      recorded.events,
      masterDataOf(scenario),
      recorded.startMs,
      recorded.endMs,
    ));
  }, 60_000);

  it('the engine accepts every event of the recording', () => {
    expect(rejected).toBe(0);
    expect(recorded.rows).toHaveLength(rows);
  });

  it('every row: times and counts exactly, ratios within 1e-9', () => {
    const result = compare(recorded, records);
    expect(result.rowsCompared).toBe(rows);
    expect(result.mismatches).toEqual([]);
  });
});

// The same through the real commands: `mekong sim record`, `mekong sim master`, `mekong kpi`.
describe('through the CLI: demo, one day', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'kpi-vs-sim-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const mekong = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    });

  it('mekong kpi on the files of mekong sim record and mekong sim master equals the truth file', async () => {
    const events = join(dir, 'demo.jsonl');
    const master = join(dir, 'master.yaml');
    const truth = join(dir, 'truth');
    const output = join(dir, 'kpi.json');
    await Promise.all([
      mekong([
        'sim',
        'record',
        '--scenario',
        'demo',
        '--seed',
        seed,
        '--duration',
        '1d',
        '--out',
        events,
        '--truth',
        truth,
        '--no-progress',
      ]),
      mekong(['sim', 'master', '--scenario', 'demo', '--out', master]),
    ]);
    const scenario = await loadScenario('demo');
    // The file is masterDataOf's master data (mekong kpi below validates it with the engine's schema).
    expect(readFileSync(master, 'utf8')).toBe(masterDataYaml(scenario));

    const from = '2026-03-02T00:00:00+07:00';
    const to = '2026-03-03T00:00:00+07:00';
    const kpi = await mekong([
      'kpi',
      '--in',
      events,
      '--master',
      master,
      '--from',
      from,
      '--to',
      to,
      '--window',
      'shift,day',
      '--level',
      'cell,line,site',
      '--out',
      output,
    ]);
    expect(kpi.stderr).not.toMatch(/invalid|SKIPPED|not used/);

    const truthFile = JSON.parse(readFileSync(`${truth}.json`, 'utf8')) as { windows: TruthRow[] };
    const lines = readFileSync(events, 'utf8').split('\n');
    const kpiEvents: KpiEvent[] = [];
    for (const line of lines) {
      if (line === '') continue;
      const { topic, payload } = JSON.parse(line) as { topic: string; payload: unknown };
      const event = eventOfLine(topic, payload);
      if (event !== undefined) kpiEvents.push(event);
    }
    const recorded: Recorded = {
      scenario,
      startMs: Date.parse(from),
      endMs: Date.parse(to),
      rows: truthFile.windows,
      events: kpiEvents,
    };
    const records = JSON.parse(readFileSync(output, 'utf8')) as KpiRecord[];
    const result = compare(recorded, records);
    expect(result.rowsCompared).toBe(24 * 3);
    expect(result.mismatches).toEqual([]);
  }, 120_000);
});
