import { setTimeout as sleep } from 'node:timers/promises';
import { DLQ_KAFKA_TOPIC, KAFKA_HEADERS, TELEMETRY_KAFKA_TOPICS } from '@mekong/contracts';
import { createAdmin, ensureTopics, topicSpecs } from '@mekong/kafka';
import {
  backoffDelay,
  type ComponentHealth,
  checkHealth,
  createLogger,
  createMetricsRegistry,
  errorCode,
  errorMessage,
  type HealthReport,
  type Logger,
  LogThrottle,
  type OpsServer,
  type Registry,
  startOpsServer,
} from '@mekong/runtime';
import { BridgeMetrics } from './bridge-metrics.js';
import type { MqttKafkaBridgeConfig } from './config.js';
import { Forwarder } from './core/forwarder.js';
import { toKafkaRecord } from './core/to-kafka-record.js';
import { KafkaSink } from './kafka/kafka-sink.js';
import { type MqttMessage, MqttSubscriber } from './mqtt/mqtt-subscriber.js';

export interface RunningMqttKafkaBridge {
  /** Bound port of /health and /metrics (useful when configured as 0). */
  ports: { http: number };
  registry: Registry;
  health(): Promise<HealthReport>;
  /**
   * Stops reading MQTT, waits (up to the drain timeout) for Kafka to acknowledge what was received and
   * sends those PUBACKs, then disconnects. What Kafka did not acknowledge stays with the broker's session.
   */
  close(): Promise<void>;
}

export interface StartMqttKafkaBridgeOptions {
  logger?: Logger;
  registry?: Registry;
  /** Called when the broker refuses the bridge after it ran (credentials or ACL changed): the process should end. */
  onFatal?: (error: Error) => void;
}

