import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { formatIssuePath, issueFromZodError } from '../src/zod-issue.js';

function issueFor(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) throw new Error('expected a failure');
  return issueFromZodError(result.error);
}

describe('issueFromZodError', () => {
  const schema = z.object({ readings: z.array(z.object({ value: z.number() })), mode: z.enum(['a', 'b']) });

  it('keeps the path of the first problem and counts the others', () => {
    const issue = issueFor(schema, { readings: [{ value: 1 }, { value: 'x' }], mode: 'c' });
    expect(issue).toEqual({
      code: 'MEKONG_INVALID_PAYLOAD',
      path: ['readings', 1, 'value'],
      message: 'readings[1].value: expected number, got "x" (and 1 more problem)',
    });
  });

  it('says a field is missing', () => {
    expect(issueFor(schema, { mode: 'a' }).message).toBe('readings: is missing (expected array)');
    expect(issueFor(schema, { readings: [] }).message).toBe('mode: is missing (expected one of "a", "b")');
  });

  it('lists the allowed values of an enumeration', () => {
    expect(issueFor(schema, { readings: [], mode: 'c' }).message).toBe(
      'mode: must be one of "a", "b", got "c"',
    );
  });
});

describe('formatIssuePath', () => {
  it.each([
    [[], 'payload'],
    [['good'], 'good'],
    [['readings', 2, 'value'], 'readings[2].value'],
    [[0], '[0]'],
  ] as const)('%j → %s', (path, text) => {
    expect(formatIssuePath(path)).toBe(text);
  });
});
