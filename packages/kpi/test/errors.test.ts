import { describe, expect, it } from 'vitest';
import { describeIssues, KpiError } from '../src/errors.js';

describe('errors', () => {
  it('KpiError carries a code and a cause', () => {
    const cause = new Error('inner');
    const error = new KpiError('MEKONG_KPI_INVALID_OPTIONS', 'bad', { cause });
    expect([error.code, error.message, error.cause, error.name]).toEqual([
      'MEKONG_KPI_INVALID_OPTIONS',
      'bad',
      cause,
      'KpiError',
    ]);
  });

  it('describeIssues names each field', () => {
    expect(
      describeIssues([
        { path: ['products', 0, 'idealCycleSeconds'], message: 'too small' },
        { path: [], message: 'not an object' },
      ]),
    ).toBe('products.0.idealCycleSeconds: too small\n(root): not an object');
  });
});
