export const kafkaErrorCodes = ['MEKONG_KAFKA_TOPIC_SETUP_FAILED'] as const;

export type KafkaErrorCode = (typeof kafkaErrorCodes)[number];

/** A failure of the shared Kafka plumbing; callers branch on `code`. */
export class KafkaError extends Error {
  readonly code: KafkaErrorCode;

  constructor(code: KafkaErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'KafkaError';
    this.code = code;
  }
}
