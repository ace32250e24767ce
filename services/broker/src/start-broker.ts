import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ComponentHealth,
  checkHealth,
  createLogger,
  createMetricsRegistry,
  type HealthReport,
  type Logger,
  type OpsServer,
  type Registry,
  startOpsServer,
} from '@mekong/runtime';
import { Aedes } from 'aedes';
import { createAuthenticator } from './auth/authenticate.js';
import { CredentialStore } from './auth/credentials-file.js';
import { createJwtVerifier } from './auth/jwt.js';
import type { BrokerConfig } from './config.js';
import { BrokerError } from './errors.js';
import { installAedesHooks } from './gateway/aedes-hooks.js';
import { ConnectionGateway, type GatewayContext, type Session } from './gateway/connection-gateway.js';
import { addressOf, RefusalLog } from './gateway/refusal-log.js';
import { IdentityLimits } from './limits/identity-limits.js';
import { PendingBudget } from './limits/pending-budget.js';
import type { Listener } from './listeners/listener.js';
import { listenTcp } from './listeners/tcp.js';
import { listenTls } from './listeners/tls.js';
import { listenWs } from './listeners/ws.js';
import { BrokerMetrics } from './metrics/broker-metrics.js';
import { createStorage } from './persistence/create-persistence.js';

export interface RunningBroker {
  /** Bound ports (useful when configured as 0). */
  ports: { tcp: number; ws?: number; tls?: number; http?: number };
  metrics: BrokerMetrics;
  registry: Registry;
  health(): Promise<HealthReport>;
  /** Stops accepting, drains in-flight deliveries (bounded by `drainTimeoutMs`), closes every client and the store. */
  close(): Promise<void>;
}

export interface StartBrokerOptions {
  logger?: Logger;
  /** Share a registry with other services of the same process; a new one by default. */
  registry?: Registry;
}

