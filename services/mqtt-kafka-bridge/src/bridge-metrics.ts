import { Counter, Gauge, Histogram, type Registry } from '@mekong/runtime';

const COUNT_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10000];
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The MQTT → Kafka bridge's Prometheus series (prefix `mekong_mqtt_kafka_`). */
export class BridgeMetrics {
  readonly received: Counter;
  readonly sent: Counter<'topic'>;
  readonly dlq: Counter<'code'>;
  readonly batchRecords: Histogram;
  readonly batchBytes: Histogram;
  readonly sendSeconds: Histogram;
  readonly latencySeconds: Histogram;
  readonly retries: Counter;
  readonly backpressure: Counter;
  readonly reconnects: Counter;

  constructor(
    registry: Registry,
    live: {
      inflight: () => { messages: number; bytes: number; full: boolean };
      mqttConnected: () => boolean;
      kafkaUp: () => boolean;
    },
  ) {
    const registers = [registry];
    this.received = new Counter({
      name: 'mekong_mqtt_kafka_messages_received_total',
      help: 'MQTT messages received from the broker (redeliveries included)',
      registers,
    });
    this.sent = new Counter({
      name: 'mekong_mqtt_kafka_records_sent_total',
      help: 'records Kafka acknowledged (acks = all), by topic; the DLQ included',
      labelNames: ['topic'],
      registers,
    });
    this.dlq = new Counter({
      name: 'mekong_mqtt_kafka_dlq_total',
      help: 'messages that failed the contracts and went to mekong.dlq.v1, by error code',
      labelNames: ['code'],
      registers,
    });
    this.batchRecords = new Histogram({
      name: 'mekong_mqtt_kafka_batch_records',
      help: 'records per Kafka produce request',
      buckets: COUNT_BUCKETS,
      registers,
    });
    this.batchBytes = new Histogram({
      name: 'mekong_mqtt_kafka_batch_bytes',
      help: 'bytes per Kafka produce request (before compression)',
      buckets: [1e3, 1e4, 5e4, 1e5, 2.5e5, 5e5, 1e6, 2e6],
      registers,
    });
    this.sendSeconds = new Histogram({
      name: 'mekong_mqtt_kafka_send_seconds',
      help: 'time from sending a batch to Kafka acknowledging it',
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.latencySeconds = new Histogram({
      name: 'mekong_mqtt_kafka_latency_seconds',
      help: 'time from receiving an MQTT message to Kafka acknowledging its record',
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.retries = new Counter({
      name: 'mekong_mqtt_kafka_send_retries_total',
      help: 'failed Kafka produce attempts that were retried',
      registers,
    });
    this.backpressure = new Counter({
      name: 'mekong_mqtt_kafka_backpressure_total',
      help: 'times the bridge stopped reading MQTT because its in-flight budget was full',
      registers,
    });
    this.reconnects = new Counter({
      name: 'mekong_mqtt_kafka_mqtt_reconnects_total',
      help: 'MQTT connections re-established after a loss',
      registers,
    });
    new Gauge({
      name: 'mekong_mqtt_kafka_inflight_messages',
      help: 'messages received and not yet acknowledged by Kafka (their PUBACK is held)',
      registers,
      collect() {
        this.set(live.inflight().messages);
      },
    });
    new Gauge({
      name: 'mekong_mqtt_kafka_inflight_bytes',
      help: 'bytes of the messages held for Kafka',
      registers,
      collect() {
        this.set(live.inflight().bytes);
      },
    });
    new Gauge({
      name: 'mekong_mqtt_kafka_paused',
      help: '1 while the bridge does not read MQTT (in-flight budget full)',
      registers,
      collect() {
        this.set(live.inflight().full ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mekong_mqtt_kafka_mqtt_connected',
      help: '1 while connected to the MQTT broker',
      registers,
      collect() {
        this.set(live.mqttConnected() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mekong_mqtt_kafka_kafka_up',
      help: '1 while Kafka accepts batches, 0 while the bridge retries',
      registers,
      collect() {
        this.set(live.kafkaUp() ? 1 : 0);
      },
    });
  }
}
