import type { Duplex } from 'node:stream';
import type { Logger } from '@mekong/runtime';
import type { Aedes } from 'aedes';
import { type DeliveringClient, installExactDedupe } from '../delivery/exact-dedupe.js';
import { checkTopicLimits, type TopicLimits } from '../limits/topic-limits.js';
import type { BrokerMetrics } from '../metrics/broker-metrics.js';
import { refusals } from '../refusals.js';
import type { Session } from './connection-gateway.js';

/**
 * Aedes's own hooks, behind the gateway: CONNECT was authenticated by the gateway, so a connection
 * has a session or never reaches aedes; publishes were checked there too, except wills, which aedes
 * publishes on its own and are checked here; subscriptions are checked here so aedes answers a refused
 * one with 0x80 in SUBACK (0x87 for MQTT 5 clients). Before any of that, each client gets an exact
 * duplicate check in place of aedes's lossy one (delivery/exact-dedupe.ts).
 */
export function installAedesHooks(
  aedes: Aedes,
  sessions: WeakMap<Duplex, Session>,
  limits: TopicLimits,
  metrics: BrokerMetrics,
  logger: Logger,
): void {
  const sessionOf = (client: { conn: unknown } | null) =>
    client ? sessions.get(client.conn as Duplex) : undefined;

  aedes.preConnect = (client, _packet, done) => {
    installExactDedupe(client as unknown as DeliveringClient);
    done(null, true);
  };

  aedes.authenticate = (client, _username, _password, done) => done(null, sessionOf(client) !== undefined);

  aedes.authorizePublish = (client, packet, done) => {
    const session = sessionOf(client);
    if (session?.acl.canPublish(packet.topic) && !checkTopicLimits(packet.topic, limits)) return done(null);
    if (!client) return done(null); // a will of a session that ended before a restart: checked when it was stored
    metrics.refused('topic_not_allowed');
    logger.warn(
      {
        event: 'refused',
        reason: 'topic_not_allowed',
        code: refusals.topic_not_allowed.code,
        clientId: client.id,
        topic: packet.topic,
      },
      'refused: will message outside the ACL',
    );
    done(new Error('not authorized'));
  };

  aedes.authorizeSubscribe = (client, subscription, done) => {
    const session = sessionOf(client);
    const limit = checkTopicLimits(subscription.topic, limits);
    if (session && !limit && session.acl.canSubscribe(subscription.topic)) return done(null, subscription);
    const reason = limit ?? 'subscription_not_allowed';
    metrics.refused(reason);
    logger.warn(
      {
        event: 'refused',
        reason,
        code: refusals[reason].code,
        clientId: client.id,
        username: session?.identity.username,
        filter: subscription.topic,
      },
      'refused: subscription',
    );
    done(null, null);
  };
}
