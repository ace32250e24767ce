import type * as z from 'zod';
import type { IssuePathSegment, MekongIssue } from './errors.js';

/**
 * The first problem zod found, as a `MEKONG_INVALID_PAYLOAD` issue whose path names the field. Parse
 * with `{ reportInput: true }` so a missing field can be told from a wrong one.
 */
export function issueFromZodError(error: z.ZodError): MekongIssue {
  const [first] = error.issues;
  if (first === undefined) return { code: 'MEKONG_INVALID_PAYLOAD', path: [], message: 'payload is invalid' };
  const path = first.path.map(
    (segment): IssuePathSegment => (typeof segment === 'symbol' ? String(segment) : segment),
  );
  const more = error.issues.length - 1;
  const suffix = more === 0 ? '' : ` (and ${more} more ${more === 1 ? 'problem' : 'problems'})`;
  return {
    code: 'MEKONG_INVALID_PAYLOAD',
    path,
    message: `${formatIssuePath(path)}: ${describeIssue(first)}${suffix}`,
  };
}

/** `['readings', 2, 'value']` → `readings[2].value`; the empty path is the payload itself. */
export function formatIssuePath(path: readonly IssuePathSegment[]): string {
  if (path.length === 0) return 'payload';
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const missing = 'input' in issue && issue.input === undefined;
  if (issue.code === 'invalid_type') {
    if (missing) return `is missing (expected ${issue.expected})`;
    if ('input' in issue) return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
  }
  if (issue.code === 'invalid_value') {
    const expected = `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    if (missing) return `is missing (expected ${expected})`;
    return `must be ${expected}, got ${'input' in issue ? describeValue(issue.input) : 'something else'}`;
  }
  return issue.message;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the fraction ${value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return `a ${typeof value}`;
}
