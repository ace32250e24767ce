import { readFile } from 'node:fs/promises';
import { type TopicSettings, topicSettingsEnv, topicSettingsFromEnv } from '@mekong/kafka';
import { env, loadConfig } from '@mekong/runtime';
import * as z from 'zod';
import { BridgeError } from './errors.js';

/** Every setting of the MQTT → Kafka bridge as an environment variable, with its default. */
export const mqttKafkaEnvSchema = z.object({
  MEKONG_MQTT_URL: z
    .string()
    .default('mqtt://localhost:1883')
    .describe('broker to read from: mqtt://host:port or mqtts://host:port (IPv6 as mqtt://[::1]:1883)'),
  MEKONG_MQTT_USERNAME: z.string().optional().describe('MQTT username of the bridge (a service account)'),
  MEKONG_MQTT_PASSWORD: z.string().optional().describe('MQTT password of the bridge'),
  MEKONG_MQTT_PASSWORD_FILE: z.string().optional().describe('file holding the MQTT password'),
  MEKONG_MQTT_CA_FILE: z
    .string()
    .optional()
    .describe('PEM CA bundle to trust for mqtts:// (default: system CAs)'),
  MEKONG_MQTT_PROTOCOL: z
    .enum(['5', '3.1.1'])
    .default('5')
    .describe('MQTT protocol version: 5 (session expiry, receive maximum) or 3.1.1 (clean session off)'),
  MEKONG_MQTT_CLIENT_ID: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'fixed MQTT client id, one per instance: the broker keeps the session (and what it has not delivered) under it (default <username>-mqtt-kafka, or mekong-mqtt-kafka)',
    ),
  MEKONG_MQTT_TOPIC_FILTERS: env
    .list('mekong/v1/#')
    .describe(
      'topic filters to forward, comma-separated; give each instance its own share (mekong/v1/acme/hcm/#, …) or a $share/<group>/… filter where the broker supports MQTT 5 shared subscriptions',
    ),
  MEKONG_MQTT_SESSION_EXPIRY_S: env
    .positiveInt(7 * 24 * 3600)
    .describe('MQTT 5: how long the broker keeps the session while the bridge is away, in seconds'),
  MEKONG_MQTT_KEEPALIVE_S: env.positiveInt(30).describe('MQTT keep-alive, in seconds'),
  MEKONG_KAFKA_BROKERS: env
    .list('localhost:9092')
    .describe('Kafka bootstrap servers, host:port comma-separated'),
  MEKONG_KAFKA_CLIENT_ID: z
    .string()
    .default('mekong-mqtt-kafka-bridge')
    .describe('Kafka client id, shown in broker logs and quotas'),
  MEKONG_KAFKA_COMPRESSION: z
    .enum(['lz4', 'gzip', 'none'])
    .default('lz4')
    .describe('compression of record batches: lz4 (cheapest per record), gzip or none'),
  ...topicSettingsEnv,
  MEKONG_MQTT_KAFKA_BATCH_MAX_RECORDS: env
    .positiveInt(2_000)
    .describe('most records in one Kafka produce request'),
  MEKONG_MQTT_KAFKA_BATCH_MAX_BYTES: env
    .positiveInt(1024 * 1024)
    .describe('most bytes (keys, values, headers) in one Kafka produce request'),
  MEKONG_MQTT_KAFKA_LINGER_MS: env
    .nonNegativeInt(5)
    .describe('how long a record may wait for others to fill its batch, in ms'),
  MEKONG_MQTT_KAFKA_MAX_INFLIGHT_MESSAGES: env
    .positiveInt(20_000)
    .describe(
      'messages received but not yet acknowledged by Kafka; at the limit the bridge stops reading MQTT',
    ),
  MEKONG_MQTT_KAFKA_MAX_INFLIGHT_BYTES: env
    .positiveInt(64 * 1024 * 1024)
    .describe('bytes received but not yet acknowledged by Kafka; at the limit the bridge stops reading MQTT'),
  MEKONG_MQTT_KAFKA_MAX_PAYLOAD_BYTES: env
    .positiveInt(64 * 1024)
    .describe('larger payloads go to the DLQ as MEKONG_PAYLOAD_TOO_LARGE'),
  MEKONG_MQTT_KAFKA_DLQ_MAX_VALUE_BYTES: env
    .positiveInt(512 * 1024)
    .describe(
      'a DLQ record keeps at most this many bytes of the original payload (its full size in a header)',
    ),
  MEKONG_MQTT_KAFKA_RETRY_MAX_MS: env
    .positiveInt(10_000)
    .describe('longest pause between two attempts to reach Kafka, in ms'),
  MEKONG_MQTT_KAFKA_HTTP_PORT: env
    .port(9102)
    .describe('HTTP port of /health and /metrics (0 = any free port)'),
  MEKONG_MQTT_KAFKA_HTTP_HOST: z.string().default('::').describe('address of /health and /metrics'),
  MEKONG_MQTT_KAFKA_DRAIN_TIMEOUT_MS: env
    .nonNegativeInt(15_000)
    .describe('on shutdown, how long to wait for Kafka to acknowledge what was received'),
  MEKONG_LOG_LEVEL: env.logLevel().describe('log level'),
  MEKONG_LOG_FORMAT: env
    .logFormat()
    .describe('log lines: json (for machines), pretty (for people), auto (pretty on a terminal)'),
});

