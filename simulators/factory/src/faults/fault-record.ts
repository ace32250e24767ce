import * as z from 'zod';

export const FAULT_TYPES = [
  'malformed',
  'duplicate',
  'out_of_order',
  'clock_skew',
  'disconnect',
  'burst',
  'broker_outage',
] as const;

/** One injected fault instance, as listed in the ground truth. Times are RFC 3339 in the site zone. */
export const faultRecordSchema = z.object({
  type: z.enum(FAULT_TYPES),
  /** Device path `<site>/<area>/<line>/<cell|_line>`, or `*` for a broker outage. */
  device: z.string(),
  topic: z.string().optional(),
  seq: z.int().optional().describe('seq of the message concerned'),
  from: z.string().optional().describe('start of the fault, or when the message concerned was sent'),
  to: z.string().optional().describe('end of the fault (disconnects, outages, bursts, skew)'),
  /** Messages concerned: held and resent, lost, or sent in a burst. */
  messages: z.int().optional(),
  lost: z.int().optional(),
  detail: z.string().optional().describe('what exactly was done, e.g. the kind of malformation'),
});

export type FaultRecord = z.output<typeof faultRecordSchema>;
export type FaultType = (typeof FAULT_TYPES)[number];
