import { parseEventTime } from '@mekong/contracts';
import { type KpiLevel, kpiLevels, type WindowKind, windowKinds } from '@mekong/kpi';
import { InvalidArgumentError } from 'commander';

/** Parsers of `mekong kpi` option values; a bad value throws commander's InvalidArgumentError. */

/** `2026-03-02T06:00:00+07:00` (RFC 3339 with offset) or epoch milliseconds → epoch ms. */
export function parseInstantOption(value: string): number {
  const text = value.trim();
  const time = parseEventTime(/^\d+$/.test(text) ? Number(text) : text);
  if (!time.ok) {
    throw new InvalidArgumentError(
      `${time.error.message}; expected e.g. 2026-03-02T06:00:00+07:00 or epoch milliseconds`,
    );
  }
  return time.value.epochMs;
}

function parseList<T extends string>(allowed: readonly T[], value: string): T[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (items.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}, or several separated by commas`);
  }
  return [...new Set(items as T[])];
}

export function parseWindowOption(value: string): WindowKind[] {
  return parseList(windowKinds, value);
}

export function parseLevelOption(value: string): KpiLevel[] {
  return parseList(kpiLevels, value);
}
