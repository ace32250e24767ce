import { setTimeout as sleep } from 'node:timers/promises';
import { DLQ_KAFKA_TOPIC } from '@mekong/contracts';
import { createProducer, type KafkaClientSettings, logKafkaEvents, type MekongProducer } from '@mekong/kafka';
import { backoffDelay, errorCode, errorMessage, type Logger } from '@mekong/runtime';
import { BridgeError } from '../errors.js';

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

export interface DlqRecord {
  key: Buffer | string | null;
  value: Buffer | null;
  headers: Record<string, HeaderValue>;
}

/**
 * Writes refused records to mekong.dlq.v1 (idempotent, acks = all) and retries until Kafka took them:
 * the offsets of their partition are committed only afterwards, so a refused record is never lost.
 */
export class DlqProducer {
  private readonly producer: MekongProducer;
  private aborted = false;

  constructor(
    client: KafkaClientSettings,
    private readonly retryMaxMs: number,
    private readonly logger: Logger,
    private readonly onRetry: () => void = () => {},
  ) {
    this.producer = createProducer(client);
    logKafkaEvents(this.producer, logger);
  }

  async send(records: DlqRecord[]): Promise<void> {
    const messages = records.map((record) => ({
      topic: DLQ_KAFKA_TOPIC,
      ...(record.key === null ? {} : { key: record.key }),
      ...(record.value === null ? {} : { value: record.value }),
      headers: singleValued(record.headers),
    }));
    for (let attempt = 1; ; attempt++) {
      if (this.aborted)
        throw new BridgeError('MEKONG_BRIDGE_ABORTED', 'shutting down before the DLQ took the records');
      try {
        await this.producer.send({ messages });
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
    await this.producer.close();
  }
}

/** Headers with one value each (a repeated header keeps its last value); absent ones left out. */
function singleValued(headers: Record<string, HeaderValue>): Record<string, string | Buffer> {
  const single: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(headers)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) single[name] = last;
  }
  return single;
}
