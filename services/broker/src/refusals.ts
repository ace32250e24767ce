import type { BrokerErrorCode } from './errors.js';
import { ReasonCode } from './protocol/reason-codes.js';

/** Every way the broker turns a client down; the `reason` label of `mekong_broker_refusals_total`. */
export const refusals = {
  bad_credentials: { code: 'MEKONG_BROKER_BAD_CREDENTIALS', reasonCode: ReasonCode.badUserNameOrPassword },
  not_authorized: { code: 'MEKONG_BROKER_NOT_AUTHORIZED', reasonCode: ReasonCode.notAuthorized },
  /** Too many failed logins of the username or from the address: refused without checking the password. */
  login_throttled: { code: 'MEKONG_BROKER_LOGIN_THROTTLED', reasonCode: ReasonCode.badUserNameOrPassword },
  /** The password checks and their queue are full (CONNACK 0x88 / 3 server unavailable). */
  auth_busy: { code: 'MEKONG_BROKER_AUTH_BUSY', reasonCode: ReasonCode.serverUnavailable },
  topic_not_allowed: { code: 'MEKONG_TOPIC_NOT_ALLOWED', reasonCode: ReasonCode.notAuthorized },
  will_not_allowed: { code: 'MEKONG_TOPIC_NOT_ALLOWED', reasonCode: ReasonCode.notAuthorized },
  retain_not_allowed: { code: 'MEKONG_TOPIC_NOT_ALLOWED', reasonCode: ReasonCode.notAuthorized },
  too_many_subscriptions: {
    code: 'MEKONG_BROKER_TOO_MANY_SUBSCRIPTIONS',
    reasonCode: ReasonCode.quotaExceeded,
  },
  too_many_connections_for_identity: {
    code: 'MEKONG_BROKER_TOO_MANY_CONNECTIONS',
    reasonCode: ReasonCode.quotaExceeded,
  },
  origin_not_allowed: { code: 'MEKONG_BROKER_NOT_AUTHORIZED', reasonCode: ReasonCode.notAuthorized },
  too_many_pending: { code: 'MEKONG_BROKER_TOO_MANY_CONNECTIONS', reasonCode: ReasonCode.quotaExceeded },
  session_taken: {
    code: 'MEKONG_BROKER_CLIENT_ID_REJECTED',
    reasonCode: ReasonCode.clientIdentifierNotValid,
  },
  topic_alias_invalid: { code: 'MEKONG_BROKER_PROTOCOL_ERROR', reasonCode: ReasonCode.topicAliasInvalid },
  subscription_not_allowed: { code: 'MEKONG_TOPIC_NOT_ALLOWED', reasonCode: ReasonCode.notAuthorized },
  client_id_rejected: {
    code: 'MEKONG_BROKER_CLIENT_ID_REJECTED',
    reasonCode: ReasonCode.clientIdentifierNotValid,
  },
  too_many_connections: { code: 'MEKONG_BROKER_TOO_MANY_CONNECTIONS', reasonCode: ReasonCode.quotaExceeded },
  packet_too_large: { code: 'MEKONG_BROKER_PACKET_TOO_LARGE', reasonCode: ReasonCode.packetTooLarge },
  topic_too_long: { code: 'MEKONG_BROKER_TOPIC_TOO_LONG', reasonCode: ReasonCode.topicNameInvalid },
  topic_too_deep: { code: 'MEKONG_BROKER_TOPIC_TOO_DEEP', reasonCode: ReasonCode.topicNameInvalid },
  rate_exceeded: { code: 'MEKONG_BROKER_RATE_EXCEEDED', reasonCode: ReasonCode.quotaExceeded },
  payload_invalid: { code: 'MEKONG_INVALID_PAYLOAD', reasonCode: ReasonCode.payloadFormatInvalid },
  malformed_packet: { code: 'MEKONG_BROKER_MALFORMED_PACKET', reasonCode: ReasonCode.malformedPacket },
  protocol_error: { code: 'MEKONG_BROKER_PROTOCOL_ERROR', reasonCode: ReasonCode.protocolError },
  unsupported_protocol: {
    code: 'MEKONG_BROKER_UNSUPPORTED_PROTOCOL',
    reasonCode: ReasonCode.unsupportedProtocolVersion,
  },
  /** A fault while handling a client's packet: that connection is closed, the process goes on. */
  internal_error: { code: 'MEKONG_BROKER_CONNECTION_FAULT', reasonCode: ReasonCode.malformedPacket },
  connect_timeout: { code: 'MEKONG_BROKER_PROTOCOL_ERROR', reasonCode: ReasonCode.protocolError },
} as const satisfies Record<string, { code: BrokerErrorCode; reasonCode: number }>;

export type RefusalReason = keyof typeof refusals;
export const refusalReasons = Object.keys(refusals) as RefusalReason[];
