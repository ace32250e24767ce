import { describe, expectTypeOf, it } from 'vitest';
import type { LabourPayload } from '../src/payloads/labour.js';
import type { SensorPayload } from '../src/payloads/sensor.js';
import type { LabourMessage, SensorMessage, TelemetryMessage } from '../src/telemetry-message.js';

describe('TelemetryMessage', () => {
  it('narrows on kind to the payload and address of that kind', () => {
    const narrow = (message: TelemetryMessage) => {
      if (message.kind === 'sensor') {
        expectTypeOf(message).toEqualTypeOf<SensorMessage>();
        expectTypeOf(message.payload).toEqualTypeOf<SensorPayload>();
        expectTypeOf(message.address.cell).toEqualTypeOf<string>();
      }
      if (message.kind === 'labour') {
        expectTypeOf(message).toEqualTypeOf<LabourMessage>();
        expectTypeOf(message.payload).toEqualTypeOf<LabourPayload>();
        expectTypeOf(message.address).not.toHaveProperty('cell');
      }
      expectTypeOf(message.payload.ts).toEqualTypeOf<number>();
      expectTypeOf(message.utcOffsetMinutes).toEqualTypeOf<number | null>();
    };
    expectTypeOf(narrow).toBeFunction();
  });
});
