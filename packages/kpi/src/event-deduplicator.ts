/**
 * Duplicate detection by publisher + seq. A redelivered message repeats its seq and its event time;
 * the same seq with another event time is a publisher whose counter restarted (a reboot), so it is a
 * new message and is counted as a sequence reset.
 */

export type DeduplicationVerdict = 'new' | 'duplicate' | 'sequence_reset';

/** Missing messages tolerated inside a run before a seq goes to the map instead. */
const maxRunGap = 64;

/**
 * The messages of one publisher still remembered: for each seq, the event times it came with.
 *
 * Publishers count seq up by one per message, so the common case is kept as a run of plain numbers:
 * `runTs[i]` is the one event time of seq `runFirstSeq + i`, NaN when there is none. A seq outside
 * the run, or seen with several event times, is in `others` instead (never in both). This exists for
 * speed and memory only: one number per message instead of one map entry, on every event's path.
 */
class PublisherLog {
  runFirstSeq = 0;
  runTs: number[] = [];
  others: Map<number, number | number[]> | null = null;

  check(seq: number, tsMs: number): DeduplicationVerdict {
    const runIndex = seq - this.runFirstSeq;
    const inRun = runIndex >= 0 && runIndex < this.runTs.length;
    if (inRun) {
      const previous = this.runTs[runIndex]!;
      if (previous === tsMs) return 'duplicate';
      if (!Number.isNaN(previous)) {
        this.runTs[runIndex] = Number.NaN;
        this.otherMap().set(seq, [previous, tsMs]);
        return 'sequence_reset';
      }
    }
    const other = this.others?.get(seq);
    if (other !== undefined) return checkAgainst(this.others!, seq, other, tsMs);
    if (inRun) this.runTs[runIndex] = tsMs;
    else if (!this.extendRun(seq, tsMs)) this.otherMap().set(seq, tsMs);
    return 'new';
  }

  /** Appends a seq just after the run (or starts one); false when the seq does not fit. */
  private extendRun(seq: number, tsMs: number): boolean {
    if (this.runTs.length === 0) this.runFirstSeq = seq;
    const gap = seq - this.runFirstSeq - this.runTs.length;
    if (gap < 0 || gap > maxRunGap) return false;
    for (let missing = 0; missing < gap; missing++) this.runTs.push(Number.NaN);
    this.runTs.push(tsMs);
    return true;
  }

  private otherMap(): Map<number, number | number[]> {
    this.others ??= new Map();
    return this.others;
  }

  forgetBefore(beforeMs: number): void {
    const runTs = this.runTs;
    let firstKept = runTs.length;
    for (let index = 0; index < runTs.length; index++) {
      // NaN < beforeMs is false: compare the other way round so that empty slots count as forgotten.
      if (!(runTs[index]! >= beforeMs)) runTs[index] = Number.NaN;
      else if (firstKept === runTs.length) firstKept = index;
    }
    runTs.splice(0, firstKept);
    this.runFirstSeq += firstKept;
    if (this.others === null) return;
    for (const [seq, ts] of this.others) {
      if (typeof ts === 'number') {
        if (ts < beforeMs) this.others.delete(seq);
      } else {
        const kept = ts.filter((value) => value >= beforeMs);
        if (kept.length === 0) this.others.delete(seq);
        else this.others.set(seq, kept.length === 1 ? kept[0]! : kept);
      }
    }
    if (this.others.size === 0) this.others = null;
  }

  get isEmpty(): boolean {
    return this.runTs.length === 0 && this.others === null;
  }

  get size(): number {
    let size = this.others?.size ?? 0;
    for (const ts of this.runTs) if (!Number.isNaN(ts)) size++;
    return size;
  }
}

function checkAgainst(
  others: Map<number, number | number[]>,
  seq: number,
  previous: number | number[],
  tsMs: number,
): DeduplicationVerdict {
  if (typeof previous === 'number') {
    if (previous === tsMs) return 'duplicate';
    others.set(seq, [previous, tsMs]);
    return 'sequence_reset';
  }
  if (previous.includes(tsMs)) return 'duplicate';
  previous.push(tsMs);
  return 'sequence_reset';
}

export class EventDeduplicator {
  private readonly seen = new Map<string, PublisherLog>();

  /** `tsMs` is an integer (the engine checks events first). */
  check(publisher: string, seq: number, tsMs: number): DeduplicationVerdict {
    let log = this.seen.get(publisher);
    if (log === undefined) {
      log = new PublisherLog();
      this.seen.set(publisher, log);
    }
    return log.check(seq, tsMs);
  }

  /** Forgets messages older than `beforeMs`: a copy of one of them would be late anyway. */
  forgetBefore(beforeMs: number): void {
    for (const [publisher, log] of this.seen) {
      log.forgetBefore(beforeMs);
      if (log.isEmpty) this.seen.delete(publisher);
    }
  }

  get size(): number {
    let size = 0;
    for (const log of this.seen.values()) size += log.size;
    return size;
  }
}
