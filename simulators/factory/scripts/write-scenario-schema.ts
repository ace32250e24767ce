// Writes scenario.schema.json from the zod schema, so editors complete and check scenario files.
// Run after changing src/scenario/schema.ts: `pnpm --filter @mekong/factory-simulator schema`.
import { writeFileSync } from 'node:fs';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from '../src/scenario/json-schema.js';

writeFileSync(SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText());
process.stdout.write(`wrote ${SCENARIO_SCHEMA_PATH}\n`);
