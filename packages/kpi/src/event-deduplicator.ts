/**
 * Duplicate detection by publisher + seq. A redelivered message repeats its seq and its event time;
 * the same seq with another event time is a publisher whose counter restarted (a reboot), so it is a
 * new message and is counted as a sequence reset.
 */

export type DeduplicationVerdict = 'new' | 'duplicate' | 'sequence_reset';

export class EventDeduplicator {
  private readonly seen = new Map<string, Map<number, number | number[]>>();

  check(publisher: string, seq: number, tsMs: number): DeduplicationVerdict {
    let bySeq = this.seen.get(publisher);
    if (bySeq === undefined) {
      bySeq = new Map();
      this.seen.set(publisher, bySeq);
    }
    const previous = bySeq.get(seq);
    if (previous === undefined) {
      bySeq.set(seq, tsMs);
      return 'new';
    }
    if (typeof previous === 'number') {
      if (previous === tsMs) return 'duplicate';
      bySeq.set(seq, [previous, tsMs]);
      return 'sequence_reset';
    }
    if (previous.includes(tsMs)) return 'duplicate';
    previous.push(tsMs);
    return 'sequence_reset';
  }

  /** Forgets messages older than `beforeMs`: a copy of one of them would be late anyway. */
  forgetBefore(beforeMs: number): void {
    for (const [publisher, bySeq] of this.seen) {
      for (const [seq, ts] of bySeq) {
        if (typeof ts === 'number') {
          if (ts < beforeMs) bySeq.delete(seq);
        } else {
          const kept = ts.filter((value) => value >= beforeMs);
          if (kept.length === 0) bySeq.delete(seq);
          else bySeq.set(seq, kept.length === 1 ? kept[0]! : kept);
        }
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
