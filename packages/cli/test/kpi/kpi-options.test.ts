import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseInstantOption, parseLevelOption, parseWindowOption } from '../../src/kpi/kpi-options.js';

describe('parseInstantOption', () => {
  it.each([
    // 06:00 in Ho Chi Minh City (UTC+7) is 23:00 UTC the day before.
    ['2026-03-02T06:00:00+07:00', Date.UTC(2026, 2, 1, 23, 0, 0)],
    ['2026-03-01T23:00:00Z', Date.UTC(2026, 2, 1, 23, 0, 0)],
    ['1772406000000', Date.UTC(2026, 2, 1, 23, 0, 0)],
    [' 0 ', 0],
  ])('reads %j', (text, expected) => {
    expect(parseInstantOption(text)).toBe(expected);
  });

  it.each([
    ['2026-03-02T06:00:00', /no UTC offset/],
    ['yesterday', /not an RFC 3339 time/],
    ['-5', /not an RFC 3339 time/],
  ])('refuses %j and says what it expects', (text, problem) => {
    expect(() => parseInstantOption(text)).toThrow(InvalidArgumentError);
    expect(() => parseInstantOption(text)).toThrow(problem);
  });
});

describe('parseWindowOption and parseLevelOption', () => {
  it('read one kind or a comma-separated list, without repeats', () => {
    expect(parseWindowOption('shift')).toEqual(['shift']);
    expect(parseWindowOption('shift, day,shift')).toEqual(['shift', 'day']);
    expect(parseLevelOption('cell,enterprise')).toEqual(['cell', 'enterprise']);
  });

  it.each([['weekly'], ['shift,weekly'], [''], [',']])(
    'refuse the window %j, listing the choices',
    (text) => {
      expect(() => parseWindowOption(text)).toThrow(
        /expected one of minute, hour, shift, day, month, year, range/,
      );
    },
  );

  it('refuse an unknown level, listing the choices', () => {
    expect(() => parseLevelOption('plant')).toThrow(/expected one of cell, line, site, enterprise/);
  });
});
