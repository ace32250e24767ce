import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { cacheRoot } from './cache-dir.js';
import type { InfluxdbEndpoint, KafkaEndpoint } from './endpoints.js';
import { DevstackError } from './errors.js';

const port = z.coerce.number().int().min(1).max(65_535);

const envSchema = z.object({
  MEKONG_DEVSTACK_INSTANCE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _')
    .default('default')
    .describe('name of the local stack; each has its own ports, data and logs'),
  MEKONG_DEVSTACK_DIR: z
    .string()
    .optional()
    .describe('folder of the local stack (default: <cache>/stacks/<instance>)'),
  MEKONG_DEVSTACK_DOCKER: z
    .enum(['auto', 'never', 'always'])
    .default('auto')
    .describe('use Docker through testcontainers: when an engine answers (auto), never, or always'),
  MEKONG_KAFKA_BROKERS: z
    .string()
    .optional()
    .describe('use this Kafka (host:port,…) instead of starting one'),
  MEKONG_INFLUX_URL: z.string().url().optional().describe('use this InfluxDB instead of starting one'),
  MEKONG_INFLUX_TOKEN: z.string().optional().describe('token for MEKONG_INFLUX_URL'),
  MEKONG_INFLUX_TOKEN_FILE: z.string().optional().describe('file holding the token for MEKONG_INFLUX_URL'),
  MEKONG_INFLUX_ORG: z.string().default('mekong'),
  MEKONG_INFLUX_BUCKET: z.string().default('mekong'),
  MEKONG_KAFKA_PORT: port.optional().describe('client port of the local Kafka (default 9092, moved if busy)'),
  MEKONG_KAFKA_CONTROLLER_PORT: port.optional().describe('controller port of the local Kafka (default 9093)'),
  MEKONG_INFLUX_PORT: port
    .optional()
    .describe('HTTP port of the local InfluxDB (default 8086, moved if busy)'),
});

export interface DevstackConfig {
  instance: string;
  stackDir: string;
  cacheRoot: string;
  docker: 'auto' | 'never' | 'always';
  external: { kafka?: KafkaEndpoint; influxdb?: InfluxdbEndpoint };
  ports: {
    kafka: { port: number; configured: boolean };
    kafkaController: { port: number; configured: boolean };
    influxdb: { port: number; configured: boolean };
  };
}

function readToken(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new DevstackError(
      'MEKONG_DEVSTACK_BAD_CONFIG',
      'read MEKONG_INFLUX_TOKEN_FILE',
      `cannot read ${file}`,
      {
        cause: error,
      },
    );
  }
}

/** Reads the devstack's settings from the environment; a bad value names its variable. */
export function devstackConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DevstackConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new DevstackError('MEKONG_DEVSTACK_BAD_CONFIG', 'read devstack settings', issues);
  }
  const e = parsed.data;
  const root = cacheRoot(env);
  const external: DevstackConfig['external'] = {};
  if (e.MEKONG_KAFKA_BROKERS) {
    external.kafka = { brokers: e.MEKONG_KAFKA_BROKERS.split(',').map((broker) => broker.trim()) };
  }
  if (e.MEKONG_INFLUX_URL) {
    const token =
      e.MEKONG_INFLUX_TOKEN ?? (e.MEKONG_INFLUX_TOKEN_FILE ? readToken(e.MEKONG_INFLUX_TOKEN_FILE) : '');
    if (token === '') {
      throw new DevstackError(
        'MEKONG_DEVSTACK_BAD_CONFIG',
        'read devstack settings',
        'MEKONG_INFLUX_URL is set but neither MEKONG_INFLUX_TOKEN nor MEKONG_INFLUX_TOKEN_FILE is',
      );
    }
    external.influxdb = {
      url: e.MEKONG_INFLUX_URL.replace(/\/$/, ''),
      token,
      org: e.MEKONG_INFLUX_ORG,
      bucket: e.MEKONG_INFLUX_BUCKET,
    };
  }
  const portSetting = (value: number | undefined, fallback: number) => ({
    port: value ?? fallback,
    configured: value !== undefined,
  });
  return {
    instance: e.MEKONG_DEVSTACK_INSTANCE,
    stackDir: e.MEKONG_DEVSTACK_DIR ?? join(root, 'stacks', e.MEKONG_DEVSTACK_INSTANCE),
    cacheRoot: root,
    docker: e.MEKONG_DEVSTACK_DOCKER,
    external,
    ports: {
      kafka: portSetting(e.MEKONG_KAFKA_PORT, 9092),
      kafkaController: portSetting(e.MEKONG_KAFKA_CONTROLLER_PORT, 9093),
      influxdb: portSetting(e.MEKONG_INFLUX_PORT, 8086),
    },
  };
}

/** The environment variables the devstack reads, with their descriptions, for `--help`. */
export const devstackEnvHelp: ReadonlyArray<[string, string]> = Object.entries(envSchema.shape).map(
  ([name, schema]) => [name, schema.description ?? ''],
);
