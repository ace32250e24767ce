import { MACHINE_STATES } from '@mekong/contracts';
import { z } from 'zod';
import { isCellPath, isLinePath } from './asset-path.js';

/**
 * The engine's own event type: one state, count or labour message with its asset path.
 * Fields mirror the wire payloads of ARCHITECTURE.md; a thin adapter from the contract messages
 * (topic + payload) produces these.
 */

/** The machine states of the wire contract: one list, owned by `@mekong/contracts`. */
export const machineStates = MACHINE_STATES;
export const machineStateSchema = z.enum(machineStates);
export type MachineState = z.infer<typeof machineStateSchema>;

const eventEnvelope = {
  /** Event time, epoch milliseconds. */
  tsMs: z.number().int().nonnegative(),
  /** Per-publisher sequence number; publisher + seq identifies a message for duplicate detection. */
  seq: z.number().int().nonnegative(),
  /** Who sent it (device or gateway id). */
  publisher: z.string().min(1),
};

const cellPathSchema = z
  .string()
  .refine(isCellPath, { message: 'expected a cell path enterprise/site/area/line/cell' });
const linePathSchema = z
  .string()
  .refine(isLinePath, { message: 'expected a line path enterprise/site/area/line' });

export const stateEventSchema = z.object({
  kind: z.literal('state'),
  path: cellPathSchema,
  ...eventEnvelope,
  state: machineStateSchema,
  reason: z.string().optional(),
  product: z.string().optional(),
});

export const countEventSchema = z.object({
  kind: z.literal('count'),
  path: cellPathSchema,
  ...eventEnvelope,
  /** Good units produced since the previous count message of this cell. */
  good: z.number().int().nonnegative(),
  /** Scrapped units produced since the previous count message of this cell. */
  scrap: z.number().int().nonnegative(),
  product: z.string().optional(),
});

export const attendanceEventSchema = z.object({
  kind: z.literal('labour'),
  path: linePathSchema,
  ...eventEnvelope,
  event: z.enum(['clock_in', 'clock_out']),
  /** Badge id. */
  worker: z.string().min(1),
});

export const headcountEventSchema = z.object({
  kind: z.literal('labour'),
  path: linePathSchema,
  ...eventEnvelope,
  event: z.literal('headcount'),
  /** People at work on the line from this instant until the next headcount snapshot. */
  count: z.number().int().nonnegative(),
});

export const labourEventSchema = z.discriminatedUnion('event', [attendanceEventSchema, headcountEventSchema]);

export const kpiEventSchema = z.union([stateEventSchema, countEventSchema, labourEventSchema]);

export type StateEvent = z.infer<typeof stateEventSchema>;
export type CountEvent = z.infer<typeof countEventSchema>;
export type AttendanceEvent = z.infer<typeof attendanceEventSchema>;
export type HeadcountEvent = z.infer<typeof headcountEventSchema>;
export type LabourEvent = z.infer<typeof labourEventSchema>;
export type KpiEvent = z.infer<typeof kpiEventSchema>;
