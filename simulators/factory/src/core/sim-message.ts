/** A JSON value, as it goes on the wire. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One message as a device sends it. The core yields these in `sendAtMs` order. */
export interface SimMessage {
  topic: string;
  payload: JsonValue;
  /** True event time (the simulated instant the message describes), epoch ms. */
  tsMs: number;
  /** Simulated instant the device sends it: `tsMs`, or later when it was held (disconnect, outage). */
  sendAtMs: number;
  /** Publisher index: cells first in plan order, then one labour publisher per line. */
  device: number;
}
