import { describe, expect, it } from 'vitest';
import { checkHealth, overallStatus } from '../src/health.js';

describe('overallStatus', () => {
  it.each([
    [{}, 'ok'],
    [{ a: { status: 'ok' } }, 'ok'],
    [{ a: { status: 'ok' }, b: { status: 'degraded' } }, 'degraded'],
    [{ a: { status: 'degraded' }, b: { status: 'down' } }, 'down'],
  ] as const)('%j is %s', (components, expected) => {
    expect(overallStatus(components)).toBe(expected);
  });

  it('lets a non-critical component degrade the service but not bring it down', () => {
    const components = { mqtt: { status: 'ok' }, redis: { status: 'down' } } as const;
    expect(overallStatus(components, new Set(['mqtt']))).toBe('degraded');
  });
});

describe('checkHealth', () => {
  it('reports a throwing check as down with its message', async () => {
    const report = await checkHealth({
      good: () => ({ status: 'ok' }),
      bad: async () => {
        throw new Error('unreachable');
      },
    });
    expect(report).toEqual({
      status: 'down',
      components: { good: { status: 'ok' }, bad: { status: 'down', detail: 'unreachable' } },
    });
  });
});
