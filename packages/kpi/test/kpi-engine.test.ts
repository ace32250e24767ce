import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KpiError } from '../src/errors.js';
import { createKpiEngine, type KpiEngineOptionsInput } from '../src/kpi-engine.js';
import type { KpiEvent } from '../src/kpi-event.js';
import type { KpiRecord } from '../src/kpi-record.js';
import type { MasterDataInput } from '../src/master-data.js';
import {
  eventsArbitrary,
  propertyMaster,
  propertySpanMs,
  propertyStart,
} from './support/event-arbitraries.js';
import { at, cellA, EventScript, lineOne, minuteMs } from './support/event-builders.js';

const master: MasterDataInput = {
  timezone: 'Asia/Ho_Chi_Minh',
  products: [{ id: 'x', idealCycleSeconds: 1 }],
};
const six = at('2026-03-02T06:00:00+07:00');
const clock = (minutes: number) => six + minutes * minuteMs;

function cellHour(records: KpiRecord[]): KpiRecord[] {
  return records.filter((record) => record.level === 'cell' && record.window === 'hour');
}

describe('streaming: provisional, final, revision, late', () => {
  const engine = createKpiEngine(master, {
    windows: ['hour'],
    allowedLatenessMs: 5 * minuteMs,
    emitProvisional: true,
    startMs: six,
  });
  const script = new EventScript(six);

  it('an open window is provisional and covers up to the watermark', () => {
    engine.ingest(script.state(cellA, 0, 'running', 'x'));
    engine.ingest(script.count(cellA, 10, 100, 0));
    const [record] = cellHour(engine.advanceWatermark(clock(30)));
    expect(record).toMatchObject({ status: 'provisional', revision: 0, atSeconds: 1_800, goodUnits: 100 });
    expect(record!.flags).toContain('provisional');
  });

  it('the window is final once the watermark passes its end', () => {
    const [record] = cellHour(engine.advanceWatermark(clock(60)));
    expect(record).toMatchObject({ status: 'final', revision: 1, atSeconds: 3_600, goodUnits: 100 });
  });

  it('a late event inside the allowed lateness revises the final record', () => {
    expect(engine.ingest(script.count(cellA, 58, 50, 0))).toEqual({
      outcome: 'accepted',
      sequenceReset: false,
    });
    const [record] = cellHour(engine.advanceWatermark(clock(61)));
    expect(record).toMatchObject({ status: 'final', revision: 2, goodUnits: 150 });
  });

  it('an event beyond the lateness is counted as late and reported, and changes nothing', () => {
    // Watermark 07:01, lateness 5 min: anything before 06:56 is late; 06:50 is 6 min late.
    expect(engine.ingest(script.count(cellA, 50, 999, 0))).toEqual({
      outcome: 'late',
      lateByMs: 6 * minuteMs,
    });
    const emitted = cellHour(engine.advanceWatermark(clock(62)));
    expect(emitted.map((record) => [record.from, record.status])).toEqual([
      ['2026-03-02T07:00:00+07:00', 'provisional'],
    ]);
    expect(engine.stats().late).toBe(1);
    expect(engine.rejections().at(-1)).toMatchObject({ reason: 'late', tsMs: clock(50) });
  });

  it('records() shows the current record of every window not yet sealed', () => {
    const current = cellHour(engine.records());
    expect(current.map((record) => [record.from, record.status, record.revision, record.goodUnits])).toEqual([
      ['2026-03-02T06:00:00+07:00', 'final', 2, 150],
      // Emitted provisionally at 07:01 (revision 0) and 07:02 (revision 1); unchanged since.
      ['2026-03-02T07:00:00+07:00', 'provisional', 1, 0],
    ]);
  });

  it('a window is sealed and forgotten once all of it is settled', () => {
    const before = engine.stats().openWindows;
    engine.advanceWatermark(clock(70));
    expect(engine.stats().openWindows).toBeLessThan(before);
    expect(cellHour(engine.records()).map((record) => record.from)).toEqual(['2026-03-02T07:00:00+07:00']);
  });
});

