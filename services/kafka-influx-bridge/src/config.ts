import { readFile } from 'node:fs/promises';
import { type TopicSettings, topicSettingsEnv, topicSettingsFromEnv } from '@mekong/kafka';
import { env, loadConfig } from '@mekong/runtime';
import * as z from 'zod';
import { BridgeError } from './errors.js';

/** Every setting of the Kafka → InfluxDB bridge as an environment variable, with its default. */
export const kafkaInfluxEnvSchema = z.object({
  MEKONG_KAFKA_BROKERS: env
    .list('localhost:9092')
    .describe('Kafka bootstrap servers, host:port comma-separated'),
  MEKONG_KAFKA_CLIENT_ID: z
    .string()
    .default('mekong-kafka-influx-bridge')
    .describe('Kafka client id, shown in broker logs and quotas'),
  MEKONG_KAFKA_INFLUX_GROUP_ID: z
    .string()
    .default('mekong-kafka-influx')
    .describe('consumer group: instances with the same group share the partitions'),
  MEKONG_KAFKA_INFLUX_FROM_BEGINNING: env
    .boolean(true)
    .describe('a new group starts at the oldest record Kafka keeps (false: only records from now on)'),
  MEKONG_KAFKA_INFLUX_PARTITIONS_CONCURRENTLY: env
    .positiveInt(6)
    .describe('partitions processed at once; their records share write requests'),
  MEKONG_KAFKA_INFLUX_MAX_BYTES_PER_PARTITION: env
    .positiveInt(1024 * 1024)
    .describe('most bytes fetched from one partition at a time (bounds memory with the line above)'),
  MEKONG_KAFKA_INFLUX_FETCH_MAX_WAIT_MS: env
    .positiveInt(100)
    .describe('longest a fetch waits for new records, in ms'),
  ...topicSettingsEnv,
  MEKONG_INFLUX_URL: z.string().url().default('http://localhost:8086').describe('InfluxDB 2.x URL'),
  MEKONG_INFLUX_TOKEN: z.string().optional().describe('InfluxDB API token with write access to the bucket'),
  MEKONG_INFLUX_TOKEN_FILE: z.string().optional().describe('file holding the InfluxDB API token'),
  MEKONG_INFLUX_ORG: z.string().default('mekong').describe('InfluxDB organisation'),
  MEKONG_INFLUX_BUCKET: z.string().default('mekong').describe('InfluxDB bucket'),
  MEKONG_KAFKA_INFLUX_BATCH_MAX_POINTS: env.positiveInt(5_000).describe('most points in one write request'),
  MEKONG_KAFKA_INFLUX_FLUSH_INTERVAL_MS: env
    .nonNegativeInt(20)
    .describe(
      'how long a point may wait for others to fill its write request, in ms (the partitions of one fetch arrive together; under load requests fill up first)',
    ),
  MEKONG_KAFKA_INFLUX_WRITE_CONCURRENCY: env.positiveInt(2).describe('write requests in flight at once'),
  MEKONG_KAFKA_INFLUX_WRITE_TIMEOUT_MS: env
    .positiveInt(10_000)
    .describe('time limit of one write request, in ms'),
  MEKONG_KAFKA_INFLUX_GZIP_THRESHOLD_BYTES: env
    .nonNegativeInt(0)
    .describe(
      'gzip write requests from this size on, in bytes (0 = never; worth it when InfluxDB is remote)',
    ),
  MEKONG_KAFKA_INFLUX_RETRY_MAX_MS: env
    .positiveInt(10_000)
    .describe('longest pause between two attempts to reach InfluxDB or Kafka, in ms'),
  MEKONG_KAFKA_INFLUX_MAX_PAYLOAD_BYTES: env
    .positiveInt(1024 * 1024)
    .describe('larger record values go to the DLQ as MEKONG_PAYLOAD_TOO_LARGE'),
  MEKONG_KAFKA_INFLUX_HTTP_PORT: env
    .port(9103)
    .describe('HTTP port of /health and /metrics (0 = any free port)'),
  MEKONG_KAFKA_INFLUX_HTTP_HOST: z.string().default('::').describe('address of /health and /metrics'),
  MEKONG_KAFKA_INFLUX_DRAIN_TIMEOUT_MS: env
    .nonNegativeInt(15_000)
    .describe(
      'on shutdown, how long to wait for the writes in progress before leaving them to the next start',
    ),
  MEKONG_LOG_LEVEL: env.logLevel().describe('log level'),
  MEKONG_LOG_FORMAT: env
    .logFormat()
    .describe('log lines: json (for machines), pretty (for people), auto (pretty on a terminal)'),
});

