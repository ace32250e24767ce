import type { JsonValue } from '../core/sim-message.js';
import type { Prng } from '../random/prng.js';

export const MALFORMATIONS = [
  'not_an_object',
  'missing_ts',
  'ts_without_offset',
  'negative_seq',
  'wrong_field',
] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

/** A field of each kind set to a value its schema refuses. */
const WRONG_FIELD: Record<string, [string, JsonValue]> = {
  state: ['state', 'exploded'],
  count: ['good', -1],
  sensor: ['readings', []],
  alarm: ['severity', 'fatal'],
  labour: ['event', 'lunch'],
};

/**
 * A corrupted copy of a valid payload, as a device with a firmware bug would send it. Every variant is
 * still JSON, so a JSONL recording holds it, and each is refused by `parseMessage`.
 */
export function malform(
  payload: JsonValue,
  kind: string,
  prng: Prng,
): { payload: JsonValue; malformation: Malformation } {
  const malformation = MALFORMATIONS[Math.floor(prng.next() * MALFORMATIONS.length)] as Malformation;
  const copy: { [key: string]: JsonValue } =
    typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? { ...payload } : {};
  switch (malformation) {
    case 'not_an_object':
      return { payload: `${JSON.stringify(payload).slice(0, 40)}…`, malformation };
    case 'missing_ts':
      delete copy.ts;
      break;
    case 'ts_without_offset':
      copy.ts = typeof copy.ts === 'string' ? copy.ts.slice(0, 19).replace('T', ' ') : '2026-03-02 06:15:00';
      break;
    case 'negative_seq':
      copy.seq = -1;
      break;
    case 'wrong_field': {
      const [field, value] = WRONG_FIELD[kind] ?? ['seq', 'x'];
      copy[field] = value;
      break;
    }
  }
  return { payload: copy, malformation };
}
