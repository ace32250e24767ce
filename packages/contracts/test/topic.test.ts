import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MekongError } from '../src/errors.js';
import type { TopicAddress } from '../src/topic.js';
import {
  cellPath,
  formatTopic,
  isValidLevelName,
  LINE_LEVEL_CELL,
  linePath,
  parseTopic,
  TOPIC_ROOT,
} from '../src/topic.js';

// From ARCHITECTURE.md: levels are [a-z0-9][a-z0-9_-]{0,63}.
const LEVEL = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const levelName = fc.stringMatching(LEVEL);
const cellKind = fc.constantFrom('state', 'count', 'sensor', 'alarm' as const);
const cellAddress = fc.record({
  enterprise: levelName,
  site: levelName,
  area: levelName,
  line: levelName,
  cell: levelName,
  kind: cellKind,
});
const labourAddress = fc.record({
  enterprise: levelName,
  site: levelName,
  area: levelName,
  line: levelName,
  kind: fc.constant('labour' as const),
});
const address: fc.Arbitrary<TopicAddress> = fc.oneof(cellAddress, labourAddress);
const invalidLevelName = fc
  .oneof(
    fc.string({ maxLength: 70 }),
    fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '_', ' ', '+', '#', 'ư', '.'), maxLength: 8 }),
    fc.stringMatching(/^[a-z0-9][a-z0-9_-]{64,70}$/),
  )
  .filter((name) => !LEVEL.test(name) && !name.includes('/'));

describe('parseTopic', () => {
  it('reads the example from ARCHITECTURE.md', () => {
    expect(parseTopic('mekong/v1/acme/hcm/assembly/line-1/press-1/count')).toEqual({
      ok: true,
      value: {
        enterprise: 'acme',
        site: 'hcm',
        area: 'assembly',
        line: 'line-1',
        cell: 'press-1',
        kind: 'count',
      },
    });
  });

  it('reads a line-level labour topic without a cell', () => {
    expect(parseTopic('mekong/v1/acme/hcm/assembly/line-1/_line/labour')).toEqual({
      ok: true,
      value: { enterprise: 'acme', site: 'hcm', area: 'assembly', line: 'line-1', kind: 'labour' },
    });
  });

  it.each([
    ['too few levels', 'mekong/v1/acme/hcm/assembly/line-1/count', ['topic']],
    ['too many levels', 'mekong/v1/acme/hcm/assembly/line-1/press-1/count/extra', ['topic']],
    ['another contract version', 'mekong/v2/acme/hcm/assembly/line-1/press-1/count', ['topic']],
    ['another root', 'factory/v1/acme/hcm/assembly/line-1/press-1/count', ['topic']],
    ['a leading slash', '/mekong/v1/acme/hcm/assembly/line-1/press-1/count', ['topic']],
    ['a trailing slash', 'mekong/v1/acme/hcm/assembly/line-1/press-1/count/', ['topic']],
    ['the empty string', '', ['topic']],
    ['an upper-case site', 'mekong/v1/acme/HCM/assembly/line-1/press-1/count', ['topic', 'site']],
    ['an empty area', 'mekong/v1/acme/hcm//line-1/press-1/count', ['topic', 'area']],
    ['a wildcard line', 'mekong/v1/acme/hcm/assembly/+/press-1/count', ['topic', 'line']],
    ['a cell starting with -', 'mekong/v1/acme/hcm/assembly/line-1/-press/count', ['topic', 'cell']],
    [
      'a 65-character enterprise',
      `mekong/v1/${'a'.repeat(65)}/hcm/assembly/line-1/press-1/count`,
      ['topic', 'enterprise'],
    ],
    ['labour published by a cell', 'mekong/v1/acme/hcm/assembly/line-1/press-1/labour', ['topic', 'kind']],
    ['a cell kind under _line', 'mekong/v1/acme/hcm/assembly/line-1/_line/state', ['topic', 'kind']],
  ])('refuses %s with MEKONG_INVALID_TOPIC', (_what, topic, path) => {
    const result = parseTopic(topic);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'MEKONG_INVALID_TOPIC', path });
  });

  it.each([
    'mekong/v1/acme/hcm/assembly/line-1/press-1/temperature',
    'mekong/v1/acme/hcm/assembly/line-1/press-1/State',
    'mekong/v1/acme/hcm/assembly/line-1/_line/shift',
  ])('refuses an unknown kind with MEKONG_UNKNOWN_KIND: %s', (topic) => {
    expect(parseTopic(topic)).toMatchObject({
      ok: false,
      error: { code: 'MEKONG_UNKNOWN_KIND', path: ['topic', 'kind'] },
    });
  });

  it('refuses a non-string without throwing', () => {
    expect(parseTopic(42 as unknown as string)).toMatchObject({
      ok: false,
      error: { code: 'MEKONG_INVALID_TOPIC' },
    });
  });
});

