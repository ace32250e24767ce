/**
 * Codes the bridge logs, counts and writes into DLQ records. A record that fails the contracts carries
 * the contracts' own code (MEKONG_INVALID_JSON, …); one InfluxDB refuses carries
 * MEKONG_INVALID_LINE_PROTOCOL with InfluxDB's reason. These are the bridge's own failures.
 */
export const bridgeErrorCodes = [
  'MEKONG_BRIDGE_BAD_CONFIG',
  'MEKONG_INFLUX_UNREACHABLE',
  'MEKONG_INFLUX_UNAUTHORIZED',
  'MEKONG_INFLUX_WRITE_REJECTED',
  'MEKONG_KAFKA_CONSUMER_FAILED',
  'MEKONG_KAFKA_COMMIT_FAILED',
  'MEKONG_KAFKA_SEND_FAILED',
  'MEKONG_KAFKA_TOPIC_SETUP_FAILED', // thrown by ensureTopics of @mekong/kafka, as a KafkaError
  'MEKONG_BRIDGE_DRAIN_TIMEOUT',
  'MEKONG_BRIDGE_ABORTED',
] as const;

export type BridgeErrorCode = (typeof bridgeErrorCodes)[number];

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;

  constructor(code: BridgeErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
  }
}
