import { setTimeout as sleep } from 'node:timers/promises';
import { DLQ_KAFKA_TOPIC, KAFKA_HEADERS, TELEMETRY_KAFKA_TOPICS } from '@mekong/contracts';
import { createAdmin, createConsumer, ensureTopics, topicSpecs } from '@mekong/kafka';
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
import type { KafkaInfluxBridgeConfig } from './config.js';
import { headerText, processRecords, type SourceRecord } from './core/process-records.js';
import { WriteBatcher } from './core/write-batcher.js';
import { createInfluxWriter } from './influx/influx-writer.js';
import { DlqProducer } from './kafka/dlq-producer.js';
import { GroupReader } from './kafka/group-reader.js';

export interface RunningKafkaInfluxBridge {
  /** Bound port of /health and /metrics (useful when configured as 0). */
  ports: { http: number };
  registry: Registry;
  health(): Promise<HealthReport>;
  /**
   * Finishes the batches in progress (written and committed), bounded by the drain timeout, then
   * leaves the consumer group; uncommitted records are read again by whoever takes the partitions.
   */
  close(): Promise<void>;
}

export interface StartKafkaInfluxBridgeOptions {
  logger?: Logger;
  registry?: Registry;
}

const TELEMETRY_TOPICS = Object.values(TELEMETRY_KAFKA_TOPICS);

