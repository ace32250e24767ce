import type * as z from 'zod';
import type { MekongIssue } from './errors.js';
import { parseEventTime } from './event-time.js';
import type { TelemetryKind } from './kinds.js';
import { alarmPayloadSchema } from './payloads/alarm.js';
import { countPayloadSchema } from './payloads/count.js';
import { readPlainlyValidPayload } from './payloads/fast-path.js';
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

// Decoding is stateless between calls (no `stream` option), so one decoder serves every message.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

// `reportInput` lets a missing field be told from a wrong one (zod-issue.ts); zod copies these options.
const schemaParseOptions = { reportInput: true };

const payloadSchemas: { readonly [K in TelemetryKind]: z.ZodType } = {
  state: statePayloadSchema,
  count: countPayloadSchema,
  sensor: sensorPayloadSchema,
  alarm: alarmPayloadSchema,
  labour: labourPayloadSchema,
};

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
    text = utf8Decoder.decode(payload);
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
  const fields = json as Record<string, unknown>;

  // Read once here for the offset; when the schema runs, it reads `ts` again and reports any fault.
  const eventTime = parseEventTime(fields.ts);
  const utcOffsetMinutes = eventTime.ok ? eventTime.value.utcOffsetMinutes : null;
  let validPayload = eventTime.ok
    ? readPlainlyValidPayload(address.kind, fields, eventTime.value.epochMs)
    : undefined;
  if (validPayload === undefined) {
    const parsed = payloadSchemas[address.kind].safeParse(json, schemaParseOptions);
    if (!parsed.success) return fail(issueFromZodError(parsed.error));
    validPayload = parsed.data as TelemetryMessage['payload'];
  }
  // Same fields, in the same order, as the message types declare; the address is ours alone (parseTopic
  // builds a new one per call).
  return ok({
    topic,
    utcOffsetMinutes,
    kind: address.kind,
    address,
    payload: validPayload,
  } as TelemetryMessage);
}

function invalid(code: MekongIssue['code'], message: string): Result<TelemetryMessage> {
  return fail({ code, path: [], message });
}

function jsonTypeName(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  return `a ${typeof json}`;
}
