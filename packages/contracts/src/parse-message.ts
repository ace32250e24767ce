import type * as z from 'zod';
import type { MekongIssue } from './errors.js';
import { parseEventTime } from './event-time.js';
import { alarmPayloadSchema } from './payloads/alarm.js';
import { countPayloadSchema } from './payloads/count.js';
import { labourPayloadSchema } from './payloads/labour.js';
import { sensorPayloadSchema } from './payloads/sensor.js';
import { statePayloadSchema } from './payloads/state.js';
import type { Result } from './result.js';
import { fail, ok } from './result.js';
import type { TelemetryMessage } from './telemetry-message.js';
import { parseTopic } from './topic.js';
import { issueFromZodError } from './zod-issue.js';

/** Largest payload accepted unless the caller says otherwise: 64 KiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

export interface ParseMessageOptions {
  /** Payloads longer than this many bytes are refused before decoding. */
  maxPayloadBytes?: number;
}

/**
 * Validates one MQTT message: topic, size, UTF-8, JSON, then the schema of the topic's kind.
 * Returns the first problem with its code and field path; never throws, whatever it is given.
 */
export function parseMessage(
  topic: string,
  payload: Uint8Array,
  options: ParseMessageOptions = {},
): Result<TelemetryMessage> {
  try {
    return parseUnguarded(topic, payload, options);
  } catch (cause) {
    // Unreachable by design; the guard keeps "bad input never crashes a process" true regardless.
    return fail({
      code: 'MEKONG_INVALID_PAYLOAD',
      path: [],
      message: `payload could not be checked: ${cause instanceof Error ? cause.message : String(cause)}`,
    });
  }
}

function parseUnguarded(
  topic: string,
  payload: Uint8Array,
  options: ParseMessageOptions,
): Result<TelemetryMessage> {
  const parsedTopic = parseTopic(topic);
  if (!parsedTopic.ok) return parsedTopic;
  const address = parsedTopic.value;

  if (!(payload instanceof Uint8Array)) return invalid('MEKONG_INVALID_PAYLOAD', 'payload must be bytes');
  const maxBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (payload.byteLength > maxBytes) {
    return invalid(
      'MEKONG_PAYLOAD_TOO_LARGE',
      `payload is ${payload.byteLength} bytes; the limit is ${maxBytes}`,
    );
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return invalid('MEKONG_INVALID_UTF8', 'payload is not valid UTF-8 text');
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    return invalid('MEKONG_INVALID_JSON', `payload is not valid JSON${detail}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return invalid('MEKONG_INVALID_PAYLOAD', `payload must be a JSON object, got ${jsonTypeName(json)}`);
  }

  // `ts` already passed the schema when this runs, so it is always a valid event time.
  const eventTime = parseEventTime('ts' in json ? json.ts : undefined);
  const utcOffsetMinutes = eventTime.ok ? eventTime.value.utcOffsetMinutes : null;
  const envelope = { topic, utcOffsetMinutes };

  switch (address.kind) {
    case 'state':
      return validate(statePayloadSchema, json, (p) => ({
        ...envelope,
        kind: 'state',
        address: { ...address, kind: 'state' },
        payload: p,
      }));
    case 'count':
      return validate(countPayloadSchema, json, (p) => ({
        ...envelope,
        kind: 'count',
        address: { ...address, kind: 'count' },
        payload: p,
      }));
    case 'sensor':
      return validate(sensorPayloadSchema, json, (p) => ({
        ...envelope,
        kind: 'sensor',
        address: { ...address, kind: 'sensor' },
        payload: p,
      }));
    case 'alarm':
      return validate(alarmPayloadSchema, json, (p) => ({
        ...envelope,
        kind: 'alarm',
        address: { ...address, kind: 'alarm' },
        payload: p,
      }));
    case 'labour':
      return validate(labourPayloadSchema, json, (p) => ({
        ...envelope,
        kind: 'labour',
        address: { ...address, kind: 'labour' },
        payload: p,
      }));
  }
}

function validate<S extends z.ZodType>(
  schema: S,
  json: object,
  toMessage: (payload: z.output<S>) => TelemetryMessage,
): Result<TelemetryMessage> {
  const parsed = schema.safeParse(json, { reportInput: true });
  return parsed.success ? ok(toMessage(parsed.data)) : fail(issueFromZodError(parsed.error));
}

function invalid(code: MekongIssue['code'], message: string): Result<TelemetryMessage> {
  return fail({ code, path: [], message });
}

function jsonTypeName(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  return `a ${typeof json}`;
}