/** Starts the MQTT broker: the public entry of `mekong broker`, `main.ts` and `mekong start`. */
export async function startBroker(
  config: BrokerConfig,
  options: StartBrokerOptions = {},
): Promise<RunningBroker> {
  const logger = options.logger ?? createLogger({ service: 'broker', level: config.logLevel });
  const registry = options.registry ?? createMetricsRegistry({ defaultLabels: { service: 'broker' } });

  if (!config.auth.credentialsFile && !config.auth.jwt && !config.auth.allowAnonymous) {
    throw new BrokerError(
      'MEKONG_BROKER_BAD_CONFIG',
      'no way for clients to log in: set MEKONG_BROKER_CREDENTIALS_FILE or MEKONG_BROKER_JWT_KEY(_FILE) (or, in development only, MEKONG_BROKER_ALLOW_ANONYMOUS=true)',
    );
  }
  if (config.auth.allowAnonymous) {
    logger.warn(
      { event: 'anonymous_allowed', code: 'MEKONG_BROKER_NOT_AUTHORIZED' },
      '!!! ANONYMOUS CLIENTS ARE ALLOWED WITH FULL RIGHTS — development only, never on a shop floor !!!',
    );
  }
  const credentials = config.auth.credentialsFile
    ? await CredentialStore.open(config.auth.credentialsFile, config.auth.credentialsCheckMs, (error) =>
        logger.error(
          { event: 'credentials_file_invalid', code: 'MEKONG_BROKER_CREDENTIALS_FILE', err: error },
          `the credentials file ${config.auth.credentialsFile} was changed and cannot be used; the users read before stay`,
        ),
      )
    : undefined;
  const jwt = config.auth.jwt ? await createJwtVerifier(config.auth.jwt) : undefined;
  const authenticate = createAuthenticator({
    ...(credentials ? { credentials } : {}),
    ...(jwt ? { jwt } : {}),
    allowAnonymous: config.auth.allowAnonymous,
    serviceDefaults: config.auth.serviceDefaults,
    ...(config.auth.login ? { login: config.auth.login } : {}), // broker-auth: login throttle and check limits
  });

  const storage = await createStorage(config.persistence);
  const aedes = new Aedes({
    mq: storage.mq,
    ...(storage.persistence ? { persistence: storage.persistence } : {}),
    concurrency: config.persistence.concurrency,
    maxTopicLevels: Math.min(100, config.limits.maxTopicDepth),
    // A subscriber that stops reading is cut off after 10 s instead of holding delivery slots.
    drainTimeout: 10_000,
    heartbeatInterval: config.heartbeatMs,
    // What MQTT 5 clients are told in CONNACK; the gateway enforces each before aedes sees a packet.
    topicAliasMaximum: config.limits.topicAliasMaximum,
    maximumPacketSize: config.limits.maxPacketSize,
    receiveMaximum: config.limits.maxInflight,
    maxClientsIdLength: 256,
  });
  await aedes.listen();
  const queueLength = () => (storage.mq as unknown as { length?: number }).length ?? 0;
  const metrics = new BrokerMetrics(registry, queueLength);
  const sessions = new WeakMap<Duplex, Session>();
  const refusalLog = new RefusalLog(logger);
  installAedesHooks(aedes, sessions, config.limits, metrics, refusalLog, logger);
  aedes.on('clientError', (client, error) =>
    logger.debug({ event: 'client_error', clientId: client.id, err: error.message }, 'client error'),
  );

  let shuttingDown = false;
  const gateways = new Set<ConnectionGateway>();
  const ctx: GatewayContext = {
    handle: (stream) => {
      aedes.handle(stream);
    },
    authenticate,
    limits: config.limits,
    validation: config.validation,
    metrics,
    logger,
    sessions,
    gateways,
    refusalLog,
    identityLimits: new IdentityLimits(config.limits),
    pending: new PendingBudget(config.limits.maxPendingPerAddress, config.limits.maxPending),
    owners: storage.owners,
    userExists: async (username) =>
      credentials ? (await credentials.lookup(username)) !== undefined : false,
    shuttingDown: () => shuttingDown,
  };
  const accept = (stream: Duplex, transport: 'tcp' | 'tls' | 'ws', remote: string) => {
    if (shuttingDown) {
      stream.destroy();
      return;
    }
    // Before CONNECT a socket proves nothing: each address gets a few, everyone together a bounded number.
    const address = addressOf(remote);
    if (!ctx.pending.admit(address)) {
      metrics.refused('too_many_pending');
      refusalLog.refused('too_many_pending', address, { remote });
      stream.destroy();
      return;
    }
    new ConnectionGateway(stream, transport, remote, ctx);
  };

  const listeners: Listener[] = [];
  let ops: OpsServer | undefined;
  try {
    listeners.push(await listenTcp(config.ports.tcp, config.host, accept));
    if (config.ports.ws !== null) {
      listeners.push(
        await listenWs(
          config.ports.ws,
          config.host,
          config.limits.maxPacketSize,
          accept,
          config.wsOrigins,
          (origin) => {
            metrics.refused('origin_not_allowed');
            refusalLog.refused('origin_not_allowed', 'ws', { origin });
          },
        ),
      );
    }
    if (config.tls) listeners.push(await listenTls(config.ports.tls, config.host, config.tls, accept));
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await storage.close();
    throw error;
  }

  const health = async (): Promise<HealthReport> =>
    checkHealth({
      mqtt: (): ComponentHealth => ({
        status: shuttingDown ? 'down' : 'ok',
        detail: {
          listeners: Object.fromEntries(listeners.map((l) => [l.transport, l.port])),
          connections: [...gateways].filter((g) => g.isOpen).length,
          deliveryQueue: queueLength(),
          refusals: Object.fromEntries(Object.entries(metrics.refusalCounts).filter(([, n]) => n > 0)),
        },
      }),
      storage: () => storageHealth(storage.mq, config.persistence.mode, storage.describe),
    });

  if (config.ports.http !== null) {
    ops = await startOpsServer({ port: config.ports.http, host: config.host, health, registry });
  }
  const ports: RunningBroker['ports'] = { tcp: 0 };
  for (const listener of listeners) ports[listener.transport] = listener.port;
  if (ops) ports.http = ops.port;
  logger.info(
    { event: 'broker_started', ports, persistence: storage.describe, validation: config.validation.enabled },
    `MQTT broker listening on ${config.host} port ${ports.tcp}`,
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      await Promise.all(listeners.map((l) => l.close()));
      const deadline = Date.now() + config.drainTimeoutMs;
      while (Date.now() < deadline && (queueLength() > 0 || (storage.mq as { current?: number }).current)) {
        await sleep(20);
      }
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const gateway of gateways) gateway.shutdown();
      await storage.close();
      credentials?.close(); // broker-auth: stop checking the credentials file
      await ops?.close();
      logger.info({ event: 'broker_stopped' }, 'MQTT broker stopped');
    })();
    return closing;
  };

  return { ports, metrics, registry, health, close };
}

function storageHealth(mq: unknown, mode: string, describe: string): ComponentHealth {
  if (mode !== 'redis') return { status: 'ok', detail: describe };
  const status = (mq as { pubConn?: { status?: string } }).pubConn?.status;
  return { status: status === 'ready' ? 'ok' : 'down', detail: `${describe}: ${status ?? 'unknown'}` };
}
