import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type * as z from 'zod';
import { checkScenario } from './check-scenario.js';
import type { ScenarioIssue } from './scenario-error.js';
import { describeValue, formatPath, ScenarioError } from './scenario-error.js';
import type { Scenario } from './schema.js';
import { scenarioSchema } from './schema.js';

/** Validates a scenario given as a plain object (parsed YAML or JSON). Throws ScenarioError. */
export function parseScenario(input: unknown, source = '(inline)'): Scenario {
  const parsed = scenarioSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new ScenarioError(
      'MEKONG_SIM_SCENARIO_INVALID',
      source,
      parsed.error.issues.map((issue) => toIssue(issue, input)),
    );
  }
  const issues = checkScenario(parsed.data);
  if (issues.length > 0) throw new ScenarioError('MEKONG_SIM_SCENARIO_INVALID', source, issues);
  return parsed.data;
}

/** Parses YAML text (JSON is YAML too) and validates it. Throws ScenarioError. */
export function parseScenarioYaml(text: string, source = '(inline)'): Scenario {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ScenarioError(
      'MEKONG_SIM_SCENARIO_SYNTAX',
      source,
      document.errors.map((error) => ({
        path: '',
        value: undefined,
        message: error.message.split('\n')[0] ?? '',
      })),
    );
  }
  return parseScenario(document.toJS(), source);
}

/** Reads and validates a scenario file. Throws ScenarioError. */
export async function readScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ScenarioError(
      'MEKONG_SIM_SCENARIO_NOT_FOUND',
      file,
      [{ path: '', value: undefined, message: 'cannot be read' }],
      { cause },
    );
  }
  return parseScenarioYaml(text, file);
}

// The value found at the issue's path in what the user wrote (zod's own `input` is sometimes the
// parent object, e.g. for a wrong discriminator).
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function toIssue(issue: z.core.$ZodIssue, root: unknown): ScenarioIssue {
  const value = issue.code === 'unrecognized_keys' ? issue.keys : valueAt(root, issue.path);
  return {
    path: formatPath(issue.path),
    value: describeValue(value),
    message: issue.code === 'invalid_type' && value === undefined ? 'is required' : issue.message,
  };
}
