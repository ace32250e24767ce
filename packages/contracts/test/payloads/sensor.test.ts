import { describe, expect, it } from 'vitest';
import { sensorPayloadSchema, sensorReadingSchema } from '../../src/payloads/sensor.js';

describe('sensorPayloadSchema', () => {
  const reading = { name: 'spindle_temp', value: 71.5, unit: 'Cel' };

  it('accepts readings with UCUM units and keeps unknown reading fields', () => {
    const payload = {
      ts: 0,
      seq: 1,
      readings: [reading, { name: 'energy', value: -0.25, unit: 'kW.h', q: 1 }],
    };
    expect(sensorPayloadSchema.parse(payload)).toEqual(payload);
  });

  it.each([
    [{ ts: 0, seq: 1, readings: [] }, ['readings']],
    [{ ts: 0, seq: 1, readings: [{ ...reading, value: '1' }] }, ['readings', 0, 'value']],
    [{ ts: 0, seq: 1, readings: [{ ...reading, unit: '' }] }, ['readings', 0, 'unit']],
    [{ ts: 0, seq: 1, readings: [{ ...reading, name: 'a\nb' }] }, ['readings', 0, 'name']],
    [{ ts: 0, seq: 1, readings: [reading, { ...reading, value: 1 }] }, ['readings', 1, 'name']],
  ])('refuses %j at %j', (payload, path) => {
    expect(sensorPayloadSchema.safeParse(payload).error?.issues[0]?.path).toEqual(path);
  });

  it('refuses non-finite values', () => {
    expect(sensorReadingSchema.safeParse({ ...reading, value: Number.NaN }).success).toBe(false);
    expect(sensorReadingSchema.safeParse({ ...reading, value: Number.POSITIVE_INFINITY }).success).toBe(
      false,
    );
  });
});
