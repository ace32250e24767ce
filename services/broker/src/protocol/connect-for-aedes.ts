import type { IConnectPacket } from 'mqtt-packet';

/**
 * The CONNECT aedes sees for a client's CONNECT, in the client's own protocol version: the gateway has
 * authenticated the client already, so aedes gets the name and the client id the gateway settled on,
 * never the secret. Properties and the will (with its properties) pass unchanged: aedes 2 implements
 * MQTT 5 itself.
 */
export function connectForAedes(packet: IConnectPacket, clientId: string, username: string): IConnectPacket {
  const { password: _secret, ...rest } = packet;
  return { ...rest, clientId, username };
}
