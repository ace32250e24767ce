import type { MekongIssue } from './errors.js';

/** The outcome of checking untrusted input: never thrown, always returned. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: MekongIssue };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: MekongIssue): Result<T> {
  return { ok: false, error };
}
