import * as z from 'zod';
import { eventBaseShape, MAX_READINGS, MAX_UNIT_LENGTH, tagIdSchema } from './common.js';

export const sensorReadingSchema = z.looseObject({
  /** Becomes an InfluxDB tag, hence the stricter id rule. */
  name: tagIdSchema(),
  /** Finite: JSON cannot carry NaN or Infinity, and InfluxDB would refuse them. */
  value: z.number(),
  /** UCUM code such as `Cel`, `kW`, `kW.h`, `mm/s` (dimensionless is `1`); an InfluxDB tag too. */
  unit: tagIdSchema(MAX_UNIT_LENGTH),
});

export const sensorPayloadSchema = z
  .looseObject({
    ...eventBaseShape,
    readings: z.array(sensorReadingSchema).min(1).max(MAX_READINGS),
  })
  .superRefine((payload, context) => {
    // Two readings with one name would land on the same InfluxDB point and one would be lost.
    const seen = new Set<string>();
    payload.readings.forEach((reading, index) => {
      if (seen.has(reading.name)) {
        context.addIssue({
          code: 'custom',
          path: ['readings', index, 'name'],
          message: `reading name "${reading.name}" appears more than once in this message`,
        });
      }
      seen.add(reading.name);
    });
  });

export type SensorReading = z.output<typeof sensorReadingSchema>;
export type SensorPayload = z.output<typeof sensorPayloadSchema>;
export type SensorPayloadInput = z.input<typeof sensorPayloadSchema>;
