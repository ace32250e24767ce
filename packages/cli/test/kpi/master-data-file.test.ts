import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { masterDataFromYaml, readMasterDataFile } from '../../src/kpi/master-data-file.js';

const problemsOf = (text: string) => {
  const result = masterDataFromYaml(text, 'master.yaml');
  return result.ok ? [] : result.problems;
};

describe('masterDataFromYaml', () => {
  it('accepts the simplest form and applies the defaults', () => {
    const result = masterDataFromYaml(
      'timezone: Asia/Ho_Chi_Minh\nproducts:\n  - id: bracket-a\n    idealCycleSeconds: 1.0\n',
      'master.yaml',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.master.products).toEqual([{ id: 'bracket-a', idealCycleSeconds: 1, cells: [] }]);
    expect(result.master.minorStopThresholdSeconds).toBe(120);
  });

  it('accepts every YAML example of the kpi README, with an editor schema comment on top', async () => {
    const readme = await readFile(join(import.meta.dirname, '../../../kpi/README.md'), 'utf8');
    const examples = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      const text = `# yaml-language-server: $schema=./master-data.schema.json\n${example}`;
      expect(masterDataFromYaml(text, 'README.md')).toMatchObject({ ok: true });
    }
  });

  it('accepts the same data written as JSON', () => {
    const json =
      '{"timezone": "Asia/Ho_Chi_Minh", "products": [{"id": "bracket-a", "idealCycleSeconds": 1}]}';
    expect(masterDataFromYaml(json, 'master.json').ok).toBe(true);
  });

  it('names the line and field of a value of the wrong type', () => {
    expect(
      problemsOf(
        ['timezone: Asia/Ho_Chi_Minh', 'products:', '  - id: bracket-a', '    idealCycleSeconds: fast'].join(
          '\n',
        ),
      ),
    ).toEqual(['master.yaml:4: products[0].idealCycleSeconds: expected number, got string "fast"']);
  });

  it('reports a missing field at the line of the entry that lacks it', () => {
    expect(
      problemsOf(
        [
          'timezone: Asia/Ho_Chi_Minh',
          'products:',
          '  - id: bracket-a',
          '    idealCycleSeconds: 1',
          '  - id: bracket-b',
          '    name: Bracket B',
        ].join('\n'),
      ),
    ).toEqual(['master.yaml:5: products[1].idealCycleSeconds: is missing (expected number)']);
  });

  it('points at a misspelt key', () => {
    expect(
      problemsOf(
        [
          'timezone: Asia/Ho_Chi_Minh',
          '',
          'products:',
          '  - id: bracket-a',
          '    idealCycleSeconds: 1',
          'minorStopThreshold: 90',
        ].join('\n'),
      ),
    ).toEqual([
      'master.yaml:6: minorStopThreshold: unknown field (misspelt? `mekong kpi schema` lists the fields)',
    ]);
  });

  it('finds fields deep in flow and block collections, and lists every problem', () => {
    const problems = problemsOf(
      [
        'timezone: Asia/Ho_Chi_Minh',
        'products: [{ id: bracket-a, idealCycleSeconds: 1 }]',
        'calendars:',
        '  - id: day',
        '    shifts:',
        '      - id: A',
        '        start: "06:00"',
        '        end: "14:00"',
        '        breaks:',
        '          - { start: "10:00", end: "10:30" }',
        '          - { start: "15:00", end: "15:30" }',
        'financials:',
        '  - path: acme',
        '    period: 2026',
        '    grossOutputVnd: 5.0e9',
        '    intermediateConsumptionVnd: 3.0e9',
        '    priceIndex: 1.04',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'master.yaml:11: calendars[0].shifts[0].breaks[1]: break 15:00–15:30 is not inside shift 06:00–14:00',
      'master.yaml:14: financials[0].period: expected string, got number 2026 (write it in quotes: "2026")',
    ]);
  });

  it('reports a time zone that does not exist', () => {
    expect(problemsOf('timezone: Asia/Saigon_City\nproducts: [{ id: a, idealCycleSeconds: 1 }]\n')).toEqual([
      'master.yaml:1: timezone: unknown IANA time zone',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf(
      'timezone: Asia/Ho_Chi_Minh\nproducts:\n  - id: a\n   idealCycleSeconds: 1\n',
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^master\.yaml:4: not valid YAML: /);
  });

  it('reports an empty file as a whole', () => {
    expect(problemsOf('')).toEqual(['master.yaml:1: (file): expected object, got null (empty)']);
  });
});

describe('readMasterDataFile', () => {
  it('says so when the file cannot be read', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mekong-kpi-master-'));
    try {
      const file = join(directory, 'master.yaml');
      expect(await readMasterDataFile(file)).toEqual({
        ok: false,
        problems: [`${file}: cannot read the master-data file (no such file)`],
      });
      await writeFile(file, 'timezone: UTC\nproducts: [{ id: a, idealCycleSeconds: 2 }]\n');
      expect((await readMasterDataFile(file)).ok).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
