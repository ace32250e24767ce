import { commitIfStillOwned, logKafkaEvents, type MekongConsumer } from '@mekong/kafka';
import type { Logger } from '@mekong/runtime';
import {
  type Message,
  type MessagesStream,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
} from '@platformatic/kafka';
import type { SourceRecord } from '../core/process-records.js';

/** The part of the consumer the reader uses (a consumer made by `createConsumer`). */
export type ReaderConsumer = Pick<
  MekongConsumer,
  'consume' | 'on' | 'startLagMonitoring' | 'stopLagMonitoring' | 'close' | 'generationId' | 'assignments'
>;

export interface GroupReaderSettings {
  topics: string[];
  /** Where a partition without a committed offset starts. */
  fromBeginning: boolean;
  /** Partitions whose batches are processed at the same time. */
  partitionsConcurrently: number;
  /** Most records handed over in one batch. */
  maxBatchRecords: number;
  /** Records held (received and not yet committed) before fetching pauses. */
  maxBufferedRecords: number;
}

export interface GroupReaderEvents {
  /** Takes a partition's batch to its end; the reader commits its offsets once this resolves. */
  processBatch(records: SourceRecord[]): Promise<void>;
  onJoined(assignments: Array<{ topic: string; partitions: number[] }>): void;
  onCommitted(): void;
  onCommitFailed(error: unknown): void;
  /** The stream failed: the reader is done, the caller starts a new one. */
  onFailed(error: unknown): void;
  onLag(topic: string, partition: number, lag: number): void;
}

type Record = Message<Buffer, Buffer, string, Buffer>;

interface PartitionQueue {
  records: Record[];
  /** The group generation each record was delivered in, beside `records`. */
  generations: number[];
  /** The offset after the last record queued: a record fetched again after a rebalance is skipped. */
  next: bigint;
  busy: boolean;
}

const LAG_INTERVAL_MS = 5_000;

/**
 * A consumer group member that hands each partition's records over in batches, one batch per partition
 * at a time (order within a partition holds), several partitions at once, and commits a batch's offsets
 * only after `processBatch` resolved. Fetching pauses while too many records are held, and on request.
 */
export class GroupReader {
  private stream: MessagesStream<Buffer, Buffer, string, Buffer> | undefined;
  private readonly queues = new Map<string, PartitionQueue>();
  private buffered = 0;
  private active = 0;
  private pausedByCaller = false;
  private closed = false;
  private scheduled = false;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly consumer: ReaderConsumer,
    private readonly settings: GroupReaderSettings,
    private readonly events: GroupReaderEvents,
    logger: Logger,
  ) {
    this.consumer.on('consumer:group:join', (payload) => {
      events.onJoined(
        (payload.assignments ?? []).map(({ topic, partitions }) => ({ topic, partitions: [...partitions] })),
      );
    });
    this.consumer.on('consumer:lag', (lag) => {
      for (const [topic, partitions] of lag) {
        partitions.forEach((value, partition) => {
          if (value >= 0n) events.onLag(topic, partition, Number(value));
        });
      }
    });
    this.consumer.on('consumer:lag:error', () => undefined);
    logKafkaEvents(this.consumer, logger);
  }

  /** Joins the group and starts fetching; rejects when Kafka cannot be reached. */
  async start(): Promise<void> {
    const stream = await this.consumer.consume({
      topics: this.settings.topics,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: this.settings.fromBeginning
        ? MessagesStreamFallbackModes.EARLIEST
        : MessagesStreamFallbackModes.LATEST,
    });
    this.stream = stream;
    stream.on('data', (message: Record) => this.enqueue(message));
    stream.on('error', (error) => {
      if (!this.closed) this.events.onFailed(error);
    });
    this.consumer.startLagMonitoring({ topics: this.settings.topics }, LAG_INTERVAL_MS);
    this.updateFlow();
  }

  /** Stops (or restarts) fetching, e.g. while InfluxDB takes no writes. */
  pause(paused: boolean): void {
    this.pausedByCaller = paused;
    this.updateFlow();
  }

  /** Finishes the batches in progress (processed and committed), then leaves the group. */
  async close(): Promise<void> {
    this.closed = true;
    this.stream?.pause();
    if (this.active > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    this.consumer.stopLagMonitoring();
    await this.stream?.close().catch(() => undefined);
    await this.consumer.close(true);
  }

  private enqueue(message: Record): void {
    const id = `${message.topic}\n${message.partition}`;
    let queue = this.queues.get(id);
    if (!queue) {
      queue = { records: [], generations: [], next: -1n, busy: false };
      this.queues.set(id, queue);
    }
    if (message.offset < queue.next) return;
    queue.next = message.offset + 1n;
    queue.records.push(message);
    queue.generations.push(this.consumer.generationId);
    this.buffered++;
    this.updateFlow();
    // A fetch response arrives as a burst of 'data' events: batches start once the burst is queued,
    // so that a partition's batch holds what was fetched, not its first record alone.
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.schedule();
      });
    }
  }

  private updateFlow(): void {
    const stream = this.stream;
    if (!stream) return;
    const hold = this.closed || this.pausedByCaller || this.buffered >= this.settings.maxBufferedRecords;
    if (hold && !stream.isPaused()) stream.pause();
    else if (!hold && stream.isPaused()) stream.resume();
  }

  private schedule(): void {
    if (this.closed) return;
    for (const queue of this.queues.values()) {
      if (this.active >= this.settings.partitionsConcurrently) return;
      if (queue.busy || queue.records.length === 0) continue;
      const batch = queue.records.splice(0, this.settings.maxBatchRecords);
      const generations = queue.generations.splice(0, batch.length);
      queue.busy = true;
      this.active++;
      void this.run(queue, batch, generations[generations.length - 1] as number);
    }
  }

  private async run(queue: PartitionQueue, batch: Record[], generation: number): Promise<void> {
    try {
      await this.events.processBatch(batch.map(toSourceRecord));
      const last = batch[batch.length - 1] as Record;
      try {
        // Commits the offset after `last` (with its leader epoch) for the group, if the partition is still
        // ours; if it moved in a rebalance, its new owner reads these records again (see owned-commit.ts).
        if (await commitIfStillOwned(this.consumer, last, generation)) this.events.onCommitted();
      } catch (error) {
        this.events.onCommitFailed(error);
      }
    } catch (error) {
      // Not processed (shutting down): never committed, read again by whoever has the partition next.
      if (!this.closed) this.events.onFailed(error);
    } finally {
      queue.busy = false;
      this.active--;
      this.buffered -= batch.length;
      if (this.active === 0) for (const resolve of this.idle) resolve();
      this.updateFlow();
      this.schedule();
    }
  }
}

function toSourceRecord(message: Record): SourceRecord {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset.toString(),
    key: message.key ?? null,
    value: message.value ?? null,
    headers: Object.fromEntries(message.headers),
  };
}
