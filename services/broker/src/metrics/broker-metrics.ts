import { Counter, Gauge, type Registry } from '@mekong/runtime';
import { type RefusalReason, refusalReasons } from '../refusals.js';

export type Transport = 'tcp' | 'tls' | 'ws';

/** The broker's Prometheus series. Label children are bound once: the hot path only adds. */
export class BrokerMetrics {
  readonly connections: Gauge<'transport'>;
  readonly connectionsTotal: Counter<'transport' | 'protocol'>;
  /** Plain copies of the refusal counters, for /health and tests. */
  readonly refusalCounts = Object.fromEntries(refusalReasons.map((r) => [r, 0])) as Record<
    RefusalReason,
    number
  >;
  private readonly refusalsByReason: Map<RefusalReason, { inc(): void }>;
  readonly bytesIn: Counter;
  readonly bytesOut: Counter;
  readonly backpressure: Counter;
  readonly retainIgnored: Counter;
  readonly disconnects: Counter<'cause'>;
  private readonly inChildren: { inc(): void }[];
  private readonly outChildren: { inc(): void }[];

  constructor(registry: Registry, queueLength: () => number) {
    const registers = [registry];
    this.connections = new Gauge({
      name: 'mekong_broker_connections',
      help: 'MQTT clients connected now (after CONNACK), by transport',
      labelNames: ['transport'],
      registers,
    });
    this.connectionsTotal = new Counter({
      name: 'mekong_broker_connections_total',
      help: 'MQTT sessions accepted since start, by transport and protocol version',
      labelNames: ['transport', 'protocol'],
      registers,
    });
    const messagesIn = new Counter({
      name: 'mekong_broker_messages_in_total',
      help: 'PUBLISH packets accepted from clients, by QoS',
      labelNames: ['qos'],
      registers,
    });
    const messagesOut = new Counter({
      name: 'mekong_broker_messages_out_total',
      help: 'PUBLISH packets sent to subscribers, by QoS',
      labelNames: ['qos'],
      registers,
    });
    this.inChildren = ['0', '1', '2'].map((qos) => messagesIn.labels(qos));
    this.outChildren = ['0', '1', '2'].map((qos) => messagesOut.labels(qos));
    const refusals = new Counter({
      name: 'mekong_broker_refusals_total',
      help: 'Connections, packets and publishes refused, by reason (bad_credentials, topic_not_allowed, packet_too_large, rate_exceeded, payload_invalid, malformed_packet, …)',
      labelNames: ['reason'],
      registers,
    });
    this.refusalsByReason = new Map(refusalReasons.map((reason) => [reason, refusals.labels(reason)]));
    this.bytesIn = new Counter({
      name: 'mekong_broker_bytes_in_total',
      help: 'Bytes received from clients',
      registers,
    });
    this.bytesOut = new Counter({
      name: 'mekong_broker_bytes_out_total',
      help: 'Bytes sent to clients',
      registers,
    });
    this.disconnects = new Counter({
      name: 'mekong_broker_disconnects_total',
      help: 'Sessions ended, by cause: disconnect (the client said so), dropped (the connection broke without DISCONNECT), refused, shutdown',
      labelNames: ['cause'],
      registers,
    });
    this.backpressure = new Counter({
      name: 'mekong_broker_inflight_throttled_total',
      help: 'Times a client reached its in-flight limit and the broker stopped reading it until acknowledgements came back',
      registers,
    });
    this.retainIgnored = new Counter({
      name: 'mekong_broker_retain_ignored_total',
      help: 'Retained publishes of devices delivered without being retained (MEKONG_BROKER_DEVICE_RETAIN=ignore)',
      registers,
    });
    new Gauge({
      name: 'mekong_broker_delivery_queue',
      help: 'Messages waiting for a delivery slot inside the broker',
      registers,
      collect() {
        this.set(queueLength());
      },
    });
  }

  messageIn(qos: number): void {
    this.inChildren[qos]?.inc();
  }

  messageOut(qos: number): void {
    this.outChildren[qos]?.inc();
  }

  refused(reason: RefusalReason): void {
    this.refusalsByReason.get(reason)?.inc();
    this.refusalCounts[reason]++;
  }
}