export interface MqttKafkaBridgeConfig {
  mqtt: {
    url: string;
    username?: string;
    password?: string;
    caFile?: string;
    protocolVersion: 4 | 5;
    clientId: string;
    topicFilters: string[];
    sessionExpiryS: number;
    keepaliveS: number;
  };
  kafka: {
    brokers: string[];
    clientId: string;
    compression: 'lz4' | 'gzip' | 'none';
    topics: TopicSettings;
  };
  batch: { maxRecords: number; maxBytes: number; lingerMs: number };
  inflight: { maxMessages: number; maxBytes: number };
  maxPayloadBytes: number;
  dlqMaxValueBytes: number;
  retryMaxMs: number;
  http: { port: number; host: string };
  drainTimeoutMs: number;
  logLevel: string;
}

type ParsedEnv = z.output<typeof mqttKafkaEnvSchema>;

/** A complete configuration from the defaults; tests and `mekong start` adjust the result. */
export function defaultMqttKafkaConfig(): MqttKafkaBridgeConfig {
  return fromParsedEnv(loadConfig(mqttKafkaEnvSchema, {}), undefined);
}

/** The configuration from `MEKONG_MQTT_*` / `MEKONG_KAFKA_*` variables; a bad one throws naming it. */
export async function mqttKafkaConfigFromEnv(
  environment: NodeJS.ProcessEnv = process.env,
): Promise<MqttKafkaBridgeConfig> {
  const parsed = loadConfig(mqttKafkaEnvSchema, environment);
  let password = parsed.MEKONG_MQTT_PASSWORD;
  if (parsed.MEKONG_MQTT_PASSWORD_FILE) {
    try {
      password = (await readFile(parsed.MEKONG_MQTT_PASSWORD_FILE, 'utf8')).replace(/\r?\n$/, '');
    } catch (cause) {
      throw new BridgeError(
        'MEKONG_BRIDGE_BAD_CONFIG',
        `MEKONG_MQTT_PASSWORD_FILE: cannot read ${parsed.MEKONG_MQTT_PASSWORD_FILE}`,
        { cause },
      );
    }
  }
  return fromParsedEnv(parsed, password);
}

function fromParsedEnv(parsed: ParsedEnv, password: string | undefined): MqttKafkaBridgeConfig {
  const url = parsed.MEKONG_MQTT_URL;
  if (!/^mqtts?:\/\//.test(url)) {
    throw new BridgeError(
      'MEKONG_BRIDGE_BAD_CONFIG',
      `MEKONG_MQTT_URL: "${url}" must start with mqtt:// or mqtts://`,
    );
  }
  if (parsed.MEKONG_MQTT_TOPIC_FILTERS.length === 0) {
    throw new BridgeError('MEKONG_BRIDGE_BAD_CONFIG', 'MEKONG_MQTT_TOPIC_FILTERS: give at least one filter');
  }
  if (parsed.MEKONG_MQTT_KAFKA_BATCH_MAX_BYTES > parsed.MEKONG_MQTT_KAFKA_MAX_INFLIGHT_BYTES) {
    throw new BridgeError(
      'MEKONG_BRIDGE_BAD_CONFIG',
      'MEKONG_MQTT_KAFKA_BATCH_MAX_BYTES must not exceed MEKONG_MQTT_KAFKA_MAX_INFLIGHT_BYTES',
    );
  }
  return {
    mqtt: {
      url,
      ...(parsed.MEKONG_MQTT_USERNAME ? { username: parsed.MEKONG_MQTT_USERNAME } : {}),
      ...(password ? { password } : {}),
      ...(parsed.MEKONG_MQTT_CA_FILE ? { caFile: parsed.MEKONG_MQTT_CA_FILE } : {}),
      protocolVersion: parsed.MEKONG_MQTT_PROTOCOL === '5' ? 5 : 4,
      clientId:
        parsed.MEKONG_MQTT_CLIENT_ID ??
        (parsed.MEKONG_MQTT_USERNAME ? `${parsed.MEKONG_MQTT_USERNAME}-mqtt-kafka` : 'mekong-mqtt-kafka'),
      topicFilters: parsed.MEKONG_MQTT_TOPIC_FILTERS,
      sessionExpiryS: parsed.MEKONG_MQTT_SESSION_EXPIRY_S,
      keepaliveS: parsed.MEKONG_MQTT_KEEPALIVE_S,
    },
    kafka: {
      brokers: parsed.MEKONG_KAFKA_BROKERS,
      clientId: parsed.MEKONG_KAFKA_CLIENT_ID,
      compression: parsed.MEKONG_KAFKA_COMPRESSION,
      topics: topicSettingsFromEnv(parsed),
    },
    batch: {
      maxRecords: parsed.MEKONG_MQTT_KAFKA_BATCH_MAX_RECORDS,
      maxBytes: parsed.MEKONG_MQTT_KAFKA_BATCH_MAX_BYTES,
      lingerMs: parsed.MEKONG_MQTT_KAFKA_LINGER_MS,
    },
    inflight: {
      maxMessages: parsed.MEKONG_MQTT_KAFKA_MAX_INFLIGHT_MESSAGES,
      maxBytes: parsed.MEKONG_MQTT_KAFKA_MAX_INFLIGHT_BYTES,
    },
    maxPayloadBytes: parsed.MEKONG_MQTT_KAFKA_MAX_PAYLOAD_BYTES,
    dlqMaxValueBytes: parsed.MEKONG_MQTT_KAFKA_DLQ_MAX_VALUE_BYTES,
    retryMaxMs: parsed.MEKONG_MQTT_KAFKA_RETRY_MAX_MS,
    http: { port: parsed.MEKONG_MQTT_KAFKA_HTTP_PORT, host: parsed.MEKONG_MQTT_KAFKA_HTTP_HOST },
    drainTimeoutMs: parsed.MEKONG_MQTT_KAFKA_DRAIN_TIMEOUT_MS,
    logLevel: parsed.MEKONG_LOG_LEVEL,
  };
}