describe('formatTopic', () => {
  it('builds cell and line topics', () => {
    const line = { enterprise: 'acme', site: 'hcm', area: 'assembly', line: 'line-1' };
    expect(formatTopic({ ...line, cell: 'press-1', kind: 'sensor' })).toBe(
      'mekong/v1/acme/hcm/assembly/line-1/press-1/sensor',
    );
    expect(formatTopic({ ...line, kind: 'labour' })).toBe('mekong/v1/acme/hcm/assembly/line-1/_line/labour');
  });

  it('throws MekongError on an invalid level name', () => {
    const bad = { enterprise: 'Acme', site: 'hcm', area: 'a', line: 'l', cell: 'c', kind: 'state' as const };
    expect(() => formatTopic(bad)).toThrow(MekongError);
    try {
      formatTopic(bad);
    } catch (error) {
      expect((error as MekongError).code).toBe('MEKONG_INVALID_TOPIC');
    }
  });
});

describe('topic properties', () => {
  it('parseTopic(formatTopic(address)) returns the address', () => {
    fc.assert(
      fc.property(address, (a) => {
        const topic = formatTopic(a);
        expect(topic.startsWith(`${TOPIC_ROOT}/`)).toBe(true);
        expect(topic.split('/')).toHaveLength(8);
        expect(parseTopic(topic)).toEqual({ ok: true, value: a });
      }),
      { numRuns: 300 },
    );
  });

  it('isValidLevelName accepts exactly the documented pattern', () => {
    fc.assert(
      fc.property(levelName, (name) => {
        expect(isValidLevelName(name)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(invalidLevelName, (name) => {
        expect(isValidLevelName(name)).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(isValidLevelName(LINE_LEVEL_CELL)).toBe(false);
  });

  it('an invalid level name anywhere makes the topic invalid, naming that level', () => {
    const levels = ['enterprise', 'site', 'area', 'line', 'cell'] as const;
    fc.assert(
      fc.property(cellAddress, fc.constantFrom(...levels), invalidLevelName, (a, level, name) => {
        fc.pre(!(level === 'cell' && name === LINE_LEVEL_CELL));
        const parts = [a.enterprise, a.site, a.area, a.line, a.cell];
        parts[levels.indexOf(level)] = name;
        const result = parseTopic(`${TOPIC_ROOT}/${parts.join('/')}/${a.kind}`);
        expect(result).toMatchObject({
          ok: false,
          error: { code: 'MEKONG_INVALID_TOPIC', path: ['topic', level] },
        });
      }),
      { numRuns: 300 },
    );
  });

  it('formatTopic refuses an address with an invalid level name', () => {
    fc.assert(
      fc.property(cellAddress, invalidLevelName, (a, name) => {
        expect(() => formatTopic({ ...a, site: name })).toThrow(MekongError);
      }),
    );
  });
});

describe('linePath and cellPath', () => {
  const address = { enterprise: 'acme', site: 'hcm', area: 'assembly', line: 'line-1', cell: 'press-1' };
  it('join the ISA-95 levels with slashes', () => {
    expect(linePath(address)).toBe('acme/hcm/assembly/line-1');
    expect(cellPath(address)).toBe('acme/hcm/assembly/line-1/press-1');
  });
});
