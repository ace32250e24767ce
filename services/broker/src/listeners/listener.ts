import type { Duplex } from 'node:stream';
import type { Transport } from '../metrics/broker-metrics.js';

/** A bound listener; `close()` stops accepting, connections already open are left to the broker. */
export interface Listener {
  transport: Transport;
  port: number;
  close(): Promise<void>;
}

/** Called for every accepted connection with a byte stream that carries MQTT packets. */
export type AcceptConnection = (stream: Duplex, transport: Transport, remote: string) => void;

export function remoteOf(address: string | undefined, port: number | undefined): string {
  if (!address) return 'unknown';
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
