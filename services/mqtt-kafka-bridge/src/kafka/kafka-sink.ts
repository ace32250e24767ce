import { createProducer, type KafkaClientSettings, logKafkaEvents, type MekongProducer } from '@mekong/kafka';
import { errorCode, errorMessage, type Logger } from '@mekong/runtime';
import type { KafkaRecord } from '../core/to-kafka-record.js';

export interface KafkaSinkSettings {
  compression: 'lz4' | 'gzip' | 'none';
  /** After this many failed batches in a row the producer is replaced (new producer id, fresh connections). */
  resetAfterFailures: number;
}

/**
 * The Kafka side of the bridge: an idempotent producer (acks = all) that sends one batch at a time.
 * The client retries a request only briefly; the caller retries the whole batch with backoff, so that
 * an outage shows on /health instead of hiding inside the client. A batch sent again keeps its sequence
 * numbers (they advance only once Kafka acknowledged), so Kafka drops what it already holds.
 */
export class KafkaSink {
  private producer: MekongProducer;
  private failures = 0;

  constructor(
    private readonly client: KafkaClientSettings,
    private readonly settings: KafkaSinkSettings,
    private readonly logger: Logger,
  ) {
    this.producer = this.createProducer();
  }

  /** Resolves once Kafka gave the producer its id: Kafka is reachable and the producer ready. */
  async connect(): Promise<void> {
    await this.producer.initIdempotentProducer({});
  }

  readonly send = async (records: KafkaRecord[]): Promise<void> => {
    try {
      await this.producer.send({ messages: records });
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      if (this.failures >= this.settings.resetAfterFailures) await this.reset(error);
      throw error;
    }
  };

  async close(): Promise<void> {
    await this.producer.close();
  }

  private createProducer(): MekongProducer {
    const producer = createProducer(this.client, { compression: this.settings.compression });
    logKafkaEvents(producer, this.logger);
    return producer;
  }

  // An idempotent producer can be left with sequence numbers the broker no longer accepts (a broker
  // that lost its producer state, OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID); a new producer
  // gets a new id. Records a failed batch did write may then be written again: at least once.
  private async reset(cause: unknown): Promise<void> {
    this.logger.warn(
      {
        event: 'kafka_producer_reset',
        code: errorCode(cause),
        failures: this.failures,
        reason: errorMessage(cause),
      },
      'replacing the Kafka producer after repeated failures',
    );
    this.failures = 0;
    const old = this.producer;
    this.producer = this.createProducer();
    await old.close().catch(() => undefined);
  }
}