/** Starts the Kafka → InfluxDB bridge: the public entry of `mekong bridge kafka-influx`, `main.ts` and `mekong start`. */
export async function startKafkaInfluxBridge(
  config: KafkaInfluxBridgeConfig,
  options: StartKafkaInfluxBridgeOptions = {},
): Promise<RunningKafkaInfluxBridge> {
  const logger = options.logger ?? createLogger({ service: 'kafka-influx-bridge', level: config.logLevel });
  const registry =
    options.registry ?? createMetricsRegistry({ defaultLabels: { service: 'kafka-influx-bridge' } });
  const kafka = { clientId: config.kafka.clientId, brokers: config.kafka.brokers };

  let paused = false;
  let reader: GroupReader | undefined;
  let kafkaState: { status: 'starting' | 'ok' | 'rejoining'; since: number; lastError?: string } = {
    status: 'starting',
    since: Date.now(),
  };
  const pauseAll = (pause: boolean) => {
    if (!reader || paused === pause) return;
    paused = pause;
    reader.pause(pause);
  };

  const batcher: WriteBatcher = new WriteBatcher(
    createInfluxWriter(config.influx),
    {
      maxPoints: config.batch.maxPoints,
      flushIntervalMs: config.batch.flushIntervalMs,
      concurrency: config.batch.concurrency,
      retry: { initialMs: 100, maxMs: config.retryMaxMs },
    },
    {
      onWritten({ points, durationMs }) {
        metrics.pointsWritten.inc(points);
        metrics.writePoints.observe(points);
        metrics.writeSeconds.observe(durationMs / 1000);
      },
      onRetry({ attempt, delayMs, reason, points }) {
        metrics.writeRetries.inc();
        logger.warn(
          {
            event: 'influx_write_failed',
            code: 'MEKONG_INFLUX_UNREACHABLE',
            attempt,
            retryInMs: delayMs,
            points,
            reason,
          },
          'InfluxDB did not take the write; consumption paused, retrying (offsets stay uncommitted)',
        );
      },
      onHealthChange(healthy) {
        pauseAll(!healthy);
        logger.info(
          { event: healthy ? 'influx_recovered' : 'consumption_paused' },
          healthy
            ? 'InfluxDB takes writes again; consumption resumed'
            : 'consumption paused until InfluxDB takes writes',
        );
      },
      onSplit({ status, reason, items }) {
        metrics.writeSplits.inc();
        logger.debug(
          { event: 'influx_write_split', status, reason, records: items },
          'splitting a refused write',
        );
      },
    },
  );
  const metrics = new BridgeMetrics(registry, {
    influxUp: () => batcher.status().state === 'ok',
    paused: () => paused,
  });
  const dlq = new DlqProducer(kafka, config.retryMaxMs, logger, () => metrics.dlqRetries.inc());
  const throttle = new LogThrottle(10_000);

  const health = () =>
    checkHealth({
      influxdb: (): ComponentHealth => {
        const status = batcher.status();
        return { status: status.state === 'ok' ? 'ok' : 'degraded', detail: { ...status, paused } };
      },
      kafka: (): ComponentHealth => ({
        status: kafkaState.status === 'ok' ? 'ok' : 'degraded',
        detail: { ...kafkaState },
      }),
    });

  /** A partition's batch written (or sent to the DLQ); the reader commits its offsets afterwards. */
  const processBatch = async (records: SourceRecord[]): Promise<void> => {
    const first = records[0];
    if (!first) return;
    const { topic } = first;
    const result = await processRecords(records, {
      submit: (items) => batcher.submit(items),
      sendToDlq: (dead) => dlq.send(dead),
      maxPayloadBytes: config.maxPayloadBytes,
    });
    const now = Date.now();
    for (const record of records) {
      const receivedAt = Number(headerText(record.headers?.[KAFKA_HEADERS.receivedAt]));
      if (Number.isFinite(receivedAt) && receivedAt > 0)
        metrics.latencySeconds.observe((now - receivedAt) / 1000);
    }
    metrics.records.inc({ topic, outcome: 'written' }, result.written);
    if (result.dead.length > 0) metrics.records.inc({ topic, outcome: 'dlq' }, result.dead.length);
    for (const { record, issue } of result.dead) {
      metrics.dlq.inc({ code: issue.code });
      const admitted = throttle.admit(issue.code, now);
      if (admitted) {
        logger.warn(
          {
            event: 'record_rejected',
            code: issue.code,
            path: issue.path,
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            mqttTopic: headerText(record.headers?.[KAFKA_HEADERS.mqttTopic]),
            reason: issue.message,
            suppressed: admitted.suppressed,
          },
          'record sent to the DLQ',
        );
      }
    }
  };

  const ops: OpsServer = await startOpsServer({
    port: config.http.port,
    host: config.http.host,
    health,
    registry,
  });
  let closing = false;

  const runConsumer = async (): Promise<void> => {
    const consumer = createConsumer(kafka, {
      groupId: config.kafka.groupId,
      maxBytesPerPartition: config.kafka.maxBytesPerPartition,
      maxWaitTimeMs: config.kafka.fetchMaxWaitMs,
    });
    const created = new GroupReader(
      consumer,
      {
        topics: TELEMETRY_TOPICS,
        fromBeginning: config.kafka.fromBeginning,
        partitionsConcurrently: config.kafka.partitionsConcurrently,
        maxBatchRecords: config.batch.maxPoints,
        maxBufferedRecords: config.batch.maxPoints * Math.max(2, config.kafka.partitionsConcurrently),
      },
      {
        processBatch,
        onJoined(assignments) {
          kafkaState = { status: 'ok', since: Date.now() };
          logger.info(
            { event: 'group_joined', groupId: config.kafka.groupId, assignments },
            'joined the consumer group',
          );
        },
        onCommitted() {
          metrics.commits.inc();
        },
        onCommitFailed(error) {
          metrics.commitFailures.inc();
          logger.warn(
            {
              event: 'commit_failed',
              code: 'MEKONG_KAFKA_COMMIT_FAILED',
              kafkaCode: errorCode(error),
              reason: errorMessage(error),
            },
            'could not commit offsets; the records will be written again (same points)',
          );
        },
        onFailed(error) {
          if (closing || reader !== created) return;
          kafkaState = { status: 'rejoining', since: Date.now(), lastError: errorMessage(error) };
          logger.warn(
            {
              event: 'consumer_crashed',
              code: 'MEKONG_KAFKA_CONSUMER_FAILED',
              kafkaCode: errorCode(error),
              reason: errorMessage(error),
            },
            'the Kafka consumer failed; starting a new one',
          );
          void restart();
        },
        onLag(topic, partition, lag) {
          metrics.lag.set({ topic, partition: String(partition) }, lag);
        },
      },
      logger,
    );
    reader = created;
    paused = false;
    await created.start();
    kafkaState = { status: 'ok', since: Date.now() };
    if (batcher.status().state !== 'ok') pauseAll(true);
  };

  /** Marks Kafka as not there, says so, and sleeps the backoff of `attempt`. */
  const waitToRetry = async (
    attempt: number,
    initialMs: number,
    status: 'starting' | 'rejoining',
    error: unknown,
  ): Promise<void> => {
    const delay = backoffDelay(attempt, { initialMs, maxMs: config.retryMaxMs }, Math.random());
    kafkaState = { status, since: kafkaState.since, lastError: errorMessage(error) };
    logger.warn(
      {
        event: 'kafka_unreachable',
        code: 'MEKONG_KAFKA_CONSUMER_FAILED',
        attempt,
        retryInMs: delay,
        reason: errorMessage(error),
      },
      `cannot reach Kafka at ${config.kafka.brokers.join(',')}; retrying`,
    );
    await sleep(delay);
  };

  const restart = async (): Promise<void> => {
    for (let attempt = 1; !closing; attempt++) {
      await reader?.close().catch(() => undefined);
      try {
        await runConsumer();
        return;
      } catch (error) {
        await waitToRetry(attempt, 500, 'rejoining', error);
      }
    }
  };

  try {
    for (let attempt = 1; ; attempt++) {
      const admin = createAdmin(kafka);
      try {
        if (config.kafka.topics.create) {
          const specs = topicSpecs(config.kafka.topics, {
            telemetry: TELEMETRY_TOPICS,
            dlq: DLQ_KAFKA_TOPIC,
          });
          await ensureTopics(admin, specs, logger);
        }
        break;
      } catch (error) {
        if (errorCode(error) === 'MEKONG_KAFKA_TOPIC_SETUP_FAILED' && attempt > 20) throw error;
        await waitToRetry(attempt, 200, 'starting', error);
      } finally {
        await admin.close().catch(() => undefined);
      }
    }
    await restart();
  } catch (error) {
    await ops.close();
    throw error;
  }
  logger.info(
    {
      event: 'bridge_started',
      kafka: config.kafka.brokers,
      groupId: config.kafka.groupId,
      influx: config.influx.url,
      bucket: config.influx.bucket,
      httpPort: ops.port,
    },
    'Kafka → InfluxDB bridge running',
  );

  return {
    ports: { http: ops.port },
    registry,
    health,
    close: async () => {
      if (closing) return;
      closing = true;
      const timer = setTimeout(() => {
        logger.warn(
          { event: 'drain_timeout', code: 'MEKONG_BRIDGE_DRAIN_TIMEOUT', ...batcher.status() },
          'writes did not finish in time; their offsets stay uncommitted for the next start',
        );
        batcher.abort('shutting down');
        dlq.abort();
      }, config.drainTimeoutMs);
      try {
        await reader?.close();
      } finally {
        clearTimeout(timer);
        await dlq.close().catch(() => undefined);
        await ops.close();
      }
    },
  };
}
