import { setTimeout as sleep } from 'node:timers/promises';
import { DLQ_KAFKA_TOPIC } from '@mekong/contracts';
import { CachingDefaultPartitioner } from '@mekong/kafka';
import { backoffDelay, errorCode, errorMessage, type Logger } from '@mekong/runtime';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { BridgeError } from '../errors.js';

export interface DlqRecord {
  key: Buffer | string | null;
  value: Buffer | null;
  headers: IHeaders;
}

/**
 * Writes refused records to mekong.dlq.v1 (idempotent, acks = all) and retries until Kafka took them:
 * the offsets of their partition are committed only afterwards, so a refused record is never lost.
 */
export class DlqProducer {
  private readonly producer: Producer;
  private connected = false;
  private aborted = false;

  constructor(
    kafka: Kafka,
    private readonly retryMaxMs: number,
    private readonly logger: Logger,
    private readonly onRetry: () => void = () => {},
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: CachingDefaultPartitioner,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
  }

  async send(records: DlqRecord[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.aborted)
        throw new BridgeError('MEKONG_BRIDGE_ABORTED', 'shutting down before the DLQ took the records');
      try {
        if (!this.connected) {
          await this.producer.connect();
          this.connected = true;
        }
        await this.producer.send({ topic: DLQ_KAFKA_TOPIC, acks: -1, messages: records });
        return;
      } catch (error) {
        this.onRetry();
        const delay = backoffDelay(attempt, { initialMs: 100, maxMs: this.retryMaxMs }, Math.random());
        this.logger.warn(
          {
            event: 'dlq_send_failed',
            code: 'MEKONG_KAFKA_SEND_FAILED',
            kafkaCode: errorCode(error),
            attempt,
            retryInMs: delay,
            records: records.length,
            reason: errorMessage(error),
          },
          'Kafka did not take the DLQ records; retrying before committing their offsets',
        );
        await sleep(delay);
      }
    }
  }

  abort(): void {
    this.aborted = true;
  }

  async close(): Promise<void> {
    this.connected = false;
    await this.producer.disconnect();
  }
}
