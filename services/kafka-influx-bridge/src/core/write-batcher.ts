import { type BackoffSettings, backoffDelay } from '@mekong/runtime';
import { BridgeError } from '../errors.js';

/** Why InfluxDB did not take a write. */
export type WriteFailure =
  /** The content: a line it cannot parse (400) or a point it refuses (422: field type conflict, beyond retention). */
  | { kind: 'rejected'; status: number; reason: string }
  /** The request body is too large (413): the batch is split. */
  | { kind: 'too-large'; status: number; reason: string }
  /** Unreachable, overloaded, timed out, unauthorised: the same write is tried again later. */
  | { kind: 'unavailable'; reason: string; retryAfterMs?: number };

export class WriteError extends Error {
  constructor(readonly failure: WriteFailure) {
    super(failure.reason);
    this.name = 'WriteError';
  }
}

/** Writes line-protocol lines in one request; throws `WriteError` when InfluxDB does not accept them all. */
export type WriteLines = (lines: string[]) => Promise<void>;

/** The points of one Kafka record; a record is written or refused as a whole. */
export interface WriteItem {
  lines: string[];
}

export type ItemOutcome = { ok: true } | { ok: false; status: number; reason: string };

export interface WriteBatcherSettings {
  /** Most points (lines) in one write request. */
  maxPoints: number;
  /** How long a point may wait for others to fill its batch, in ms. */
  flushIntervalMs: number;
  /** Write requests in flight at once. */
  concurrency: number;
  retry: BackoffSettings;
}

export interface WriteBatcherEvents {
  onWritten?(info: { points: number; durationMs: number }): void;
  onRetry?(info: { attempt: number; delayMs: number; reason: string; points: number }): void;
  /** `false` when writes start failing, `true` once one succeeds again. */
  onHealthChange?(healthy: boolean): void;
  onSplit?(info: { status: number; reason: string; items: number }): void;
}

export interface WriteBatcherStatus {
  state: 'ok' | 'retrying';
  since?: number;
  attempts?: number;
  lastError?: string;
  pendingPoints: number;
  writesInFlight: number;
}

interface Entry {
  item: WriteItem;
  at: number;
  settle: (outcome: ItemOutcome) => void;
  fail: (error: Error) => void;
}

/**
 * Gathers the records of concurrent `submit` calls (one per Kafka partition batch) into write requests
 * bounded by point count and time, and tells each submitter what became of each of its records:
 *
 * - unavailable: the same request is retried with backoff until it succeeds (or `abort`);
 * - rejected for its content: the request is split in halves until the refused record stands alone,
 *   so one bad record costs a few more requests, never its neighbours (InfluxDB's partial writes
 *   keep the good points; writing them again rewrites the same points).
 */
