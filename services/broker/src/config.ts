import { env, loadConfig } from '@mekong/runtime';
import * as z from 'zod';
import { defaultLoginLimits, type LoginLimits } from './auth/authenticate.js';
import type { JwtSettings } from './auth/jwt.js';
import { BrokerError } from './errors.js';
import type { GatewayLimits } from './gateway/connection-gateway.js';
import type { PersistenceMode } from './persistence/create-persistence.js';

/** A duration in seconds: `90`, `90s`, `30m`, `24h` or `7d`. */
function duration(fallback: string) {
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
  return z
    .string()
    .regex(/^\d+[smhd]?$/, { message: 'expected seconds or a duration such as 30m, 24h, 7d' })
    .default(fallback)
    .transform((text) => {
      const last = text.at(-1) as keyof typeof unit;
      return last in unit ? Number(text.slice(0, -1)) * unit[last] : Number(text);
    })
    .refine((seconds) => seconds > 0, { message: 'expected more than 0 seconds' });
}

/** Every setting of the broker as an environment variable, with its default and what it does. */
export const brokerEnvSchema = z.object({
  MEKONG_BROKER_HOST: z.string().default('::').describe('address to listen on; "::" serves IPv6 and IPv4'),
  MEKONG_BROKER_PORT: env.port(1883).describe('MQTT over TCP port (0 = any free port)'),
  MEKONG_BROKER_WS_PORT: env
    .port(8083)
    .describe('MQTT over WebSocket port, for browsers (0 = any free port)'),
  MEKONG_BROKER_WS_ENABLED: env.boolean(true).describe('serve MQTT over WebSocket'),
  MEKONG_BROKER_TLS_PORT: env
    .port(8883)
    .describe('MQTT over TLS port, used when a certificate and key are given'),
  MEKONG_BROKER_TLS_CERT_FILE: z.string().optional().describe('PEM certificate (chain) for MQTT over TLS'),
  MEKONG_BROKER_TLS_KEY_FILE: z.string().optional().describe('PEM private key for MQTT over TLS'),
  MEKONG_BROKER_TLS_CA_FILE: z
    .string()
    .optional()
    .describe('PEM CA bundle to request client certificates (optional)'),
  MEKONG_BROKER_HTTP_PORT: env.port(9101).describe('HTTP port of /health and /metrics'),
  MEKONG_BROKER_CREDENTIALS_FILE: z
    .string()
    .optional()
    .describe('JSON file of users with scrypt password hashes; add one with `mekong broker passwd`'),
  MEKONG_BROKER_JWT_KEY_FILE: z
    .string()
    .optional()
    .describe('file holding the JWT HMAC secret (32+ bytes) or SPKI PEM public key ("BEGIN PUBLIC KEY")'),
  MEKONG_BROKER_JWT_KEY: z
    .string()
    .optional()
    .describe('the JWT HMAC secret or SPKI PEM public key itself; other PEM forms are refused at start'),
  MEKONG_BROKER_JWT_ALGORITHMS: env
    .list('')
    .describe(
      'accepted JWT algorithms (comma-separated), checked against the key at start; empty: all the key type allows (a secret HS256/384/512, RSA RS*/PS*, EC ES*, Ed25519 EdDSA)',
    ),
  MEKONG_BROKER_JWT_MAX_LIFETIME: duration('24h').describe(
    'longest JWT lifetime accepted, exp − iat (exp − now without iat), in seconds or as 30m, 24h, 7d; tokens without exp are refused',
  ),
  MEKONG_BROKER_JWT_ISSUER: z.string().optional().describe('required `iss` of tokens'),
  MEKONG_BROKER_JWT_AUDIENCE: z.string().optional().describe('required `aud` of tokens'),
  MEKONG_BROKER_CREDENTIALS_CHECK_MS: env
    .positiveInt(1_000)
    .describe('how often the credentials file is checked for changes (never on a CONNECT)'),
  MEKONG_BROKER_LOGIN_MAX_FAILURES: env
    .nonNegativeInt(defaultLoginLimits.maxFailuresPerUser)
    .describe(
      'failed logins of one username within the failure window before its logins are refused unchecked (CONNACK 0x86 / 4; 0 = no limit)',
    ),
  MEKONG_BROKER_LOGIN_MAX_FAILURES_PER_ADDRESS: env
    .nonNegativeInt(defaultLoginLimits.maxFailuresPerAddress)
    .describe(
      'failed logins from one address (IPv6: its /64) within the failure window before its password logins are refused unchecked (0 = no limit)',
    ),
  MEKONG_BROKER_LOGIN_FAILURE_WINDOW_MS: env
    .positiveInt(defaultLoginLimits.windowMs)
    .describe('window of the failed-login counts; a successful login clears its username'),
  MEKONG_BROKER_PASSWORD_CHECKS: env
    .positiveInt(defaultLoginLimits.passwordChecks)
    .describe('password checks (scrypt, on the libuv pool) running at once'),
  MEKONG_BROKER_PASSWORD_CHECK_QUEUE: env
    .nonNegativeInt(defaultLoginLimits.passwordCheckQueue)
    .describe('password checks waiting for a turn; beyond, logins are refused (CONNACK 0x88 / 3)'),
  MEKONG_BROKER_ALLOW_ANONYMOUS: env
    .boolean(false)
    .describe('DEVELOPMENT ONLY: accept clients without credentials, with full rights'),
  MEKONG_BROKER_SERVICE_SUBSCRIBE: env
    .list('mekong/#')
    .describe('topic filters services may subscribe to when their credentials name none (comma-separated)'),
  MEKONG_BROKER_SERVICE_PUBLISH: env
    .list('mekong/v1/+/+/+/+/+/cmd/#')
    .describe('topic filters services may publish to when their credentials name none (comma-separated)'),
  MEKONG_BROKER_MAX_PACKET_BYTES: env.positiveInt(256 * 1024).describe('largest MQTT packet accepted'),
  MEKONG_BROKER_MAX_TOPIC_LENGTH: env.positiveInt(256).describe('longest topic, in bytes'),
  MEKONG_BROKER_MAX_TOPIC_DEPTH: env.positiveInt(16).describe('most topic levels'),
  MEKONG_BROKER_MAX_INFLIGHT: env
    .positiveInt(100)
    .describe('unacknowledged QoS 1/2 publishes per client before the broker stops reading it'),
  MEKONG_BROKER_MAX_CONNECTIONS: env.positiveInt(10_000).describe('most connected clients'),
  MEKONG_BROKER_MAX_CONNECTIONS_PER_IDENTITY: env
    .positiveInt(4)
    .describe('most connections one user (device or service) may hold at once; admins are not limited'),
  MEKONG_BROKER_MAX_PENDING_PER_ADDRESS: env
    .positiveInt(32)
    .describe('sockets one address may hold open before sending CONNECT'),
  MEKONG_BROKER_MAX_PENDING: env
    .positiveInt(1_024)
    .describe('sockets all addresses together may hold open before sending CONNECT'),
  MEKONG_BROKER_MAX_SUBSCRIPTIONS: env
    .positiveInt(100)
    .describe('most topic filters one client may subscribe to'),
  MEKONG_BROKER_MAX_KEEPALIVE: env
    .nonNegativeInt(1_200)
    .describe(
      'longest keep alive (s) for MQTT 5 clients: one asking for more, or for none, is told this Server Keep Alive (0 = any)',
    ),
  MEKONG_BROKER_TOPIC_ALIAS_MAX: env
    .nonNegativeInt(64)
    .describe('MQTT 5 topic aliases a client may use (Topic Alias Maximum; 0 = none)'),
  MEKONG_BROKER_DEVICE_RETAIN: z
    .enum(['ignore', 'refuse', 'allow'])
    .default('ignore')
    .describe(
      'retained publishes of devices: ignore (delivered, not kept), refuse (0x87 / connection closed), allow',
    ),
  MEKONG_BROKER_WS_ORIGINS: env
    .list('')
    .describe('browser origins allowed on the WebSocket port (comma-separated; empty = any origin)'),
  MEKONG_BROKER_DEVICE_PUBLISH_RATE: env
    .nonNegativeInt(100)
    .describe('publishes a second per device (0 = no limit)'),
  MEKONG_BROKER_SERVICE_PUBLISH_RATE: env
    .nonNegativeInt(0)
    .describe('publishes a second per service (0 = no limit)'),
  MEKONG_BROKER_PUBLISH_BURST: env
    .positiveInt(200)
    .describe('publishes a client may send at once above its rate'),
  MEKONG_BROKER_VALIDATE_PAYLOADS: env
    .boolean(false)
    .describe('check telemetry payloads against the contracts and refuse invalid ones (PUBACK 0x99)'),
  MEKONG_BROKER_MAX_PAYLOAD_BYTES: env
    .positiveInt(64 * 1024)
    .describe('largest telemetry payload when validating'),
  MEKONG_BROKER_PERSISTENCE: z
    .enum(['memory', 'durable', 'redis'])
    .default('memory')
    .describe('memory (lost on restart), durable (on disk in MEKONG_BROKER_DATA_DIR), redis (cluster)'),
  MEKONG_BROKER_DATA_DIR: z.string().optional().describe('folder of the durable store'),
  MEKONG_BROKER_REDIS_URL: z.string().optional().describe('Redis of the cluster mode, redis://host:port'),
  MEKONG_BROKER_CONCURRENCY: env
    .positiveInt(100)
    .describe('deliveries in flight inside the broker before new ones queue'),
  MEKONG_BROKER_HEARTBEAT_MS: env
    .positiveInt(60_000)
    .describe(
      'broker heartbeat; wills of a broker that stopped without a goodbye (crash, or a lost cluster member) are published within 4 heartbeats',
    ),
  MEKONG_BROKER_DRAIN_TIMEOUT_MS: env
    .nonNegativeInt(5_000)
    .describe('time to drain in-flight messages on shutdown'),
  MEKONG_LOG_LEVEL: env.logLevel().describe('log level'),
  MEKONG_LOG_FORMAT: env
    .logFormat()
    .describe('log lines: json (for machines), pretty (for people), auto (pretty on a terminal)'),
});