/** Starts the MQTT → Kafka bridge: the public entry of `mekong bridge mqtt-kafka`, `main.ts` and `mekong start`. */
export async function startMqttKafkaBridge(
  config: MqttKafkaBridgeConfig,
  options: StartMqttKafkaBridgeOptions = {},
): Promise<RunningMqttKafkaBridge> {
  const logger = options.logger ?? createLogger({ service: 'mqtt-kafka-bridge', level: config.logLevel });
  const registry =
    options.registry ?? createMetricsRegistry({ defaultLabels: { service: 'mqtt-kafka-bridge' } });
  const kafka = { clientId: config.kafka.clientId, brokers: config.kafka.brokers };
  const sink = new KafkaSink(kafka, { compression: config.kafka.compression, resetAfterFailures: 3 }, logger);
  let kafkaReady = false;
  let subscriber: MqttSubscriber | undefined;

  const forwarder: Forwarder = new Forwarder(
    sink.send,
    {
      maxBatchRecords: config.batch.maxRecords,
      maxBatchBytes: config.batch.maxBytes,
      lingerMs: config.batch.lingerMs,
      maxInflightMessages: config.inflight.maxMessages,
      maxInflightBytes: config.inflight.maxBytes,
      retry: { initialMs: 100, maxMs: config.retryMaxMs },
    },
    {
      onPressure(full) {
        if (full) {
          metrics.backpressure.inc();
          subscriber?.pause();
        } else subscriber?.resume();
        logger.info(
          { event: full ? 'backpressure_on' : 'backpressure_off', ...forwarder.status() },
          full ? 'in-flight budget full: not reading MQTT until Kafka catches up' : 'reading MQTT again',
        );
      },
      onBatchSent({ records, bytes, durationMs }) {
        const now = Date.now();
        metrics.batchRecords.observe(records.length);
        metrics.batchBytes.observe(bytes);
        metrics.sendSeconds.observe(durationMs / 1000);
        const byTopic = new Map<string, number>();
        for (const record of records) {
          byTopic.set(record.topic, (byTopic.get(record.topic) ?? 0) + 1);
          const receivedAt = Number(record.headers[KAFKA_HEADERS.receivedAt]);
          if (Number.isFinite(receivedAt)) metrics.latencySeconds.observe((now - receivedAt) / 1000);
        }
        for (const [topic, count] of byTopic) metrics.sent.inc({ topic }, count);
      },
      onSendFailed({ error, attempt, delayMs, records }) {
        metrics.retries.inc();
        logger.warn(
          {
            event: 'kafka_send_failed',
            code: 'MEKONG_KAFKA_SEND_FAILED',
            kafkaCode: errorCode(error),
            attempt,
            retryInMs: delayMs,
            records,
            inflight: forwarder.status().inflightMessages,
            reason: errorMessage(error),
          },
          'Kafka did not take the batch; holding the PUBACKs and retrying',
        );
      },
      onRecovered({ outageMs, attempts }) {
        logger.info({ event: 'kafka_recovered', outageMs, attempts }, 'Kafka takes batches again');
      },
    },
  );

  const metrics = new BridgeMetrics(registry, {
    inflight: () => {
      const status = forwarder.status();
      return { messages: status.inflightMessages, bytes: status.inflightBytes, full: status.full };
    },
    mqttConnected: () => subscriber?.status().connected ?? false,
    kafkaUp: () => kafkaReady && forwarder.status().state === 'ok',
  });

  const health = () =>
    checkHealth({
      mqtt: (): ComponentHealth => {
        const status = subscriber?.status();
        if (status?.connected)
          return { status: 'ok', detail: { paused: status.paused, reconnects: status.reconnects } };
        return {
          status: 'degraded',
          detail: {
            state: status ? 'reconnecting' : 'starting',
            since: status?.since,
            lastError: status?.lastError,
          },
        };
      },
      kafka: (): ComponentHealth => {
        const status = forwarder.status();
        if (!kafkaReady)
          return { status: 'degraded', detail: { state: 'connecting', lastError: kafkaStartError } };
        return { status: status.state === 'ok' ? 'ok' : 'degraded', detail: { ...status } };
      },
    });
  let kafkaStartError: string | undefined;

  const ops: OpsServer = await startOpsServer({
    port: config.http.port,
    host: config.http.host,
    health,
    registry,
  });
  let closed = false;
  try {
    for (let attempt = 1; !kafkaReady; attempt++) {
      try {
        const admin = createAdmin(kafka);
        try {
          if (config.kafka.topics.create) {
            const specs = topicSpecs(config.kafka.topics, {
              telemetry: Object.values(TELEMETRY_KAFKA_TOPICS),
              dlq: DLQ_KAFKA_TOPIC,
            });
            await ensureTopics(admin, specs, logger);
          }
        } finally {
          await admin.close().catch(() => undefined);
        }
        await sink.connect();
        kafkaReady = true;
      } catch (error) {
        if (errorCode(error) === 'MEKONG_KAFKA_TOPIC_SETUP_FAILED' && attempt > 20) throw error;
        kafkaStartError = errorMessage(error);
        const delay = backoffDelay(attempt, { initialMs: 200, maxMs: config.retryMaxMs }, Math.random());
        logger.warn(
          {
            event: 'kafka_unreachable',
            code: 'MEKONG_KAFKA_SEND_FAILED',
            attempt,
            retryInMs: delay,
            reason: kafkaStartError,
          },
          `cannot reach Kafka at ${config.kafka.brokers.join(',')}; retrying`,
        );
        await sleep(delay);
      }
    }

    const throttle = new LogThrottle(10_000);
    const routeOptions = {
      maxPayloadBytes: config.maxPayloadBytes,
      dlqMaxValueBytes: config.dlqMaxValueBytes,
    };
    const onMessage = (message: MqttMessage) => {
      metrics.received.inc();
      const routed = toKafkaRecord(message.topic, message.payload, message.receivedAtMs, routeOptions);
      if (!routed.valid) {
        metrics.dlq.inc({ code: routed.issue.code });
        const admitted = throttle.admit(routed.issue.code, message.receivedAtMs);
        if (admitted) {
          logger.warn(
            {
              event: 'message_rejected',
              code: routed.issue.code,
              path: routed.issue.path,
              topic: message.topic,
              reason: routed.issue.message,
              suppressed: admitted.suppressed,
            },
            'invalid message sent to the DLQ',
          );
        }
      }
      forwarder.submit(routed.record, message.ack);
    };
    subscriber = new MqttSubscriber(
      {
        url: config.mqtt.url,
        clientId: config.mqtt.clientId,
        ...(config.mqtt.username !== undefined ? { username: config.mqtt.username } : {}),
        ...(config.mqtt.password !== undefined ? { password: config.mqtt.password } : {}),
        ...(config.mqtt.caFile !== undefined ? { caFile: config.mqtt.caFile } : {}),
        protocolVersion: config.mqtt.protocolVersion,
        topicFilters: config.mqtt.topicFilters,
        sessionExpiryS: config.mqtt.sessionExpiryS,
        keepaliveS: config.mqtt.keepaliveS,
        receiveMaximum: config.inflight.maxMessages,
        reconnect: { initialMs: 200, maxMs: config.retryMaxMs },
        connectTimeoutMs: 10_000,
      },
      {
        message: onMessage,
        connected: ({ reconnect }) => {
          if (reconnect) metrics.reconnects.inc();
        },
        fatal: (error) => {
          options.onFatal?.(error);
        },
      },
      logger,
    );
    await subscriber.start();
  } catch (error) {
    await subscriber?.close().catch(() => undefined);
    forwarder.close();
    await sink.close().catch(() => undefined);
    await ops.close();
    throw error;
  }
  logger.info(
    {
      event: 'bridge_started',
      mqtt: config.mqtt.url,
      filters: config.mqtt.topicFilters,
      clientId: config.mqtt.clientId,
      kafka: config.kafka.brokers,
      httpPort: ops.port,
    },
    'MQTT → Kafka bridge running',
  );

  const running = subscriber;
  return {
    ports: { http: ops.port },
    registry,
    health,
    close: async () => {
      if (closed) return;
      closed = true;
      running.pause();
      const drained = await forwarder.drain(config.drainTimeoutMs);
      if (!drained) {
        logger.warn(
          {
            event: 'drain_timeout',
            code: 'MEKONG_BRIDGE_DRAIN_TIMEOUT',
            inflight: forwarder.status().inflightMessages,
          },
          'Kafka did not take everything in time; the broker keeps the rest for the next start',
        );
      }
      forwarder.close();
      await running.close();
      await sink.close().catch(() => undefined);
      await ops.close();
    },
  };
}
