import { InvalidArgumentError } from 'commander';
import type { Speed } from '../output/pacer.js';
import { parseSpeed } from '../output/pacer.js';
import { parseDuration } from '../time/duration.js';

export function shareArg(value: string): number {
  const share = Number(value);
  if (!(share >= 0 && share <= 1))
    throw new InvalidArgumentError('expected a share between 0 and 1, e.g. 0.01');
  return share;
}

export function positiveIntArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

export function durationArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError('expected a duration such as 8h, 1d, 90m or 3600 (seconds)');
  return ms;
}

/** An RFC 3339 time, or `now` (the current minute: a run is repeatable only with a fixed start). */
export function startArg(value: string): number {
  if (value === 'now') return Math.floor(Date.now() / 60_000) * 60_000;
  const withTime = /^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : value;
  const ms = Date.parse(withTime ?? value);
  if (withTime === undefined || Number.isNaN(ms) || !/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new InvalidArgumentError('expected an RFC 3339 time with offset, e.g. 2026-03-02T06:00:00+07:00');
  }
  return ms;
}

export function speedArg(value: string): Speed {
  const speed = parseSpeed(value);
  if (speed === undefined)
    throw new InvalidArgumentError('expected max, realtime, or a factor such as 60 (x60)');
  return speed;
}

export function qosArg(value: string): 0 | 1 | 2 {
  if (value === '0' || value === '1' || value === '2') return Number(value) as 0 | 1 | 2;
  throw new InvalidArgumentError('expected 0, 1 or 2');
}

/** Comma-separated, and repeatable: `--burst a --burst b,c`. */
export function listArg(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ];
}
