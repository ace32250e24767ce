import * as z from 'zod';
import { parseEventTime } from '../event-time.js';
import { tagValueProblem } from '../line-protocol.js';
import { hasControlCharacter, hasLoneSurrogate } from '../unicode-text.js';

/** Longest id, code, reason, product or worker badge, in UTF-16 code units (JS string length). */
export const MAX_ID_LENGTH = 128;
/** Longest free text (an alarm's `text`). */
export const MAX_TEXT_LENGTH = 1024;
/** Longest UCUM unit code. */
export const MAX_UNIT_LENGTH = 32;
/** Most readings in one sensor message. */
export const MAX_READINGS = 256;

/** `ts`: RFC 3339 with offset or epoch milliseconds on the wire; epoch milliseconds once parsed. */
export const eventTimeSchema = z.custom<string | number>().transform((value, context): number => {
  const result = parseEventTime(value);
  if (result.ok) return result.value.epochMs;
  context.addIssue({ code: 'custom', message: result.error.message });
  return z.NEVER;
});

/** `seq`: increments per publisher, for duplicate and gap detection. */
export const seqSchema = z.int().nonnegative();

/** Fields every payload carries. */
export const eventBaseShape = { ts: eventTimeSchema, seq: seqSchema };

export const countSchema = z.int().nonnegative();

/** Free text: any characters, newlines included. */
export function textSchema(maxLength: number) {
  return z
    .string()
    .max(maxLength)
    .refine(
      (text) => !hasLoneSurrogate(text),
      'contains an unpaired UTF-16 surrogate (invalid "\\ud800"-style escape)',
    );
}

/** An identifier or code: non-empty, one line, no control characters. */
export function idSchema(maxLength = MAX_ID_LENGTH) {
  return textSchema(maxLength)
    .min(1)
    .refine((text) => !hasControlCharacter(text), 'contains a control character (newline, tab…)');
}

/** An identifier that becomes an InfluxDB tag value, so must survive line protocol unchanged. */
export function tagIdSchema(maxLength = MAX_ID_LENGTH) {
  return idSchema(maxLength).superRefine((text, context) => {
    const problem = tagValueProblem(text);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });
}