export class WriteBatcher {
  private queue: Entry[] = [];
  private queuedPoints = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private outage: { since: number; attempts: number; lastError: string } | undefined;
  private aborted: Error | undefined;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly write: WriteLines,
    private readonly settings: WriteBatcherSettings,
    private readonly events: WriteBatcherEvents = {},
    private readonly clock: { now(): number; random(): number } = { now: Date.now, random: Math.random },
  ) {}

  /** Resolves once every item was written or refused; rejects only when the batcher is aborted. */
  submit(items: WriteItem[]): Promise<ItemOutcome[]> {
    if (this.aborted) return Promise.reject(this.aborted);
    const outcomes: ItemOutcome[] = new Array(items.length);
    let remaining = items.length;
    return new Promise<ItemOutcome[]>((resolve, reject) => {
      if (remaining === 0) {
        resolve(outcomes);
        return;
      }
      items.forEach((item, index) => {
        const settle = (outcome: ItemOutcome) => {
          outcomes[index] = outcome;
          remaining -= 1;
          if (remaining === 0) resolve(outcomes);
        };
        if (item.lines.length === 0) {
          settle({ ok: true });
          return;
        }
        this.queue.push({ item, at: this.clock.now(), settle, fail: reject });
        this.queuedPoints += item.lines.length;
      });
      this.schedule();
    });
  }

  status(): WriteBatcherStatus {
    return {
      state: this.outage ? 'retrying' : 'ok',
      ...(this.outage
        ? { since: this.outage.since, attempts: this.outage.attempts, lastError: this.outage.lastError }
        : {}),
      pendingPoints: this.queuedPoints,
      writesInFlight: this.inFlight,
    };
  }

  /** Gives up: queued and retrying writes reject with MEKONG_BRIDGE_ABORTED (their offsets stay uncommitted). */
  abort(reason: string): void {
    this.aborted = new BridgeError('MEKONG_BRIDGE_ABORTED', reason);
    clearTimeout(this.timer);
    const queue = this.queue;
    this.queue = [];
    this.queuedPoints = 0;
    for (const entry of queue) entry.fail(this.aborted);
    for (const wake of this.wakers) wake();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const due = () => {
      const first = this.queue[0];
      return (
        first !== undefined &&
        (this.queuedPoints >= this.settings.maxPoints ||
          this.clock.now() - first.at >= this.settings.flushIntervalMs)
      );
    };
    while (this.inFlight < this.settings.concurrency && due()) this.startWrite(this.take());
    const first = this.queue[0];
    if (first && this.inFlight < this.settings.concurrency) {
      const wait = first.at + this.settings.flushIntervalMs - this.clock.now();
      this.timer = setTimeout(() => this.schedule(), Math.max(0, wait));
    }
  }

  private take(): Entry[] {
    let points = 0;
    let count = 0;
    for (const entry of this.queue) {
      if (count > 0 && points + entry.item.lines.length > this.settings.maxPoints) break;
      points += entry.item.lines.length;
      count += 1;
    }
    const taken = this.queue.splice(0, count);
    this.queuedPoints -= points;
    return taken;
  }

  private startWrite(entries: Entry[]): void {
    this.inFlight += 1;
    this.writeEntries(entries)
      .catch((error: Error) => {
        for (const entry of entries) entry.fail(error);
      })
      .finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
  }

  private async writeEntries(entries: Entry[]): Promise<void> {
    const lines = entries.flatMap((entry) => entry.item.lines);
    for (let attempt = 1; ; attempt++) {
      if (this.aborted) throw this.aborted;
      const started = this.clock.now();
      try {
        await this.write(lines);
        this.events.onWritten?.({ points: lines.length, durationMs: this.clock.now() - started });
        if (this.outage) {
          this.outage = undefined;
          this.events.onHealthChange?.(true);
        }
        for (const entry of entries) entry.settle({ ok: true });
        return;
      } catch (error) {
        const failure: WriteFailure =
          error instanceof WriteError ? error.failure : { kind: 'unavailable', reason: String(error) };
        if (failure.kind === 'rejected' || (failure.kind === 'too-large' && entries.length > 1)) {
          // InfluxDB answered: it is up, whatever it thinks of these lines.
          if (this.outage) {
            this.outage = undefined;
            this.events.onHealthChange?.(true);
          }
          if (entries.length === 1) {
            const [entry] = entries;
            entry?.settle({ ok: false, status: failure.status, reason: failure.reason });
            return;
          }
          this.events.onSplit?.({ status: failure.status, reason: failure.reason, items: entries.length });
          const middle = Math.ceil(entries.length / 2);
          await Promise.all([
            this.writeEntries(entries.slice(0, middle)),
            this.writeEntries(entries.slice(middle)),
          ]);
          return;
        }
        // One record too large for a request on its own is retried like an outage: it needs a
        // larger request limit, not the DLQ.
        const delayMs = Math.max(
          backoffDelay(attempt, this.settings.retry, this.clock.random()),
          failure.kind === 'unavailable' ? (failure.retryAfterMs ?? 0) : 0,
        );
        const wasHealthy = this.outage === undefined;
        this.outage = {
          since: this.outage?.since ?? started,
          attempts: (this.outage?.attempts ?? 0) + 1,
          lastError: failure.reason,
        };
        if (wasHealthy) this.events.onHealthChange?.(false);
        this.events.onRetry?.({ attempt, delayMs, reason: failure.reason, points: lines.length });
        await this.sleep(delayMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
