import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  countSchema,
  eventTimeSchema,
  idSchema,
  MAX_ID_LENGTH,
  MAX_READINGS,
  MAX_TEXT_LENGTH,
  MAX_UNIT_LENGTH,
  seqSchema,
  tagIdSchema,
  textSchema,
} from '../../src/payloads/common.js';

describe('payload limits', () => {
  it('are the documented bounds', () => {
    expect([MAX_ID_LENGTH, MAX_TEXT_LENGTH, MAX_UNIT_LENGTH, MAX_READINGS]).toEqual([128, 1024, 32, 256]);
  });
});

describe('eventTimeSchema', () => {
  it('outputs epoch milliseconds', () => {
    expect(eventTimeSchema.parse('1970-01-01T00:00:01Z')).toBe(1000);
    expect(eventTimeSchema.parse(1000)).toBe(1000);
  });

  it('is idempotent: its output is valid input that parses to itself', () => {
    const once = eventTimeSchema.parse('2026-03-02T06:15:00+07:00');
    expect(eventTimeSchema.parse(once)).toBe(once);
  });

  it('reports a missing ts at the field', () => {
    const result = z.object({ ts: eventTimeSchema }).safeParse({});
    expect(result.error?.issues[0]).toMatchObject({
      path: ['ts'],
      message: expect.stringMatching(/missing/),
    });
  });
});

describe('seqSchema and countSchema', () => {
  it.each([0, 1, Number.MAX_SAFE_INTEGER])('accept %s', (value) => {
    expect(seqSchema.safeParse(value).success).toBe(true);
    expect(countSchema.safeParse(value).success).toBe(true);
  });

  it.each([-1, 0.5, Number.MAX_SAFE_INTEGER + 1, '1', null])('refuse %s', (value) => {
    expect(seqSchema.safeParse(value).success).toBe(false);
    expect(countSchema.safeParse(value).success).toBe(false);
  });
});

describe('string rules', () => {
  it('text allows newlines and the empty string but no lone surrogates', () => {
    expect(textSchema(10).safeParse('a\nb').success).toBe(true);
    expect(textSchema(10).safeParse('').success).toBe(true);
    expect(textSchema(10).safeParse('\ud800').success).toBe(false);
    expect(textSchema(3).safeParse('abcd').success).toBe(false);
  });

  it('ids are non-empty single-line text', () => {
    expect(idSchema().safeParse('bracket-a').success).toBe(true);
    expect(idSchema().safeParse('mã hàng #1').success).toBe(true);
    expect(idSchema().safeParse('').success).toBe(false);
    expect(idSchema().safeParse('a\tb').success).toBe(false);
    expect(idSchema().safeParse('x'.repeat(MAX_ID_LENGTH + 1)).success).toBe(false);
  });

  it('tag ids also refuse backslashes InfluxDB would misread', () => {
    expect(tagIdSchema().safeParse('Nhiệt độ, "A"=B').success).toBe(true);
    expect(tagIdSchema().safeParse('a\\b').success).toBe(true);
    expect(tagIdSchema().safeParse('a\\').success).toBe(false);
    expect(tagIdSchema().safeParse('a\\,b').success).toBe(false);
    expect(tagIdSchema().safeParse('a\\\\b').success).toBe(false);
  });
});