describe('streaming: bad and repeated data', () => {
  it.each<[string, (script: EventScript) => KpiEvent, unknown]>([
    ['a duplicate is ignored', (script) => ({ ...script.events[0]! }), { outcome: 'duplicate' }],
    [
      'the same seq at another time is a restarted publisher',
      (script) => ({ ...script.events[0]!, tsMs: clock(3) }),
      { outcome: 'accepted', sequenceReset: true },
    ],
    [
      'a bad path is rejected with a reason',
      (script) => ({ ...script.events[0]!, seq: 99, path: 'acme/hcm' }),
      { outcome: 'rejected', reason: 'invalid_path' },
    ],
  ])('%s', (_name, second, expected) => {
    const engine = createKpiEngine(master, { windows: ['hour'], startMs: six });
    const script = new EventScript(six);
    engine.ingest(script.state(cellA, 0, 'running', 'x'));
    expect(engine.ingest(second(script))).toEqual(expected);
  });

  it('counts each outcome', () => {
    const engine = createKpiEngine(master, { windows: ['hour'], startMs: six });
    const script = new EventScript(six);
    const event = script.state(cellA, 0, 'running', 'x');
    engine.ingest(event);
    engine.ingest(event);
    engine.ingest({ ...event, seq: 5, tsMs: -1 });
    expect(engine.stats()).toMatchObject({
      accepted: 1,
      duplicates: 1,
      rejected: { invalid_timestamp: 1 },
      cells: 1,
      lines: 1,
    });
  });

  it('a silent cell is unknown after the gap, and the record says so', () => {
    const engine = createKpiEngine(
      { ...master, silenceGapSeconds: 600 },
      { windows: ['hour'], startMs: six, allowedLatenessMs: 0 },
    );
    const script = new EventScript(six);
    engine.ingest(script.state(cellA, 0, 'running', 'x'));
    // Heard at 06:00 only: running until 06:10, unknown 06:10–07:00.
    const [record] = cellHour(engine.advanceWatermark(clock(60)));
    expect(record).toMatchObject({ aptSeconds: 600, unknownSeconds: 3_000, availability: 600 / 3_600 });
    expect(record!.flags).toContain('unknown_time');
  });

  it('a stop still shorter than θ at the window end is revised when it grows past θ', () => {
    const engine = createKpiEngine(master, { windows: ['hour'], startMs: six, allowedLatenessMs: 0 });
    const script = new EventScript(six);
    engine.ingest(script.state(cellA, 0, 'running', 'x'));
    engine.ingest(script.state(cellA, 59.5, 'down', 'x'));
    const [first] = cellHour(engine.advanceWatermark(clock(60)));
    expect(first).toMatchObject({ status: 'final', revision: 0, minorSeconds: 30, downSeconds: 0 });
    expect(first!.flags).toContain('stop_classification_pending');
    // No new event: at 07:02 the stop has lasted 150 s ≥ θ, so its first 30 s were downtime.
    const [second] = cellHour(engine.advanceWatermark(clock(62)));
    expect(second).toMatchObject({ revision: 1, minorSeconds: 0, downSeconds: 30, failures: 1 });
    expect(second!.flags).not.toContain('stop_classification_pending');
  });

  it('a count at exactly watermark − lateness is accepted and counted in the window it ends', () => {
    const engine = createKpiEngine(master, { windows: ['hour'], startMs: six, allowedLatenessMs: 0 });
    const script = new EventScript(six);
    engine.ingest(script.state(cellA, 0, 'running', 'x'));
    expect(cellHour(engine.advanceWatermark(clock(60)))).toMatchObject([{ goodUnits: 0 }]);
    expect(engine.ingest(script.count(cellA, 60, 7, 0)).outcome).toBe('accepted');
    const records = cellHour(engine.advanceWatermark(clock(61)));
    expect(records.find((record) => record.fromMs === six)).toMatchObject({ goodUnits: 7, revision: 1 });
    expect(cellHour(engine.finish(clock(120))).map((record) => record.goodUnits)).toEqual([0]);
  });

  it('streaming: a failure decided after its window closed is counted there, once', () => {
    // down 06:45 for 60 s (minor), planned_stop 06:46, down 07:10 for 10 min: one failure, hour 06.
    const engine = createKpiEngine(master, { windows: ['hour'], startMs: six, allowedLatenessMs: 0 });
    const script = new EventScript(six);
    const steps: [number, KpiEvent | null][] = [
      [0, script.state(cellA, 0, 'running', 'x')],
      [45, script.state(cellA, 45, 'down', 'x')],
      [46, script.state(cellA, 46, 'planned_stop', 'x')],
      [70, script.state(cellA, 70, 'down', 'x')],
      [80, script.state(cellA, 80, 'running', 'x')],
    ];
    const latest = new Map<string, KpiRecord>();
    let next = 0;
    for (let minute = 0; minute <= 120; minute++) {
      while (next < steps.length && steps[next]![0] <= minute) engine.ingest(steps[next++]![1]!);
      for (const record of cellHour(engine.advanceWatermark(clock(minute))))
        latest.set(`${record.fromMs}`, record);
    }
    const hours = [...latest.values()].sort((a, b) => a.fromMs - b.fromMs);
    expect(
      hours.map((record) => [record.status, record.failures, record.minorSeconds, record.downSeconds]),
    ).toEqual([
      ['final', 1, 60, 0],
      ['final', 0, 0, 600],
    ]);
  });

  it('records() previews a revision without using it up', () => {
    const engine = createKpiEngine(master, {
      windows: ['hour'],
      startMs: six,
      allowedLatenessMs: 5 * minuteMs,
    });
    const script = new EventScript(six);
    engine.ingest(script.state(cellA, 0, 'running', 'x'));
    expect(cellHour(engine.advanceWatermark(clock(60))).map((record) => record.revision)).toEqual([0]);
    engine.ingest(script.count(cellA, 58, 50, 0));
    const preview = cellHour(engine.records()).find((record) => record.status === 'final');
    expect([preview?.revision, preview?.goodUnits]).toEqual([1, 50]);
    const emitted = cellHour(engine.advanceWatermark(clock(60)));
    expect(emitted.map((record) => [record.revision, record.goodUnits])).toEqual([[1, 50]]);
  });

  it('only the requested levels are reported', () => {
    const engine = createKpiEngine(master, {
      windows: ['hour'],
      levels: ['line'],
      startMs: six,
      allowedLatenessMs: 0,
    });
    const script = new EventScript(six);
    engine.ingest(script.state(cellA, 0, 'running', 'x'));
    engine.ingest(script.headcount(lineOne, 0, 4));
    const records = engine.advanceWatermark(clock(60));
    expect(records.map((record) => [record.level, record.path, record.labourHours])).toEqual([
      ['line', lineOne, 4],
    ]);
  });

  it.each<[string, KpiEngineOptionsInput, string]>([
    [
      'range without bounds',
      { windows: ['range'] },
      'range: window `range` needs range.fromMs and range.toMs',
    ],
    ['an unknown window', { windows: ['fortnight' as 'day'] }, 'windows.0'],
    ['negative lateness', { allowedLatenessMs: -1 }, 'allowedLatenessMs'],
  ])('bad options throw at start-up: %s', (_name, options, text) => {
    expect(() => createKpiEngine(master, options)).toThrow(KpiError);
    expect(() => createKpiEngine(master, options)).toThrow(text);
  });
});

