import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { scenarioSchema } from './schema.js';

export const SCENARIO_SCHEMA_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'scenario.schema.json',
);

/** The JSON Schema of what a scenario file may contain (input form: defaults are optional). */
export function scenarioJsonSchemaText(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'Mekong factory simulator scenario' }, null, 2)}\n`;
}