export interface BrokerConfig {
  host: string;
  ports: { tcp: number; ws: number | null; tls: number; http: number | null };
  /** Browser origins allowed on the WebSocket port; empty allows any. */
  wsOrigins: string[];
  tls?: { certFile: string; keyFile: string; caFile?: string };
  auth: {
    credentialsFile?: string;
    /** How often the credentials file is checked for changes. */
    credentialsCheckMs?: number;
    jwt?: JwtSettings;
    login?: Partial<LoginLimits>;
    allowAnonymous: boolean;
    serviceDefaults: { publish: string[]; subscribe: string[] };
  };
  limits: GatewayLimits;
  validation: { enabled: boolean; maxPayloadBytes: number };
  persistence: { mode: PersistenceMode; dataDir?: string; redisUrl?: string; concurrency: number };
  drainTimeoutMs: number;
  heartbeatMs: number;
  logLevel: string;
}

/** A complete configuration: the defaults of `brokerEnvSchema` with `overrides` on top. */
export function defaultBrokerConfig(): BrokerConfig {
  return configFromParsedEnv(loadConfig(brokerEnvSchema, {}), undefined);
}

/** The broker configuration from `MEKONG_BROKER_*` variables; a bad one throws naming the variable. */
export async function brokerConfigFromEnv(
  environment: NodeJS.ProcessEnv = process.env,
): Promise<BrokerConfig> {
  const parsed = loadConfig(brokerEnvSchema, environment);
  let jwtKey = parsed.MEKONG_BROKER_JWT_KEY;
  if (parsed.MEKONG_BROKER_JWT_KEY_FILE) {
    const { readFile } = await import('node:fs/promises');
    try {
      jwtKey = (await readFile(parsed.MEKONG_BROKER_JWT_KEY_FILE, 'utf8')).trim();
    } catch (cause) {
      throw new BrokerError(
        'MEKONG_BROKER_BAD_CONFIG',
        `MEKONG_BROKER_JWT_KEY_FILE: cannot read ${parsed.MEKONG_BROKER_JWT_KEY_FILE}`,
        { cause },
      );
    }
  }
  return configFromParsedEnv(parsed, jwtKey);
}

