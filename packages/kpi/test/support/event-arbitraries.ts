import fc from 'fast-check';
import type { KpiEvent } from '../../src/kpi-event.js';
import type { MasterDataInput } from '../../src/master-data.js';
import { at, cellA, cellB, hourMs, lineOne } from './event-builders.js';

/** Random recordings for property tests: two cells and their line over ten hours of a Monday. */

export const propertyMaster: MasterDataInput = {
  timezone: 'Asia/Ho_Chi_Minh',
  products: [
    { id: 'x', idealCycleSeconds: 1.5 },
    { id: 'y', idealCycleSeconds: 0.7 },
  ],
  silenceGapSeconds: 900,
  calendars: [
    {
      id: 'two',
      shifts: [
        { id: 'A', start: '06:00', end: '14:00', breaks: [{ start: '10:00', end: '10:20' }] },
        { id: 'B', start: '14:30', end: '22:00' },
      ],
    },
  ],
  defaultCalendar: 'two',
  lines: [{ path: lineOne, bottleneckCell: cellB }],
};
export const propertyStart = at('2026-03-02T05:00:00+07:00');
export const propertySpanMs = 10 * hourMs;

const states = ['running', 'idle', 'down', 'setup', 'planned_stop', 'not_scheduled', 'off'] as const;

export const eventsArbitrary: fc.Arbitrary<KpiEvent[]> = fc
  .array(
    fc.record({
      cell: fc.constantFrom(cellA, cellB),
      atSeconds: fc.integer({ min: 0, max: propertySpanMs / 1000 }),
      kind: fc.constantFrom('state', 'state', 'count', 'labour'),
      state: fc.constantFrom(...states),
      good: fc.integer({ min: 0, max: 50 }),
      scrap: fc.integer({ min: 0, max: 5 }),
      product: fc.constantFrom('x', 'y'),
      worker: fc.constantFrom('w1', 'w2'),
      clockIn: fc.boolean(),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((drafts) =>
    drafts.map((draft, seq): KpiEvent => {
      const envelope = { tsMs: propertyStart + draft.atSeconds * 1000, seq, publisher: 'gen' };
      if (draft.kind === 'labour') {
        return {
          kind: 'labour',
          path: lineOne,
          ...envelope,
          event: draft.clockIn ? 'clock_in' : 'clock_out',
          worker: draft.worker,
        };
      }
      return draft.kind === 'state'
        ? { kind: 'state', path: draft.cell, ...envelope, state: draft.state, product: draft.product }
        : { kind: 'count', path: draft.cell, ...envelope, good: draft.good, scrap: draft.scrap };
    }),
  );
