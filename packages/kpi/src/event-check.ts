import { isCellPath, isLinePath } from './asset-path.js';
import { type KpiEvent, machineStates } from './kpi-event.js';

/**
 * Cheap checks of an event already shaped as a KpiEvent (the adapter validated it with zod, but the
 * engine never trusts that): a bad event is rejected with one of these reasons, never thrown.
 */
export const eventRejectionReasons = [
  'invalid_path',
  'invalid_timestamp',
  'invalid_sequence',
  'invalid_publisher',
  'invalid_state',
  'invalid_count',
  'invalid_labour',
  'invalid_kind',
] as const;
export type EventRejectionReason = (typeof eventRejectionReasons)[number];

const knownStates = new Set<string>(machineStates);

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Null when the event is usable, else the reason it is not. */
export interface KnownPaths {
  /** A set of the valid paths seen so far, or a map keyed by them. */
  cells: { has(path: string): boolean };
  lines: { has(path: string): boolean };
}

export function checkEvent(event: KpiEvent, known: KnownPaths): EventRejectionReason | null {
  if (!isCount(event.tsMs)) return 'invalid_timestamp';
  if (!isCount(event.seq)) return 'invalid_sequence';
  if (typeof event.publisher !== 'string' || event.publisher.length === 0) return 'invalid_publisher';
  const path = event.path;
  switch (event.kind) {
    case 'state':
      if (!(known.cells.has(path) || isCellPath(path))) return 'invalid_path';
      return knownStates.has(event.state) ? null : 'invalid_state';
    case 'count':
      if (!(known.cells.has(path) || isCellPath(path))) return 'invalid_path';
      return isCount(event.good) && isCount(event.scrap) ? null : 'invalid_count';
    case 'labour':
      if (!(known.lines.has(path) || isLinePath(path))) return 'invalid_path';
      if (event.event === 'headcount') return isCount(event.count) ? null : 'invalid_labour';
      if (event.event === 'clock_in' || event.event === 'clock_out') {
        return typeof event.worker === 'string' && event.worker.length > 0 ? null : 'invalid_labour';
      }
      return 'invalid_labour';
    default:
      return 'invalid_kind';
  }
}