function configFromParsedEnv(
  parsed: z.output<typeof brokerEnvSchema>,
  jwtKey: string | undefined,
): BrokerConfig {
  const cert = parsed.MEKONG_BROKER_TLS_CERT_FILE;
  const key = parsed.MEKONG_BROKER_TLS_KEY_FILE;
  if ((cert === undefined) !== (key === undefined)) {
    throw new BrokerError(
      'MEKONG_BROKER_BAD_CONFIG',
      'MEKONG_BROKER_TLS_CERT_FILE and MEKONG_BROKER_TLS_KEY_FILE go together: set both for MQTT over TLS, or neither',
    );
  }
  return {
    host: parsed.MEKONG_BROKER_HOST,
    ports: {
      tcp: parsed.MEKONG_BROKER_PORT,
      ws: parsed.MEKONG_BROKER_WS_ENABLED ? parsed.MEKONG_BROKER_WS_PORT : null,
      tls: parsed.MEKONG_BROKER_TLS_PORT,
      http: parsed.MEKONG_BROKER_HTTP_PORT,
    },
    wsOrigins: parsed.MEKONG_BROKER_WS_ORIGINS.filter((o) => o.length > 0),
    ...(cert && key
      ? {
          tls: {
            certFile: cert,
            keyFile: key,
            ...(parsed.MEKONG_BROKER_TLS_CA_FILE ? { caFile: parsed.MEKONG_BROKER_TLS_CA_FILE } : {}),
          },
        }
      : {}),
    auth: {
      ...(parsed.MEKONG_BROKER_CREDENTIALS_FILE
        ? { credentialsFile: parsed.MEKONG_BROKER_CREDENTIALS_FILE }
        : {}),
      credentialsCheckMs: parsed.MEKONG_BROKER_CREDENTIALS_CHECK_MS,
      login: {
        maxFailuresPerUser: parsed.MEKONG_BROKER_LOGIN_MAX_FAILURES,
        maxFailuresPerAddress: parsed.MEKONG_BROKER_LOGIN_MAX_FAILURES_PER_ADDRESS,
        windowMs: parsed.MEKONG_BROKER_LOGIN_FAILURE_WINDOW_MS,
        passwordChecks: parsed.MEKONG_BROKER_PASSWORD_CHECKS,
        passwordCheckQueue: parsed.MEKONG_BROKER_PASSWORD_CHECK_QUEUE,
      },
      ...(jwtKey
        ? {
            jwt: {
              key: jwtKey,
              algorithms: parsed.MEKONG_BROKER_JWT_ALGORITHMS,
              maxLifetimeSeconds: parsed.MEKONG_BROKER_JWT_MAX_LIFETIME,
              ...(parsed.MEKONG_BROKER_JWT_ISSUER ? { issuer: parsed.MEKONG_BROKER_JWT_ISSUER } : {}),
              ...(parsed.MEKONG_BROKER_JWT_AUDIENCE ? { audience: parsed.MEKONG_BROKER_JWT_AUDIENCE } : {}),
            },
          }
        : {}),
      allowAnonymous: parsed.MEKONG_BROKER_ALLOW_ANONYMOUS,
      serviceDefaults: {
        publish: parsed.MEKONG_BROKER_SERVICE_PUBLISH,
        subscribe: parsed.MEKONG_BROKER_SERVICE_SUBSCRIBE,
      },
    },
    limits: {
      maxPacketSize: parsed.MEKONG_BROKER_MAX_PACKET_BYTES,
      maxTopicLength: parsed.MEKONG_BROKER_MAX_TOPIC_LENGTH,
      maxTopicDepth: parsed.MEKONG_BROKER_MAX_TOPIC_DEPTH,
      maxInflight: parsed.MEKONG_BROKER_MAX_INFLIGHT,
      maxConnections: parsed.MEKONG_BROKER_MAX_CONNECTIONS,
      maxConnectionsPerIdentity: parsed.MEKONG_BROKER_MAX_CONNECTIONS_PER_IDENTITY,
      maxPendingPerAddress: parsed.MEKONG_BROKER_MAX_PENDING_PER_ADDRESS,
      maxPending: parsed.MEKONG_BROKER_MAX_PENDING,
      maxSubscriptions: parsed.MEKONG_BROKER_MAX_SUBSCRIPTIONS,
      topicAliasMaximum: parsed.MEKONG_BROKER_TOPIC_ALIAS_MAX,
      maxKeepAlive: parsed.MEKONG_BROKER_MAX_KEEPALIVE,
      deviceRetain: parsed.MEKONG_BROKER_DEVICE_RETAIN,
      publishRate: {
        device: parsed.MEKONG_BROKER_DEVICE_PUBLISH_RATE,
        service: parsed.MEKONG_BROKER_SERVICE_PUBLISH_RATE,
        admin: 0,
      },
      publishBurst: parsed.MEKONG_BROKER_PUBLISH_BURST,
      connectTimeoutMs: 10_000,
    },
    validation: {
      enabled: parsed.MEKONG_BROKER_VALIDATE_PAYLOADS,
      maxPayloadBytes: parsed.MEKONG_BROKER_MAX_PAYLOAD_BYTES,
    },
    persistence: {
      mode: parsed.MEKONG_BROKER_PERSISTENCE,
      ...(parsed.MEKONG_BROKER_DATA_DIR ? { dataDir: parsed.MEKONG_BROKER_DATA_DIR } : {}),
      ...(parsed.MEKONG_BROKER_REDIS_URL ? { redisUrl: parsed.MEKONG_BROKER_REDIS_URL } : {}),
      concurrency: parsed.MEKONG_BROKER_CONCURRENCY,
    },
    drainTimeoutMs: parsed.MEKONG_BROKER_DRAIN_TIMEOUT_MS,
    heartbeatMs: parsed.MEKONG_BROKER_HEARTBEAT_MS,
    logLevel: parsed.MEKONG_LOG_LEVEL,
  };
}
