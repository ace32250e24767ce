import { describe, expect, it } from 'vitest';
import { ALARM_SEVERITIES, alarmPayloadSchema } from '../../src/payloads/alarm.js';

describe('alarmPayloadSchema', () => {
  const valid = { ts: 0, seq: 1, code: 'E-101', severity: 'warning', active: true };

  it('knows the three documented severities', () => {
    expect(ALARM_SEVERITIES).toEqual(['info', 'warning', 'critical']);
  });

  it('accepts an alarm with and without text, text spanning lines', () => {
    expect(alarmPayloadSchema.parse(valid)).toEqual(valid);
    expect(alarmPayloadSchema.parse({ ...valid, text: 'Quá nhiệt\ntrục chính' }).text).toBe(
      'Quá nhiệt\ntrục chính',
    );
  });

  it.each([
    [{ ...valid, severity: 'fatal' }, ['severity']],
    [{ ...valid, active: 1 }, ['active']],
    [{ ...valid, code: '' }, ['code']],
    [{ ...valid, text: 'x'.repeat(1025) }, ['text']],
  ])('refuses %j at %j', (payload, path) => {
    expect(alarmPayloadSchema.safeParse(payload).error?.issues[0]?.path).toEqual(path);
  });
});
