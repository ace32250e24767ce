import * as z from 'zod';
import { eventBaseShape, idSchema } from './common.js';

export const MACHINE_STATES = [
  'running',
  'idle',
  'down',
  'setup',
  'planned_stop',
  'not_scheduled',
  'off',
] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

/** A cell's state; it holds from `ts` until the cell's next state message. */
export const statePayloadSchema = z.looseObject({
  ...eventBaseShape,
  state: z.enum(MACHINE_STATES),
  /** Reason code, e.g. why the machine is down. */
  reason: idSchema().optional(),
  /** Product id being made. */
  product: idSchema().optional(),
});

export type StatePayload = z.output<typeof statePayloadSchema>;
/** What a device sends (ts as RFC 3339 or epoch ms). */
export type StatePayloadInput = z.input<typeof statePayloadSchema>;
