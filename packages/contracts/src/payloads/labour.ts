import * as z from 'zod';
import { countSchema, eventBaseShape, idSchema } from './common.js';

export const LABOUR_EVENTS = ['clock_in', 'clock_out', 'headcount'] as const;
export type LabourEvent = (typeof LABOUR_EVENTS)[number];

const clockInSchema = z.looseObject({ ...eventBaseShape, event: z.literal('clock_in'), worker: idSchema() });
const clockOutSchema = z.looseObject({
  ...eventBaseShape,
  event: z.literal('clock_out'),
  worker: idSchema(),
});
/** The number of people working on the line from `ts` on. */
const headcountSchema = z.looseObject({
  ...eventBaseShape,
  event: z.literal('headcount'),
  count: countSchema,
});

/** Line-level labour events; `worker` is the badge id. */
export const labourPayloadSchema = z.discriminatedUnion(
  'event',
  [clockInSchema, clockOutSchema, headcountSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be one of ${LABOUR_EVENTS.map((event) => `"${event}"`).join(', ')}`
        : undefined,
  },
);

export type LabourPayload = z.output<typeof labourPayloadSchema>;
export type LabourPayloadInput = z.input<typeof labourPayloadSchema>;
