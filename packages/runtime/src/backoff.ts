export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

/**
 * Pause before attempt `attempt + 1` (attempt counts from 1): doubling from `initialMs` up to `maxMs`,
 * with "equal jitter" (half fixed, half random) so that instances restarted together do not retry in step.
 * `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, settings: BackoffSettings, random: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(settings.maxMs, settings.initialMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
