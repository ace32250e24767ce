import * as z from 'zod';
import { countSchema, eventBaseShape, idSchema } from './common.js';

/** Parts produced since the cell's previous count message. */
export const countPayloadSchema = z.looseObject({
  ...eventBaseShape,
  good: countSchema,
  scrap: countSchema,
  product: idSchema(),
});

export type CountPayload = z.output<typeof countPayloadSchema>;
export type CountPayloadInput = z.input<typeof countPayloadSchema>;
