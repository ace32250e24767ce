import { type BackoffSettings, backoffDelay } from '@mekong/runtime';
import { type KafkaRecord, recordBytes } from './to-kafka-record.js';

/** Sends one batch and resolves once Kafka acknowledged every record of it (acks = all). */
export type SendBatch = (records: KafkaRecord[]) => Promise<void>;

export interface ForwarderSettings {
  maxBatchRecords: number;
  maxBatchBytes: number;
  lingerMs: number;
  /** Received but not yet acknowledged by Kafka: at either limit the source must stop reading. */
  maxInflightMessages: number;
  maxInflightBytes: number;
  retry: BackoffSettings;
}

export interface ForwarderEvents {
  /** `true`: stop reading the source; `false`: read again (below 3/4 of both limits). */
  onPressure?(full: boolean): void;
  onBatchSent?(info: { records: KafkaRecord[]; bytes: number; durationMs: number; attempts: number }): void;
  onSendFailed?(info: { error: unknown; attempt: number; delayMs: number; records: number }): void;
  onRecovered?(info: { outageMs: number; attempts: number }): void;
}

export interface ForwarderStatus {
  state: 'ok' | 'retrying';
  /** When the current outage began (epoch ms). */
  since?: number;
  attempts?: number;
  lastError?: string;
  inflightMessages: number;
  inflightBytes: number;
  /** True while the source is told to stop reading. */
  full: boolean;
}

export interface ForwarderClock {
  now(): number;
  random(): number;
}

interface Pending {
  record: KafkaRecord;
  ack: () => void;
  bytes: number;
  at: number;
}

const RESUME_FRACTION = 0.75;

/**
 * Batches records for Kafka and calls each record's `ack` (the MQTT PUBACK) only after Kafka
 * acknowledged it. One batch is in flight at a time and a failed batch is retried, whole and first,
 * until it succeeds: records of one key reach Kafka in the order they arrived, and nothing is acked
 * that Kafka does not hold. Memory is bounded by the in-flight limits, signalled through `onPressure`.
 */
export class Forwarder {
  private readonly queue: Pending[] = [];
  private queueBytes = 0;
  private inflightMessages = 0;
  private inflightBytes = 0;
  private sending = false;
  private full = false;
  private closed = false;
  private flushAll = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private wakeRetry: (() => void) | undefined;
  private outage: { since: number; attempts: number; lastError: string } | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly send: SendBatch,
    private readonly settings: ForwarderSettings,
    private readonly events: ForwarderEvents = {},
    private readonly clock: ForwarderClock = { now: Date.now, random: Math.random },
  ) {}

  /** Queues a record; `ack` runs once Kafka holds it. Returns false after `close()` (never acked then). */
  submit(record: KafkaRecord, ack: () => void): boolean {
    if (this.closed) return false;
    const bytes = recordBytes(record);
    this.queue.push({ record, ack, bytes, at: this.clock.now() });
    this.queueBytes += bytes;
    this.inflightMessages += 1;
    this.inflightBytes += bytes;
    this.updatePressure();
    this.schedule();
    return true;
  }

  status(): ForwarderStatus {
    return {
      state: this.outage ? 'retrying' : 'ok',
      ...(this.outage
        ? { since: this.outage.since, attempts: this.outage.attempts, lastError: this.outage.lastError }
        : {}),
      inflightMessages: this.inflightMessages,
      inflightBytes: this.inflightBytes,
      full: this.full,
    };
  }

  /** Sends everything queued without waiting for linger; resolves true once Kafka acked it all, false on timeout. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.flushAll = true;
    this.schedule();
    if (this.inflightMessages === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const drained = await Promise.race([idle, timeout]);
    clearTimeout(timer);
    return drained;
  }

  /** Stops sending. Records not yet acknowledged by Kafka are never acked: the broker delivers them again. */
  close(): void {
    this.closed = true;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.wakeRetry?.();
  }

  private schedule(): void {
    if (this.sending || this.closed || this.queue.length === 0) return;
    const first = this.queue[0];
    if (!first) return;
    const wait = this.batchReady() ? 0 : first.at + this.settings.lingerMs - this.clock.now();
    clearTimeout(this.lingerTimer);
    // Even a ready batch waits for the next turn of the event loop: the packets of one socket read
    // are all submitted before it, and so share a batch.
    this.lingerTimer = setTimeout(
      () => {
        this.lingerTimer = undefined;
        void this.pump();
      },
      Math.max(0, wait),
    );
  }

  private batchReady(): boolean {
    const first = this.queue[0];
    if (!first) return false;
    return (
      this.flushAll ||
      this.queue.length >= this.settings.maxBatchRecords ||
      this.queueBytes >= this.settings.maxBatchBytes ||
      this.clock.now() - first.at >= this.settings.lingerMs
    );
  }

  private takeBatch(): Pending[] {
    let count = 0;
    let bytes = 0;
    for (const pending of this.queue) {
      if (
        count > 0 &&
        (count >= this.settings.maxBatchRecords || bytes + pending.bytes > this.settings.maxBatchBytes)
      )
        break;
      count += 1;
      bytes += pending.bytes;
    }
    this.queueBytes -= bytes;
    return this.queue.splice(0, count);
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (!this.closed && this.batchReady()) {
        const batch = this.takeBatch();
        const sent = await this.sendWithRetry(batch);
        if (!sent) return;
        let bytes = 0;
        for (const pending of batch) {
          bytes += pending.bytes;
          pending.ack();
        }
        this.inflightMessages -= batch.length;
        this.inflightBytes -= bytes;
        this.updatePressure();
      }
    } finally {
      this.sending = false;
    }
    if (this.inflightMessages === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
    this.schedule();
  }

  private async sendWithRetry(batch: Pending[]): Promise<boolean> {
    const records = batch.map((pending) => pending.record);
    const bytes = batch.reduce((sum, pending) => sum + pending.bytes, 0);
    for (let attempt = 1; ; attempt++) {
      if (this.closed) return false;
      const started = this.clock.now();
      try {
        await this.send(records);
        const now = this.clock.now();
        if (this.outage) {
          this.events.onRecovered?.({ outageMs: now - this.outage.since, attempts: this.outage.attempts });
          this.outage = undefined;
        }
        this.events.onBatchSent?.({ records, bytes, durationMs: now - started, attempts: attempt });
        return true;
      } catch (error) {
        const delayMs = backoffDelay(attempt, this.settings.retry, this.clock.random());
        const lastError = error instanceof Error ? error.message : String(error);
        this.outage = {
          since: this.outage?.since ?? started,
          attempts: (this.outage?.attempts ?? 0) + 1,
          lastError,
        };
        this.events.onSendFailed?.({ error, attempt, delayMs, records: records.length });
        await this.pause(delayMs);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeRetry = () => {
        this.wakeRetry = undefined;
        done();
      };
    });
  }

  private updatePressure(): void {
    const { maxInflightMessages, maxInflightBytes } = this.settings;
    if (
      !this.full &&
      (this.inflightMessages >= maxInflightMessages || this.inflightBytes >= maxInflightBytes)
    ) {
      this.full = true;
      this.events.onPressure?.(true);
    } else if (
      this.full &&
      this.inflightMessages <= maxInflightMessages * RESUME_FRACTION &&
      this.inflightBytes <= maxInflightBytes * RESUME_FRACTION
    ) {
      this.full = false;
      this.events.onPressure?.(false);
    }
  }
}
