import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMessage } from '@mekong/contracts';
import { parseMasterData } from '@mekong/kpi';
import type { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { simCommand } from '../src/cli.js';
import { fromJsonLine } from '../src/output/jsonl.js';

function subcommand(name: string): Command {
  const found = simCommand().commands.find((command) => command.name() === name);
  if (found === undefined) throw new Error(name);
  return found;
}

async function runSim(args: string[]): Promise<void> {
  const sim = simCommand().exitOverride();
  for (const command of sim.commands) command.exitOverride();
  await sim.parseAsync(args, { from: 'user' });
}

describe('sim command', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('record to an unwritable path: one line naming it, exit code 1, nothing simulated', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    await runSim(['record', '--duration', '1h', '--no-progress', '--out', '/nonexistent-dir/rec.jsonl']);
    expect(process.exitCode).toBe(1);
    expect(errors.join('').trim().split('\n')).toEqual([
      "mekong sim: cannot write /nonexistent-dir/rec.jsonl: ENOENT: no such file or directory, open '/nonexistent-dir/rec.jsonl'",
    ]);
  });

  it('has run, record, replay, truth, master and scenarios', () => {
    expect(simCommand().name()).toBe('sim');
    expect(simCommand().commands.map((command) => command.name())).toEqual([
      'run',
      'record',
      'replay',
      'truth',
      'master',
      'scenarios',
    ]);
  });

  it('every option of every subcommand has help text and a MEKONG_SIM_ variable', () => {
    for (const name of ['run', 'record', 'replay', 'truth', 'master']) {
      for (const option of subcommand(name).options) {
        expect(option.description.length, option.flags).toBeGreaterThan(10);
        expect(option.envVar, `${name} ${option.flags}`).toMatch(/^MEKONG_SIM_[A-Z_]+$/);
      }
      const help = subcommand(name).helpInformation();
      const expected =
        name === 'replay'
          ? 'env: MEKONG_SIM_REPLAY_IN)'
          : name === 'master'
            ? 'env: MEKONG_SIM_SITE)'
            : 'env: MEKONG_SIM_SEED)';
      expect(help).toContain(expected);
    }
    expect(subcommand('run').helpInformation()).toContain(
      'default: "mqtt://127.0.0.1:1883", env: MEKONG_SIM_URL',
    );
  });

  it('record writes a JSONL recording and the ground truth files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await runSim([
      'record',
      '--duration',
      '2h',
      '--start',
      '2026-03-02T06:00:00+07:00',
      '--out',
      join(dir, 'demo.jsonl'),
      '--truth',
      join(dir, 'truth'),
      '--malformed-rate',
      '0.01',
      '--no-progress',
    ]);
    expect(process.exitCode).toBeUndefined();
    const lines = readFileSync(join(dir, 'demo.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    const invalid = lines
      .map((line) => fromJsonLine(line))
      .filter((m) => m === undefined || !parseMessage(m.topic, Buffer.from(JSON.stringify(m.payload))).ok);
    expect(invalid).toHaveLength(Math.floor(lines.length / 100));
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    expect(Object.keys(truth)).toEqual(['meta', 'convention', 'windows', 'faults', 'summary']);
    expect(truth.faults).toHaveLength(invalid.length);
    expect(truth.summary).toMatchObject({ messages: lines.length, windows: truth.windows.length });
    expect(truth.convention.thetaSeconds).toBe(120);
    const csv = readFileSync(join(dir, 'truth.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(truth.windows.length + 1);
    expect(csv[0]).toContain('level,path,window,key,from,to,cells,AT,POT,PBT');
    expect(readFileSync(join(dir, 'truth-faults.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(
      invalid.length + 1,
    );
  });

  it('master writes the master data of a scenario as YAML that the KPI engine accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const file = join(dir, 'master.yaml');
    await runSim(['master', '--scenario', 'garment', '--out', file]);
    expect(process.exitCode).toBeUndefined();
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# KPI master data of scenario "garment"/);
    expect(text).toContain('start: "07:00"');
    const raw = parse(text);
    // By hand from scenarios/garment.yaml: cells numbered -01… by `count`; a product's own ideal cycle
    // time is the sewing template's (first declared), cells that differ listed; the bottleneck is the
    // cell with the longest mean ideal cycle time, the first on a tie (tables 21 s each, iron 40 s).
    const garment = 'song-hong-garment/dong-nai';
    const table = (n: number) => `${garment}/cutting/cut-1/table-0${n}`;
    const line = (path: string, bottleneckCell: string, headcount: number) => ({
      path: `${garment}/${path}`,
      calendar: 'day-shift',
      bottleneckCell: `${garment}/${path}/${bottleneckCell}`,
      roster: { headcount, labourSource: 'clock' },
    });
    expect(raw).toEqual({
      timezone: 'Asia/Ho_Chi_Minh',
      minorStopThresholdSeconds: 120,
      products: [
        {
          id: 'polo-shirt-m',
          idealCycleSeconds: 75,
          cells: [
            ...[1, 2, 3].map((n) => ({ path: table(n), idealCycleSeconds: 20 })),
            { path: `${garment}/finishing/fin-1/qc`, idealCycleSeconds: 30 },
            { path: `${garment}/finishing/fin-1/iron-01`, idealCycleSeconds: 40 },
            { path: `${garment}/finishing/fin-1/iron-02`, idealCycleSeconds: 40 },
            { path: `${garment}/finishing/fin-1/pack`, idealCycleSeconds: 25 },
          ],
        },
        {
          id: 'polo-shirt-l',
          idealCycleSeconds: 80,
          cells: [1, 2, 3].map((n) => ({ path: table(n), idealCycleSeconds: 22 })),
        },
      ],
      calendars: [
        {
          id: 'day-shift',
          shifts: [
            {
              id: 'day',
              start: '07:00',
              end: '16:30',
              breaks: [
                { name: 'tea', start: '09:30', end: '09:40' },
                { name: 'lunch', start: '11:30', end: '12:30' },
                { name: 'tea', start: '14:30', end: '14:40' },
              ],
            },
          ],
          nonWorkingWeekdays: ['sunday'],
          holidays: [
            '2026-02-16',
            '2026-02-17',
            '2026-02-18',
            '2026-02-19',
            '2026-02-20',
            '2026-04-30',
            '2026-05-01',
            '2026-09-02',
          ],
        },
      ],
      defaultCalendar: 'day-shift',
      lines: [
        line('cutting/cut-1', 'table-01', 8),
        ...[1, 2, 3, 4].map((n) => line(`sewing/sew-0${n}`, `station-01`, 32)),
        line('finishing/fin-1', 'iron-01', 12),
      ],
    });
    // The engine accepts it and keeps every field as written.
    expect(parseMasterData(raw)).toMatchObject(raw);
  });

  it('master with an unknown site exits 2', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      errors.push(String(text));
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await runSim(['master', '--scenario', 'demo', '--site', 'nowhere']);
    expect(process.exitCode).toBe(2);
    expect(errors.join('')).toContain('has no site nowhere (sites: binh-duong)');
  });

  it('an invalid scenario exits 2 with the path and value', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      errors.push(String(text));
      return true;
    });
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const file = join(dir, 'bad.yaml');
    (await import('node:fs')).writeFileSync(
      file,
      'name: bad\nenterprise: Bad Name\ncalendars: {}\nsites: []\n',
    );
    await runSim(['truth', '--scenario', file, '--truth', join(dir, 't')]);
    expect(process.exitCode).toBe(2);
    expect(errors.join('')).toContain('enterprise: must be');
    expect(errors.join('')).toContain('(got "Bad Name")');
  });

  it('takes flags from MEKONG_SIM_ variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.stubEnv('MEKONG_SIM_DURATION', '30m');
    vi.stubEnv('MEKONG_SIM_SEED', '99');
    try {
      await runSim(['record', '--out', join(dir, 'a.jsonl'), '--no-progress']);
      await runSim([
        'record',
        '--out',
        join(dir, 'b.jsonl'),
        '--seed',
        '99',
        '--duration',
        '30m',
        '--no-progress',
      ]);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'b.jsonl'), 'utf8'));
  });
});
