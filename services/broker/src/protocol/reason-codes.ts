/** MQTT 5 reason codes the broker sends (OASIS MQTT 5.0, section 2.4). */
export const ReasonCode = {
  success: 0x00,
  unspecifiedError: 0x80,
  malformedPacket: 0x81,
  protocolError: 0x82,
  unsupportedProtocolVersion: 0x84,
  clientIdentifierNotValid: 0x85,
  badUserNameOrPassword: 0x86,
  notAuthorized: 0x87,
  serverUnavailable: 0x88,
  serverShuttingDown: 0x8b,
  badAuthenticationMethod: 0x8c,
  topicFilterInvalid: 0x8f,
  topicNameInvalid: 0x90,
  receiveMaximumExceeded: 0x93,
  topicAliasInvalid: 0x94,
  packetTooLarge: 0x95,
  messageRateTooHigh: 0x96,
  quotaExceeded: 0x97,
  payloadFormatInvalid: 0x99,
} as const;

export type ReasonCodeValue = (typeof ReasonCode)[keyof typeof ReasonCode];

/** MQTT 3.1.1 CONNACK return codes: the only refusals 3.1.1 can express besides closing. */
export const ConnackReturnCode = {
  accepted: 0,
  unacceptableProtocolVersion: 1,
  identifierRejected: 2,
  serverUnavailable: 3,
  badUserNameOrPassword: 4,
  notAuthorized: 5,
} as const;

/** The 3.1.1 CONNACK code for an MQTT 5 CONNACK reason code. */
export function connackCodeV3(reason: number): number {
  switch (reason) {
    case ReasonCode.success:
      return ConnackReturnCode.accepted;
    case ReasonCode.unsupportedProtocolVersion:
      return ConnackReturnCode.unacceptableProtocolVersion;
    case ReasonCode.clientIdentifierNotValid:
      return ConnackReturnCode.identifierRejected;
    case ReasonCode.badUserNameOrPassword:
      return ConnackReturnCode.badUserNameOrPassword;
    case ReasonCode.notAuthorized:
      return ConnackReturnCode.notAuthorized;
    default:
      return ConnackReturnCode.serverUnavailable;
  }
}
