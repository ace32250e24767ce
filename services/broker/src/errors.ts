/**
 * Codes the broker logs and counts. Where the contracts already name a failure (a topic outside the
 * tree, a payload that fails its schema) the broker uses the contracts' code; the rest are its own.
 */
export const brokerErrorCodes = [
  'MEKONG_BROKER_BAD_CREDENTIALS',
  'MEKONG_BROKER_NOT_AUTHORIZED',
  'MEKONG_BROKER_LOGIN_THROTTLED',
  'MEKONG_BROKER_AUTH_BUSY',
  'MEKONG_BROKER_CLIENT_ID_REJECTED',
  'MEKONG_BROKER_PACKET_TOO_LARGE',
  'MEKONG_BROKER_TOPIC_TOO_LONG',
  'MEKONG_BROKER_TOPIC_TOO_DEEP',
  'MEKONG_BROKER_RATE_EXCEEDED',
  'MEKONG_BROKER_INFLIGHT_EXCEEDED',
  'MEKONG_BROKER_TOO_MANY_CONNECTIONS',
  'MEKONG_BROKER_TOO_MANY_SUBSCRIPTIONS',
  'MEKONG_BROKER_MALFORMED_PACKET',
  'MEKONG_BROKER_PROTOCOL_ERROR',
  'MEKONG_BROKER_CONNECTION_FAULT',
  'MEKONG_BROKER_UNSUPPORTED_PROTOCOL',
  'MEKONG_BROKER_BAD_CONFIG',
  'MEKONG_BROKER_CREDENTIALS_FILE',
  'MEKONG_TOPIC_NOT_ALLOWED',
  'MEKONG_INVALID_TOPIC',
  'MEKONG_INVALID_PAYLOAD',
] as const;

export type BrokerErrorCode = (typeof brokerErrorCodes)[number];

/** A start-up or administration failure (bad config, unreadable credentials file). */
export class BrokerError extends Error {
  readonly code: BrokerErrorCode;

  constructor(code: BrokerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'BrokerError';
    this.code = code;
  }
}
