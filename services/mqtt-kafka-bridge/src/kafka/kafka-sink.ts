import { CachingDefaultPartitioner } from '@mekong/kafka';
import { errorCode, errorMessage, type Logger } from '@mekong/runtime';
import { CompressionTypes, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import type { KafkaRecord } from '../core/to-kafka-record.js';

export interface KafkaSinkSettings {
  compression: 'gzip' | 'none';
  /** After this many failed batches in a row the producer is replaced (new producer id, fresh connections). */
  resetAfterFailures: number;
}

/**
 * The Kafka side of the bridge: an idempotent producer (acks = all) that sends one batch at a time.
 * kafkajs retries a request only briefly; the caller retries the whole batch with backoff, so that an
 * outage shows on /health instead of hiding inside the client.
 */
export class KafkaSink {
  private producer: Producer;
  private connected = false;
  private failures = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: KafkaSinkSettings,
    private readonly logger: Logger,
  ) {
    this.producer = this.createProducer();
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  readonly send = async (records: KafkaRecord[]): Promise<void> => {
    try {
      await this.connect();
      await this.producer.sendBatch({
        acks: -1,
        compression: this.settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
        topicMessages: groupByTopic(records),
      });
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      if (this.failures >= this.settings.resetAfterFailures) await this.reset(error);
      throw error;
    }
  };

  async close(): Promise<void> {
    this.connected = false;
    await this.producer.disconnect();
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: CachingDefaultPartitioner,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
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
    this.connected = false;
    await old.disconnect().catch(() => undefined);
  }
}

function groupByTopic(records: KafkaRecord[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const record of records) {
    let entry = byTopic.get(record.topic);
    if (!entry) {
      entry = { topic: record.topic, messages: [] };
      byTopic.set(record.topic, entry);
    }
    entry.messages.push({ key: record.key, value: record.value, headers: record.headers });
  }
  return [...byTopic.values()];
}
