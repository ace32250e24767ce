import type { TelemetryKind } from './kinds.js';
import type { InfluxFieldValue, InfluxPoint } from './line-protocol.js';
import type { TelemetryMessage } from './telemetry-message.js';
import type { CellAddress, LineAddress } from './topic.js';

/** InfluxDB measurement of each telemetry kind. */
export const INFLUX_MEASUREMENTS = {
  state: 'machine_state',
  count: 'production',
  sensor: 'sensor',
  alarm: 'alarm',
  labour: 'labour',
} as const satisfies Record<TelemetryKind, string>;

const float = (value: number): InfluxFieldValue => ({ type: 'float', value });
const integer = (value: number): InfluxFieldValue => ({ type: 'integer', value });
const text = (value: string): InfluxFieldValue => ({ type: 'string', value });
const boolean = (value: boolean): InfluxFieldValue => ({ type: 'boolean', value });

/**
 * The InfluxDB points of a message. The series (measurement + tags) comes from the topic and the
 * timestamp from the event `ts`, so a duplicate message rewrites the same point. `seq` is an integer
 * field; unknown payload fields are not written.
 */
export function toInfluxPoints(message: TelemetryMessage): InfluxPoint[] {
  const timestampMs = message.payload.ts;
  const seq = integer(message.payload.seq);
  switch (message.kind) {
    case 'state': {
      const { state, reason, product } = message.payload;
      const fields: Record<string, InfluxFieldValue> = { state: text(state) };
      if (reason !== undefined) fields.reason = text(reason);
      if (product !== undefined) fields.product = text(product);
      fields.seq = seq;
      return [
        { measurement: INFLUX_MEASUREMENTS.state, tags: cellTags(message.address), fields, timestampMs },
      ];
    }
    case 'count': {
      const { good, scrap, product } = message.payload;
      const fields = { good: integer(good), scrap: integer(scrap), product: text(product), seq };
      return [
        { measurement: INFLUX_MEASUREMENTS.count, tags: cellTags(message.address), fields, timestampMs },
      ];
    }
    case 'sensor':
      // One point per reading: a sensor's history is one series, tagged with its name and unit.
      return message.payload.readings.map((reading) => ({
        measurement: INFLUX_MEASUREMENTS.sensor,
        tags: { ...cellTags(message.address), name: reading.name, unit: reading.unit },
        fields: { value: float(reading.value), seq },
        timestampMs,
      }));
    case 'alarm': {
      const { code, severity, active, text: alarmText } = message.payload;
      // The code is a tag: two alarms of one cell raised in the same millisecond are two points.
      const fields: Record<string, InfluxFieldValue> = {
        severity: text(severity),
        active: boolean(active),
      };
      if (alarmText !== undefined) fields.text = text(alarmText);
      fields.seq = seq;
      return [
        {
          measurement: INFLUX_MEASUREMENTS.alarm,
          tags: { ...cellTags(message.address), code },
          fields,
          timestampMs,
        },
      ];
    }
    case 'labour': {
      const payload = message.payload;
      const fields: Record<string, InfluxFieldValue> = { event: text(payload.event) };
      const tags = lineTags(message.address);
      // The badge is a tag: shift changes clock many workers in within the same (often whole) second.
      if (payload.event === 'headcount') fields.count = integer(payload.count);
      else tags.worker = payload.worker;
      fields.seq = seq;
      // Labour events belong to the line: the point has no `cell` tag.
      return [{ measurement: INFLUX_MEASUREMENTS.labour, tags, fields, timestampMs }];
    }
  }
}

function lineTags(address: LineAddress): Record<string, string> {
  return { enterprise: address.enterprise, site: address.site, area: address.area, line: address.line };
}

function cellTags(address: CellAddress): Record<string, string> {
  return { ...lineTags(address), cell: address.cell };
}
