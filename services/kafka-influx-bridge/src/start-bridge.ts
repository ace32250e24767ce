import { setTimeout as sleep } from 'node:timers/promises';
import { DLQ_KAFKA_TOPIC, KAFKA_HEADERS, TELEMETRY_KAFKA_TOPICS } from '@mekong/contracts';
import { createKafkaClient, ensureTopics, topicSpecs } from '@mekong/kafka';
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
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { BridgeMetrics } from './bridge-metrics.js';
import type { KafkaInfluxBridgeConfig } from './config.js';
import { headerText, processRecords } from './core/process-records.js';
import { WriteBatcher } from './core/write-batcher.js';
import { createInfluxWriter } from './influx/influx-writer.js';
import { DlqProducer } from './kafka/dlq-producer.js';

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
  const kafka = createKafkaClient({
    clientId: config.kafka.clientId,
    brokers: config.kafka.brokers,
    logger,
    logLevel: config.logLevel,
  });

  let paused = false;
  let consumer: Consumer | undefined;
  let kafkaState: { status: 'starting' | 'ok' | 'rejoining'; since: number; lastError?: string } = {
    status: 'starting',
    since: Date.now(),
  };
  const pauseAll = (pause: boolean) => {
    if (!consumer || paused === pause) return;
    paused = pause;
    const topics = TELEMETRY_TOPICS.map((topic) => ({ topic }));
    if (pause) consumer.pause(topics);
    else consumer.resume(topics);
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

  const eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    if (batch.isEmpty() || !isRunning() || isStale()) return;
    // A batch can wait long for InfluxDB; the group must still hear from this member meanwhile.
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 3_000);
    try {
      const result = await processRecords(
        batch.messages.map((message) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        })),
        {
          submit: (items) => batcher.submit(items),
          sendToDlq: (records) => dlq.send(records),
          maxPayloadBytes: config.maxPayloadBytes,
        },
      );
      const now = Date.now();
      for (const message of batch.messages) {
        const receivedAt = Number(headerText(message.headers?.[KAFKA_HEADERS.receivedAt]));
        if (Number.isFinite(receivedAt) && receivedAt > 0)
          metrics.latencySeconds.observe((now - receivedAt) / 1000);
      }
      metrics.records.inc({ topic: batch.topic, outcome: 'written' }, result.written);
      if (result.dead.length > 0)
        metrics.records.inc({ topic: batch.topic, outcome: 'dlq' }, result.dead.length);
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
      if (isStale()) return;
      const last = batch.lastOffset();
      resolveOffset(last);
      try {
        await commitOffsetsIfNecessary({
          topics: [
            {
              topic: batch.topic,
              partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }],
            },
          ],
        });
        metrics.commits.inc();
      } catch (error) {
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
        throw error;
      }
      metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    } finally {
      clearInterval(beat);
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
    const created = kafka.consumer({
      groupId: config.kafka.groupId,
      // A member that died is noticed (and its partitions handed over) within 10 s.
      sessionTimeout: 10_000,
      rebalanceTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: config.kafka.maxBytesPerPartition,
      maxWaitTimeInMs: config.kafka.fetchMaxWaitMs,
      allowAutoTopicCreation: false,
    });
    created.on(created.events.GROUP_JOIN, ({ payload }) => {
      kafkaState = { status: 'ok', since: Date.now() };
      logger.info(
        { event: 'group_joined', groupId: payload.groupId, assignment: payload.memberAssignment },
        'joined the consumer group',
      );
    });
    created.on(created.events.CRASH, ({ payload }) => {
      kafkaState = { status: 'rejoining', since: Date.now(), lastError: errorMessage(payload.error) };
      logger.warn(
        {
          event: 'consumer_crashed',
          code: 'MEKONG_KAFKA_CONSUMER_FAILED',
          kafkaCode: errorCode(payload.error),
          restart: payload.restart,
          reason: errorMessage(payload.error),
        },
        payload.restart
          ? 'the Kafka consumer failed; kafkajs restarts it'
          : 'the Kafka consumer failed; starting a new one',
      );
      if (!payload.restart && !closing) void restart();
    });
    consumer = created;
    paused = false;
    await created.connect();
    await created.subscribe({ topics: TELEMETRY_TOPICS, fromBeginning: config.kafka.fromBeginning });
    await created.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: config.kafka.partitionsConcurrently,
      eachBatch,
    });
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
      await consumer?.disconnect().catch(() => undefined);
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
      const admin = kafka.admin();
      try {
        await admin.connect();
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
        await admin.disconnect().catch(() => undefined);
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
        await consumer?.disconnect();
      } finally {
        clearTimeout(timer);
        await dlq.close().catch(() => undefined);
        await ops.close();
      }
    },
  };
}
