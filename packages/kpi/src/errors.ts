/**
 * Errors the engine throws. Only configuration mistakes throw (at start-up, naming the option);
 * bad events are never thrown: they come back as an ingest outcome and are counted.
 */

export const kpiErrorCodes = ['MEKONG_KPI_INVALID_MASTER_DATA', 'MEKONG_KPI_INVALID_OPTIONS'] as const;
export type KpiErrorCode = (typeof kpiErrorCodes)[number];

export class KpiError extends Error {
  readonly code: KpiErrorCode;

  constructor(code: KpiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KpiError';
    this.code = code;
  }
}

/** One line per zod issue, `path.to.field: message`, for an engineer reading a config error. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .map(
      (issue) => `${issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.')}: ${issue.message}`,
    )
    .join('\n');
}