// ---- properties -----------------------------------------------------------------------------------

const lateness = 30 * minuteMs;
const propertyOptions: KpiEngineOptionsInput = {
  windows: ['hour', 'shift'],
  allowedLatenessMs: lateness,
  startMs: propertyStart,
};
const end = propertyStart + propertySpanMs;

/** Latest record of each window and path, without the revision number (which depends on history). */
function latest(records: KpiRecord[]): Map<string, Omit<KpiRecord, 'revision'>> {
  const byKey = new Map<string, KpiRecord>();
  for (const record of records) {
    const key = `${record.level}|${record.path}|${record.window}|${record.fromMs}`;
    const previous = byKey.get(key);
    if (previous === undefined || record.revision >= previous.revision) byKey.set(key, record);
  }
  return new Map([...byKey].map(([key, { revision: _revision, ...rest }]) => [key, rest]));
}

/** Feeds events in time order, the watermark following the events. */
function inOrder(events: KpiEvent[]): Map<string, Omit<KpiRecord, 'revision'>> {
  const engine = createKpiEngine(propertyMaster, propertyOptions);
  const emitted: KpiRecord[] = [];
  for (const event of [...events].sort((a, b) => a.tsMs - b.tsMs)) {
    emitted.push(...engine.advanceWatermark(event.tsMs));
    engine.ingest(event);
  }
  emitted.push(...engine.finish(end));
  return latest(emitted);
}

describe('properties', () => {
  it('KPIs do not depend on the order in which events within the lateness arrive', () => {
    fc.assert(
      fc.property(
        eventsArbitrary.chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.array(fc.integer({ min: 0, max: lateness }), {
              minLength: events.length,
              maxLength: events.length,
            }),
          ),
        ),
        ([events, delays]) => {
          // Each event arrives `delay` after its event time; the watermark follows arrival time.
          const arrivals = events
            .map((event, position) => ({ event, arrivalMs: event.tsMs + delays[position]!, position }))
            .sort((a, b) => a.arrivalMs - b.arrivalMs || a.position - b.position);
          const engine = createKpiEngine(propertyMaster, propertyOptions);
          const emitted: KpiRecord[] = [];
          for (const { event, arrivalMs } of arrivals) {
            // The recording ends at `end`: no watermark may claim to know more than that.
            emitted.push(...engine.advanceWatermark(Math.min(arrivalMs, end)));
            expect(engine.ingest(event).outcome).toBe('accepted');
          }
          emitted.push(...engine.finish(end));
          expect(latest(emitted)).toEqual(inOrder(events));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('duplicates change nothing', () => {
    fc.assert(
      fc.property(
        eventsArbitrary.chain((events) =>
          fc.tuple(fc.constant(events), fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 20 })),
        ),
        ([events, duplicated]) => {
          const sorted = [...events].sort((a, b) => a.tsMs - b.tsMs);
          const engine = createKpiEngine(propertyMaster, propertyOptions);
          const emitted: KpiRecord[] = [];
          for (const event of sorted) {
            emitted.push(...engine.advanceWatermark(event.tsMs));
            engine.ingest(event);
            // Redeliver some earlier events (still within the lateness: the watermark is at most this event).
            for (const position of duplicated) {
              const copy = sorted[position]!;
              if (copy.tsMs <= event.tsMs && copy.tsMs >= event.tsMs - lateness) engine.ingest({ ...copy });
            }
          }
          emitted.push(...engine.finish(end));
          expect(engine.stats().accepted).toBe(events.length);
          expect(latest(emitted)).toEqual(inOrder(events));
        },
      ),
      { numRuns: 120 },
    );
  });
});
