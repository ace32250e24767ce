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
