import type { Duplex } from 'node:stream';
import type { Logger } from '@mekong/runtime';
import type { Aedes } from 'aedes';
import { aclOfStoredWill, WILL_OWNER_FIELD, willOwnerOf } from '../acl/will-owner.js';
import { type DeliveringClient, installExactDedupe } from '../delivery/exact-dedupe.js';
import { checkTopicLimits, type TopicLimits } from '../limits/topic-limits.js';
import type { BrokerMetrics } from '../metrics/broker-metrics.js';
import type { RefusalReason } from '../refusals.js';
import type { Session } from './connection-gateway.js';
import type { RefusalLog } from './refusal-log.js';

export interface HookLimits extends TopicLimits {
  maxSubscriptions: number;
}

/**
 * Aedes's own hooks, behind the gateway: CONNECT was authenticated by the gateway, so a connection
 * has a session or never reaches aedes. Publishes were checked there too; here they are checked
 * again because aedes also publishes on its own: wills, which may be published after a restart or by
 * another broker of the cluster with no client (`client = null`) — then the rights of the identity
 * stored with the will decide. Subscriptions are checked here so aedes answers a refused one in
 * SUBACK (0x80, or 0x87 for MQTT 5). Before any of that, each client gets an exact duplicate check in
 * place of aedes's lossy one (delivery/exact-dedupe.ts).
 */
export function installAedesHooks(
  aedes: Aedes,
  sessions: WeakMap<Duplex, Session>,
  limits: HookLimits,
  metrics: BrokerMetrics,
  refusalLog: RefusalLog,
  logger: Logger,
): void {
  const sessionOf = (client: { conn: unknown } | null) =>
    client ? sessions.get(client.conn as Duplex) : undefined;
  const refuse = (reason: RefusalReason, fields: Record<string, unknown>) => {
    metrics.refused(reason);
    refusalLog.refused(reason, 'broker', fields);
  };

  aedes.preConnect = (client, packet, done) => {
    installExactDedupe(client as unknown as DeliveringClient);
    const session = sessionOf(client);
    // The gateway checked the will against this identity's ACL already; the owner goes with the will.
    if (session && packet.will) {
      (packet.will as unknown as Record<string, unknown>)[WILL_OWNER_FIELD] = willOwnerOf(session.identity);
    }
    done(null, true);
  };

  aedes.authenticate = (client, _username, _password, done) => done(null, sessionOf(client) !== undefined);

  aedes.authorizePublish = (client, packet, done) => {
    // A connected client's publishes were checked by its gateway (PUBLISH) or at its CONNECT (will):
    // not again here, on every message. Only wills without a client are judged here.
    if (sessionOf(client)) return done(null);
    if (checkTopicLimits(packet.topic, limits) === undefined) {
      if (aclOfStoredWill(packet as unknown as Record<string, unknown>)?.canPublish(packet.topic))
        return done(null);
    }
    refuse('will_not_allowed', { clientId: client?.id ?? null, topic: packet.topic });
    logger.debug({ event: 'will_refused', topic: packet.topic }, 'a will outside its owner ACL');
    done(new Error('not authorized'));
  };

  aedes.authorizeSubscribe = (client, subscription, done) => {
    const session = sessionOf(client);
    const limit = checkTopicLimits(subscription.topic, limits);
    const subscribed = (client as unknown as { subscriptions?: Record<string, unknown> }).subscriptions ?? {};
    const full =
      !(subscription.topic in subscribed) && Object.keys(subscribed).length >= limits.maxSubscriptions;
    if (session && !limit && !full && session.acl.canSubscribe(subscription.topic)) {
      return done(null, subscription);
    }
    const reason: RefusalReason = limit ?? (full ? 'too_many_subscriptions' : 'subscription_not_allowed');
    refuse(reason, {
      clientId: client.id,
      username: session?.identity.username,
      filter: subscription.topic,
    });
    done(null, null);
  };
}
