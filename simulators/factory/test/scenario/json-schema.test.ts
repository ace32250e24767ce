import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from '../../src/scenario/json-schema.js';

describe('scenario.schema.json', () => {
  it('is up to date with the zod schema (run `pnpm schema` in simulators/factory)', () => {
    expect(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('describes the distributions once and the fields editors complete', () => {
    const schema = JSON.parse(scenarioJsonSchemaText());
    expect(Object.keys(schema.$defs ?? {})).toContain('Distribution');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['enterprise', 'sites', 'calendars', 'faults']),
    );
  });
});
