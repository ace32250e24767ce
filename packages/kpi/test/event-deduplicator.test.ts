import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventDeduplicator } from '../src/event-deduplicator.js';

describe('EventDeduplicator', () => {
  it('tells new, duplicate and sequence reset apart', () => {
    const deduplicator = new EventDeduplicator();
    const verdicts = [
      deduplicator.check('p1', 1, 100),
      deduplicator.check('p1', 1, 100), // redelivery
      deduplicator.check('p2', 1, 100), // another publisher
      deduplicator.check('p1', 1, 900), // p1 restarted its counter
      deduplicator.check('p1', 1, 900), // redelivery after the restart
      deduplicator.check('p1', 2, 100),
    ];
    expect(verdicts).toEqual(['new', 'duplicate', 'new', 'sequence_reset', 'duplicate', 'new']);
  });

  it('forgets old messages', () => {
    const deduplicator = new EventDeduplicator();
    deduplicator.check('p1', 1, 100);
    deduplicator.check('p1', 1, 900);
    deduplicator.check('p1', 2, 200);
    deduplicator.forgetBefore(500);
    expect(deduplicator.size).toBe(1);
    expect(deduplicator.check('p1', 2, 200)).toBe('new');
    expect(deduplicator.check('p1', 1, 900)).toBe('duplicate');
  });
});

/** The plain map the run-and-map layout replaced: seq → every event time seen with it. */
class ReferenceDeduplicator {
  private readonly seen = new Map<string, Map<number, number[]>>();

  check(publisher: string, seq: number, tsMs: number): string {
    let bySeq = this.seen.get(publisher);
    if (bySeq === undefined) {
      bySeq = new Map();
      this.seen.set(publisher, bySeq);
    }
    const previous = bySeq.get(seq);
    if (previous === undefined) {
      bySeq.set(seq, [tsMs]);
      return 'new';
    }
    if (previous.includes(tsMs)) return 'duplicate';
    previous.push(tsMs);
    return 'sequence_reset';
  }

  forgetBefore(beforeMs: number): void {
    for (const [publisher, bySeq] of this.seen) {
      for (const [seq, ts] of bySeq) {
        const kept = ts.filter((value) => value >= beforeMs);
        if (kept.length === 0) bySeq.delete(seq);
        else bySeq.set(seq, kept);
      }
      if (bySeq.size === 0) this.seen.delete(publisher);
    }
  }

  get size(): number {
    let size = 0;
    for (const bySeq of this.seen.values()) size += bySeq.size;
    return size;
  }
}

describe('EventDeduplicator against a plain map (property)', () => {
  // Mostly counting up with gaps, restarts and redeliveries, as devices do; times in seconds.
  const step = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ op: fc.constant('next' as const), skip: fc.nat(3), publisher: fc.nat(2) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('bigJump' as const),
        skip: fc.integer({ min: 60, max: 200 }),
        publisher: fc.nat(2),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('again' as const), back: fc.nat(10), publisher: fc.nat(2) }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), publisher: fc.nat(2) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('forget' as const), back: fc.nat(30) }) },
  );

  it('gives the same verdicts and keeps as many messages', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const fast = new EventDeduplicator();
        const reference = new ReferenceDeduplicator();
        const nextSeq = [0, 0, 0];
        const history: [string, number, number][] = [];
        let now = 0;
        for (const s of steps) {
          now += 1000;
          if (s.op === 'forget') {
            fast.forgetBefore(now - s.back * 1000);
            reference.forgetBefore(now - s.back * 1000);
            expect(fast.size).toBe(reference.size);
            continue;
          }
          let message: [string, number, number];
          if (s.op === 'again') {
            message = history[Math.max(0, history.length - 1 - s.back)] ?? [`p${s.publisher}`, 0, now];
          } else {
            if (s.op === 'restart') nextSeq[s.publisher] = 0;
            else nextSeq[s.publisher]! += s.skip;
            message = [`p${s.publisher}`, nextSeq[s.publisher]!++, now];
          }
          history.push(message);
          expect(fast.check(...message)).toBe(reference.check(...message));
        }
        expect(fast.size).toBe(reference.size);
      }),
      { numRuns: 300 },
    );
  });
});
