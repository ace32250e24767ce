/** Why a scenario cannot be used. Callers branch on `code`; `issues` name each offending path and value. */
export const SCENARIO_ERROR_CODES = [
  'MEKONG_SIM_SCENARIO_NOT_FOUND',
  'MEKONG_SIM_SCENARIO_SYNTAX',
  'MEKONG_SIM_SCENARIO_INVALID',
] as const;
export type ScenarioErrorCode = (typeof SCENARIO_ERROR_CODES)[number];

export interface ScenarioIssue {
  /** `sites[0].areas[1].lines[0].cells[2].products[0].idealCycleTime` */
  path: string;
  /** The offending value as JSON text (abbreviated), or undefined when the field is missing. */
  value: string | undefined;
  message: string;
}

export class ScenarioError extends Error {
  readonly code: ScenarioErrorCode;
  readonly issues: ScenarioIssue[];

  constructor(
    code: ScenarioErrorCode,
    source: string,
    issues: ScenarioIssue[],
    options: { cause?: unknown } = {},
  ) {
    super(
      `scenario ${source}: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}${issue.value === undefined ? '' : ` (got ${issue.value})`}`).join('; ')}`,
      { cause: options.cause },
    );
    this.name = 'ScenarioError';
    this.code = code;
    this.issues = issues;
  }
}

/** `['sites', 0, 'areas']` → `sites[0].areas` */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

export function describeValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
