import * as z from 'zod';
import { eventBaseShape, idSchema, MAX_TEXT_LENGTH, textSchema } from './common.js';

export const ALARM_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

/** An alarm raised (`active: true`) or cleared (`active: false`). */
export const alarmPayloadSchema = z.looseObject({
  ...eventBaseShape,
  code: idSchema(),
  severity: z.enum(ALARM_SEVERITIES),
  active: z.boolean(),
  text: textSchema(MAX_TEXT_LENGTH).optional(),
});

export type AlarmPayload = z.output<typeof alarmPayloadSchema>;
export type AlarmPayloadInput = z.input<typeof alarmPayloadSchema>;
