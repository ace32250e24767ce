import type { ScenarioInput } from '../../src/scenario/schema.js';

/**
 * One line, one 8-hour shift (06:00–14:00) with a 15-min tea break at 08:00, a 30-min meal at 10:00
 * and a 15-min tea break at 12:00; every distribution fixed, so the tests derive the truth by hand.
 * Cell `press`: ICT 1 s, 10 % speed loss, exactly 2 % scrap, a failure after 12,500 s of running that
 * takes 2,820 s (47 min) to repair, a 60 s minor stop every 4,000 s of running.
 * Cell `pack`: ICT 2 s, never stops, no scrap.
 */
export function handScenario(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    name: 'hand',
    enterprise: 'acme',
    start: '2026-03-02T00:00:00+07:00',
    duration: 86_400,
    minorStopThreshold: 120,
    countInterval: 60,
    sensorInterval: 600,
    calendars: {
      one: {
        shifts: [
          {
            name: 'a',
            start: '06:00',
            end: '14:00',
            breaks: [
              { name: 'tea', start: '08:00', end: '08:15' },
              { name: 'meal', start: '10:00', end: '10:30' },
              { name: 'tea', start: '12:00', end: '12:15' },
            ],
          },
        ],
      },
    },
    sites: [
      {
        id: 'hcm',
        timeZone: 'Asia/Ho_Chi_Minh',
        calendar: 'one',
        areas: [
          {
            id: 'assembly',
            lines: [
              {
                id: 'line-1',
                workforce: {
                  people: 3,
                  clockInEarly: { dist: 'fixed', value: 600 },
                  clockOutLate: { dist: 'fixed', value: 300 },
                },
                cells: [
                  {
                    id: 'press',
                    products: [
                      {
                        id: 'bracket',
                        idealCycleTime: 1,
                        scrapRate: 0.02,
                        scrapMode: 'exact',
                        speedLoss: { dist: 'fixed', value: 0.1 },
                      },
                    ],
                    failures: {
                      timeBetween: { dist: 'fixed', value: 12_500 },
                      timeToRepair: { dist: 'fixed', value: 2_820 },
                      alarm: { code: 'E-PRESS', severity: 'critical' },
                    },
                    minorStops: {
                      timeBetween: { dist: 'fixed', value: 4_000 },
                      duration: { dist: 'fixed', value: 60 },
                    },
                    sensors: [{ name: 'temperature', kind: 'temperature' }],
                  },
                  { id: 'pack', products: [{ id: 'box', idealCycleTime: 2 }] },
                ],
              },
            ],
          },
        ],
      },
    ],
    ...overrides,
  };
}