export interface KafkaInfluxBridgeConfig {
  kafka: {
    brokers: string[];
    clientId: string;
    groupId: string;
    fromBeginning: boolean;
    partitionsConcurrently: number;
    maxBytesPerPartition: number;
    fetchMaxWaitMs: number;
    topics: TopicSettings;
  };
  influx: {
    url: string;
    token: string;
    org: string;
    bucket: string;
    timeoutMs: number;
    gzipThresholdBytes: number;
  };
  batch: { maxPoints: number; flushIntervalMs: number; concurrency: number };
  maxPayloadBytes: number;
  retryMaxMs: number;
  http: { port: number; host: string };
  drainTimeoutMs: number;
  logLevel: string;
}

type ParsedEnv = z.output<typeof kafkaInfluxEnvSchema>;

/** A complete configuration from the defaults (with an empty token); tests and `mekong start` adjust it. */
export function defaultKafkaInfluxConfig(): KafkaInfluxBridgeConfig {
  return fromParsedEnv(loadConfig(kafkaInfluxEnvSchema, {}), '');
}

/** The configuration from `MEKONG_KAFKA_*` / `MEKONG_INFLUX_*` variables; a bad one throws naming it. */
export async function kafkaInfluxConfigFromEnv(
  environment: NodeJS.ProcessEnv = process.env,
): Promise<KafkaInfluxBridgeConfig> {
  const parsed = loadConfig(kafkaInfluxEnvSchema, environment);
  let token = parsed.MEKONG_INFLUX_TOKEN;
  if (parsed.MEKONG_INFLUX_TOKEN_FILE) {
    try {
      token = (await readFile(parsed.MEKONG_INFLUX_TOKEN_FILE, 'utf8')).trim();
    } catch (cause) {
      throw new BridgeError(
        'MEKONG_BRIDGE_BAD_CONFIG',
        `MEKONG_INFLUX_TOKEN_FILE: cannot read ${parsed.MEKONG_INFLUX_TOKEN_FILE}`,
        { cause },
      );
    }
  }
  if (!token) {
    throw new BridgeError(
      'MEKONG_BRIDGE_BAD_CONFIG',
      'MEKONG_INFLUX_TOKEN (or MEKONG_INFLUX_TOKEN_FILE): the bridge needs an InfluxDB API token with write access to the bucket',
    );
  }
  return fromParsedEnv(parsed, token);
}

function fromParsedEnv(parsed: ParsedEnv, token: string): KafkaInfluxBridgeConfig {
  return {
    kafka: {
      brokers: parsed.MEKONG_KAFKA_BROKERS,
      clientId: parsed.MEKONG_KAFKA_CLIENT_ID,
      groupId: parsed.MEKONG_KAFKA_INFLUX_GROUP_ID,
      fromBeginning: parsed.MEKONG_KAFKA_INFLUX_FROM_BEGINNING,
      partitionsConcurrently: parsed.MEKONG_KAFKA_INFLUX_PARTITIONS_CONCURRENTLY,
      maxBytesPerPartition: parsed.MEKONG_KAFKA_INFLUX_MAX_BYTES_PER_PARTITION,
      fetchMaxWaitMs: parsed.MEKONG_KAFKA_INFLUX_FETCH_MAX_WAIT_MS,
      topics: topicSettingsFromEnv(parsed),
    },
    influx: {
      url: parsed.MEKONG_INFLUX_URL,
      token,
      org: parsed.MEKONG_INFLUX_ORG,
      bucket: parsed.MEKONG_INFLUX_BUCKET,
      timeoutMs: parsed.MEKONG_KAFKA_INFLUX_WRITE_TIMEOUT_MS,
      gzipThresholdBytes: parsed.MEKONG_KAFKA_INFLUX_GZIP_THRESHOLD_BYTES,
    },
    batch: {
      maxPoints: parsed.MEKONG_KAFKA_INFLUX_BATCH_MAX_POINTS,
      flushIntervalMs: parsed.MEKONG_KAFKA_INFLUX_FLUSH_INTERVAL_MS,
      concurrency: parsed.MEKONG_KAFKA_INFLUX_WRITE_CONCURRENCY,
    },
    maxPayloadBytes: parsed.MEKONG_KAFKA_INFLUX_MAX_PAYLOAD_BYTES,
    retryMaxMs: parsed.MEKONG_KAFKA_INFLUX_RETRY_MAX_MS,
    http: { port: parsed.MEKONG_KAFKA_INFLUX_HTTP_PORT, host: parsed.MEKONG_KAFKA_INFLUX_HTTP_HOST },
    drainTimeoutMs: parsed.MEKONG_KAFKA_INFLUX_DRAIN_TIMEOUT_MS,
    logLevel: parsed.MEKONG_LOG_LEVEL,
  };
}
