import { describe, expect, it } from 'vitest';
import { KpiError } from '../src/errors.js';
import { masterDataJsonSchema, minutesAfter, parseMasterData } from '../src/master-data.js';

const simplest = { timezone: 'Asia/Ho_Chi_Minh', products: [{ id: 'bracket-a', idealCycleSeconds: 1.0 }] };

describe('parseMasterData', () => {
  it('the simplest form is valid and gets the defaults', () => {
    expect(parseMasterData(simplest)).toEqual({
      timezone: 'Asia/Ho_Chi_Minh',
      products: [{ id: 'bracket-a', idealCycleSeconds: 1, cells: [] }],
      minorStopThresholdSeconds: 120,
      calendars: [],
      lines: [],
      financials: [],
    });
  });

  it('a full form is valid', () => {
    const master = parseMasterData({
      ...simplest,
      minorStopThresholdSeconds: 90,
      silenceGapSeconds: 300,
      calendars: [
        {
          id: 'three-shift',
          shifts: [
            {
              id: 'A',
              start: '06:00',
              end: '14:00',
              breaks: [{ name: 'meal', start: '10:00', end: '10:30' }],
            },
            { id: 'C', start: '22:00', end: '06:00', breaks: [{ start: '02:00', end: '02:30' }] },
          ],
          nonWorkingWeekdays: ['sunday'],
          holidays: ['2026-04-30', '2026-05-01'],
        },
      ],
      defaultCalendar: 'three-shift',
      lines: [
        {
          path: 'acme/hcm/assembly/line-1',
          bottleneckCell: 'acme/hcm/assembly/line-1/press-2',
          outputCell: 'acme/hcm/assembly/line-1/pack-1',
          roster: { headcount: 24, labourSource: 'clock' },
        },
      ],
      financials: [
        {
          path: 'acme',
          period: '2026-03',
          grossOutputVnd: 5e9,
          intermediateConsumptionVnd: 3e9,
          priceIndex: 1.04,
        },
      ],
    });
    expect(master.calendars[0]!.shifts[1]!.breaks).toHaveLength(1);
  });

  it.each([
    ['unknown time zone', { ...simplest, timezone: 'Asia/Saigon_City' }, 'timezone: unknown IANA time zone'],
    ['no product', { timezone: 'UTC', products: [] }, 'products'],
    [
      'zero ideal cycle',
      { timezone: 'UTC', products: [{ id: 'a', idealCycleSeconds: 0 }] },
      'products.0.idealCycleSeconds',
    ],
    ['a misspelt field', { ...simplest, minorStopTreshold: 60 }, 'minorStopTreshold'],
    ['an unknown calendar', { ...simplest, defaultCalendar: 'x' }, 'defaultCalendar: no calendar with id x'],
    [
      'a break outside its shift',
      {
        ...simplest,
        calendars: [
          {
            id: 'c',
            shifts: [{ id: 'A', start: '06:00', end: '14:00', breaks: [{ start: '15:00', end: '15:15' }] }],
          },
        ],
      },
      'calendars.0.shifts.0.breaks.0: break 15:00–15:15 is not inside shift 06:00–14:00',
    ],
    [
      'a bad clock time',
      { ...simplest, calendars: [{ id: 'c', shifts: [{ id: 'A', start: '6:00', end: '14:00' }] }] },
      'calendars.0.shifts.0.start',
    ],
    [
      'a bottleneck on another line',
      { ...simplest, lines: [{ path: 'a/b/c/d', bottleneckCell: 'a/b/c/e/f' }] },
      'lines.0.bottleneckCell: expected a cell path under a/b/c/d',
    ],
    [
      'a bad period',
      {
        ...simplest,
        financials: [
          {
            path: 'acme',
            period: '2026-13',
            grossOutputVnd: 1,
            intermediateConsumptionVnd: 0,
            priceIndex: 1,
          },
        ],
      },
      'financials.0.period',
    ],
  ])('rejects %s, naming the field', (_name, input, expectedText) => {
    expect(() => parseMasterData(input)).toThrow(KpiError);
    expect(() => parseMasterData(input)).toThrow(expectedText);
  });

  it('minutesAfter wraps at midnight', () => {
    expect([
      minutesAfter('22:00', '06:00'),
      minutesAfter('06:00', '14:00'),
      minutesAfter('06:00', '06:00'),
    ]).toEqual([480, 480, 0]);
  });
});

describe('masterDataJsonSchema', () => {
  it('describes the file with the required fields and defaults', () => {
    const schema = masterDataJsonSchema() as {
      type: string;
      required: string[];
      properties: Record<string, { default?: unknown; description?: string }>;
    };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['timezone', 'products']);
    expect(schema.properties.minorStopThresholdSeconds?.default).toBe(120);
    expect(schema.properties.timezone?.description).toContain('Asia/Ho_Chi_Minh');
  });
});
