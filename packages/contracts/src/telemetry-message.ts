import type { AlarmPayload } from './payloads/alarm.js';
import type { CountPayload } from './payloads/count.js';
import type { LabourPayload } from './payloads/labour.js';
import type { SensorPayload } from './payloads/sensor.js';
import type { StatePayload } from './payloads/state.js';
import type { CellTopicAddress, LineTopicAddress } from './topic.js';

interface MessageEnvelope<Address, Payload> {
  /** The MQTT topic as received. */
  topic: string;
  address: Address;
  /** The validated payload: `ts` in epoch milliseconds, unknown fields kept as they came. */
  payload: Payload;
  /** The UTC offset of the device's `ts` in minutes, `null` when it sent epoch milliseconds. */
  utcOffsetMinutes: number | null;
}

export type StateMessage = { kind: 'state' } & MessageEnvelope<CellTopicAddress<'state'>, StatePayload>;
export type CountMessage = { kind: 'count' } & MessageEnvelope<CellTopicAddress<'count'>, CountPayload>;
export type SensorMessage = { kind: 'sensor' } & MessageEnvelope<CellTopicAddress<'sensor'>, SensorPayload>;
export type AlarmMessage = { kind: 'alarm' } & MessageEnvelope<CellTopicAddress<'alarm'>, AlarmPayload>;
export type LabourMessage = { kind: 'labour' } & MessageEnvelope<LineTopicAddress<'labour'>, LabourPayload>;

/** A validated message from the MQTT topic tree; `kind` tells which payload it carries. */
export type TelemetryMessage = StateMessage | CountMessage | SensorMessage | AlarmMessage | LabourMessage;
