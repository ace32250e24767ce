import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readScenarioFile } from './load-scenario.js';
import type { Scenario } from './schema.js';

/** The folder of built-in scenarios shipped with the simulator. */
export const BUILTIN_SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

export function builtinScenarioNames(): string[] {
  return readdirSync(BUILTIN_SCENARIO_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.slice(0, -'.yaml'.length))
    .sort();
}

/** A built-in name (`demo`, `large`, …) or a path to a YAML file. Throws ScenarioError. */
export async function loadScenario(nameOrFile: string): Promise<Scenario> {
  const builtin = join(BUILTIN_SCENARIO_DIR, `${nameOrFile}.yaml`);
  if (!nameOrFile.includes('/') && !nameOrFile.endsWith('.yaml') && existsSync(builtin)) {
    return readScenarioFile(builtin);
  }
  return readScenarioFile(nameOrFile);
}
