import { Counter, Gauge, Histogram, type Registry } from '@mekong/runtime';

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The Kafka → InfluxDB bridge's Prometheus series (prefix `mekong_kafka_influx_`). */
export class BridgeMetrics {
  readonly records: Counter<'topic' | 'outcome'>;
  readonly pointsWritten: Counter;
  readonly writePoints: Histogram;
  readonly writeSeconds: Histogram;
  readonly latencySeconds: Histogram;
  readonly writeRetries: Counter;
  readonly writeSplits: Counter;
  readonly dlq: Counter<'code'>;
  readonly dlqRetries: Counter;
  readonly lag: Gauge<'topic' | 'partition'>;
  readonly commits: Counter;
  readonly commitFailures: Counter;

  constructor(registry: Registry, live: { influxUp: () => boolean; paused: () => boolean }) {
    const registers = [registry];
    this.records = new Counter({
      name: 'mekong_kafka_influx_records_total',
      help: 'Kafka records done with, by topic and outcome (written to InfluxDB, or dlq)',
      labelNames: ['topic', 'outcome'],
      registers,
    });
    this.pointsWritten = new Counter({
      name: 'mekong_kafka_influx_points_written_total',
      help: 'points InfluxDB accepted (a rewrite after a retry or split counts again)',
      registers,
    });
    this.writePoints = new Histogram({
      name: 'mekong_kafka_influx_write_points',
      help: 'points per accepted write request',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
      registers,
    });
    this.writeSeconds = new Histogram({
      name: 'mekong_kafka_influx_write_seconds',
      help: 'duration of accepted write requests',
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.latencySeconds = new Histogram({
      name: 'mekong_kafka_influx_latency_seconds',
      help: 'time from the MQTT bridge receiving a message to InfluxDB accepting its points',
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.writeRetries = new Counter({
      name: 'mekong_kafka_influx_write_retries_total',
      help: 'write requests that failed (InfluxDB unreachable, overloaded, unauthorised) and were retried',
      registers,
    });
    this.writeSplits = new Counter({
      name: 'mekong_kafka_influx_write_splits_total',
      help: 'write requests InfluxDB refused for their content, split to find the refused records',
      registers,
    });
    this.dlq = new Counter({
      name: 'mekong_kafka_influx_dlq_total',
      help: 'records sent to mekong.dlq.v1, by error code',
      labelNames: ['code'],
      registers,
    });
    this.dlqRetries = new Counter({
      name: 'mekong_kafka_influx_dlq_retries_total',
      help: 'DLQ produce attempts that failed and were retried',
      registers,
    });
    this.lag = new Gauge({
      name: 'mekong_kafka_influx_consumer_lag',
      help: 'records behind the end of the partition after the last batch, by topic and partition',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.commits = new Counter({
      name: 'mekong_kafka_influx_commits_total',
      help: 'offset commits after InfluxDB accepted a batch',
      registers,
    });
    this.commitFailures = new Counter({
      name: 'mekong_kafka_influx_commit_failures_total',
      help: 'offset commits that failed (the records are written again after a rebalance: same points)',
      registers,
    });
    new Gauge({
      name: 'mekong_kafka_influx_influx_up',
      help: '1 while InfluxDB accepts writes, 0 while the bridge retries',
      registers,
      collect() {
        this.set(live.influxUp() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mekong_kafka_influx_paused',
      help: '1 while consumption is paused because InfluxDB does not accept writes',
      registers,
      collect() {
        this.set(live.paused() ? 1 : 0);
      },
    });
  }
}
