/**
 * Codes the bridge logs and counts. A message that fails the contracts carries the contracts' own
 * code (MEKONG_INVALID_JSON, …) into the DLQ; these are the bridge's own failures.
 */
export const bridgeErrorCodes = [
  'MEKONG_BRIDGE_BAD_CONFIG',
  'MEKONG_MQTT_UNREACHABLE',
  'MEKONG_MQTT_CONNECT_REFUSED',
  'MEKONG_MQTT_SUBSCRIBE_REFUSED',
  'MEKONG_MQTT_SHARED_SUBSCRIPTION_UNAVAILABLE',
  'MEKONG_MQTT_PROTOCOL_ERROR',
  'MEKONG_KAFKA_SEND_FAILED',
  'MEKONG_KAFKA_TOPIC_SETUP_FAILED', // thrown by ensureTopics of @mekong/kafka, as a KafkaError
  'MEKONG_BRIDGE_DRAIN_TIMEOUT',
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
