// The Kafka client, @platformatic/kafka, against the devstack's Kafka:
//
//   pnpm exec tsx test/bench/kafka-client.bench.ts      (or ./mekong bench kafka-client)
//
// Each round:
//  P. produce BENCH_RECORDS telemetry-like records (20 line keys, ~230-byte JSON values, two headers) to
//     a 6-partition topic as the MQTT → Kafka bridge does: idempotent, acks = all, one request in flight,
//     batches of BENCH_BATCH records; records/s, send latency percentiles, CPU seconds per million records;
//  S. the same with batches of 10 records (the bridge at low load): latency percentiles;
//  C. a new consumer group reads the round's topic from the beginning (offsets committed once a
//     second): records/s from the first record on, and CPU seconds (from joining the group) per million.
// BENCH_ROUNDS (3), BENCH_RECORDS (200000), BENCH_BATCH (500) adjust it; figures are medians of rounds.
// The comparison with kafkajs 2.2.4 that chose this client is this file as of commit 2e2f1a1
// (docs/decisions.md, "Kafka client").
import { randomUUID } from 'node:crypto';
import { devstackConfigFromEnv, devstackUp } from '@mekong/devstack';
import {
  Admin,
  Consumer,
  compatibilityPartitioner,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringSerializer,
} from '@platformatic/kafka';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const SMALL_RECORDS = 20_000;
const SMALL_BATCH = 10;
const PARTITIONS = 6;

interface TestRecord {
  key: Buffer;
  value: Buffer;
  headers: Record<string, Buffer>;
}

interface ProduceFigures {
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  cpuPerMillion: number;
}

interface ConsumeFigures {
  perSecond: number;
  cpuPerMillion: number;
}

interface ClientUnderTest {
  name: string;
  produce(topic: string, records: TestRecord[], batch: number): Promise<ProduceFigures>;
  consume(topic: string, expected: number): Promise<ConsumeFigures>;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

function makeRecords(count: number): TestRecord[] {
  const records: TestRecord[] = [];
  for (let i = 0; i < count; i++) {
    const line = `acme/hanoi/assembly/line-${i % 20}`;
    const payload = {
      v: 1,
      kind: 'sensor',
      cell: `${line}/cell-${i % 7}`,
      seq: i,
      ts: new Date(1_780_000_000_000 + i).toISOString(),
      readings: [
        { name: 'spindle_temp', value: 40 + (i % 100) / 10, unit: 'degC' },
        { name: 'vibration', value: (i % 50) / 100, unit: 'mm/s' },
      ],
    };
    records.push({
      key: Buffer.from(line),
      value: Buffer.from(JSON.stringify(payload)),
      headers: {
        'mekong-mqtt-topic': Buffer.from(`mekong/${line}/cell-${i % 7}/sensor`),
        'mekong-received-at': Buffer.from(String(1_780_000_000_000 + i)),
      },
    });
  }
  return records;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function timeSends(
  records: TestRecord[],
  batch: number,
  send: (slice: TestRecord[]) => Promise<void>,
): Promise<ProduceFigures> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < records.length; i += batch) {
    const sent = performance.now();
    await send(records.slice(i, i + batch));
    latencies.push(performance.now() - sent);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuUsed = cpuSeconds(cpu);
  latencies.sort((a, b) => a - b);
  return {
    perSecond: records.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpuPerMillion: (cpuUsed / records.length) * 1e6,
  };
}

function platformaticClient(brokers: string[]): ClientUnderTest {
  return {
    name: '@platformatic/kafka 1.35.0',
    async produce(topic, records, batch) {
      const producer = new Producer<Buffer, Buffer, string, Buffer>({
        clientId: 'bench-platformatic',
        serializers: { headerKey: stringSerializer },
        retries: 5,
        bootstrapBrokers: brokers,
        idempotent: true,
        acks: ProduceAcks.ALL,
        partitioner: compatibilityPartitioner,
        autocreateTopics: false,
      });
      try {
        return await timeSends(records, batch, async (slice) => {
          await producer.send({
            messages: slice.map((r) => ({ topic, key: r.key, value: r.value, headers: r.headers })),
          });
        });
      } finally {
        await producer.close();
      }
    },
    async consume(topic, expected) {
      const cpu = process.cpuUsage();
      const consumer = new Consumer({
        clientId: 'bench-platformatic',
        bootstrapBrokers: brokers,
        groupId: `bench-${randomUUID()}`,
        maxWaitTime: 100,
        autocommit: 1_000,
      });
      const stream = await consumer.consume({
        topics: [topic],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: MessagesStreamFallbackModes.EARLIEST,
      });
      let seen = 0;
      let start = 0;
      // 'data' events, as the Kafka → InfluxDB bridge reads (an async iterator costs a promise per record).
      await new Promise<void>((resolve) => {
        stream.on('data', () => {
          if (start === 0) start = performance.now();
          if (++seen === expected) resolve();
        });
      });
      const seconds = (performance.now() - start) / 1000;
      const cpuUsed = cpuSeconds(cpu);
      await stream.close();
      await consumer.close(true);
      return { perSecond: seen / seconds, cpuPerMillion: (cpuUsed / seen) * 1e6 };
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function mediansOf(r: { produce: ProduceFigures[]; small: ProduceFigures[]; consume: ConsumeFigures[] }) {
  return {
    produce: median(r.produce.map((f) => f.perSecond)),
    p50: median(r.produce.map((f) => f.p50)),
    p95: median(r.produce.map((f) => f.p95)),
    p99: median(r.produce.map((f) => f.p99)),
    cpu: median(r.produce.map((f) => f.cpuPerMillion)),
    sp50: median(r.small.map((f) => f.p50)),
    sp99: median(r.small.map((f) => f.p99)),
    scpu: median(r.small.map((f) => f.cpuPerMillion)),
    consume: median(r.consume.map((f) => f.perSecond)),
    ccpu: median(r.consume.map((f) => f.cpuPerMillion)),
  };
}

async function main(): Promise<void> {
  const stack = await devstackUp(
    devstackConfigFromEnv({
      ...process.env,
      MEKONG_DEVSTACK_INSTANCE: 'bench-kafka-client',
      MEKONG_DEVSTACK_DOCKER: 'never',
    }),
    () => undefined,
  );
  const brokers = stack.endpoints.kafka.brokers;
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: brokers });
  const clients = [platformaticClient(brokers)];
  const records = makeRecords(RECORDS);
  const small = records.slice(0, SMALL_RECORDS);
  const results = new Map<
    string,
    { produce: ProduceFigures[]; small: ProduceFigures[]; consume: ConsumeFigures[] }
  >(clients.map((c) => [c.name, { produce: [], small: [], consume: [] }]));
  const run = randomUUID().slice(0, 8);
  log(
    `kafka-client: ${RECORDS} records in batches of ${BATCH} (and ${SMALL_RECORDS} in batches of ${SMALL_BATCH}), ${ROUNDS} rounds, load ${(
      await import('node:os')
    )
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? clients : [...clients].reverse();
      const topics = order.map((_, i) => `bench-${run}-${round}-${i}`);
      await admin.createTopics({
        topics: [...topics, ...topics.map((topic) => `${topic}-s`)],
        partitions: PARTITIONS,
        replicas: 1,
      });
      for (const [i, client] of order.entries()) {
        const entry = results.get(client.name);
        if (!entry) continue;
        const produced = await client.produce(topics[i] as string, records, BATCH);
        entry.produce.push(produced);
        const smallSends = await client.produce(`${topics[i]}-s`, small, SMALL_BATCH);
        entry.small.push(smallSends);
        log(
          `round ${round + 1} ${client.name}: produce ${produced.perSecond.toFixed(0)}/s p50 ${produced.p50.toFixed(1)} p95 ${produced.p95.toFixed(1)} p99 ${produced.p99.toFixed(1)} ms, ${produced.cpuPerMillion.toFixed(1)} CPU s/M; batches of ${SMALL_BATCH}: ${smallSends.perSecond.toFixed(0)}/s p50 ${smallSends.p50.toFixed(1)} p99 ${smallSends.p99.toFixed(1)} ms, ${smallSends.cpuPerMillion.toFixed(1)} CPU s/M`,
        );
      }
      // Both clients read the same topic, the one the round's first client wrote.
      for (const client of order) {
        const entry = results.get(client.name);
        if (!entry) continue;
        const consumed = await client.consume(topics[0] as string, RECORDS);
        entry.consume.push(consumed);
        log(
          `round ${round + 1} ${client.name}: consume ${consumed.perSecond.toFixed(0)}/s, ${consumed.cpuPerMillion.toFixed(1)} CPU s/M`,
        );
      }
    }
    log('\nmedians:');
    log(
      '| client | produce records/s | send p50 / p95 / p99 ms | CPU s per M produced | batches of 10: p50 / p99 ms, CPU s/M | consume records/s | CPU s per M consumed |',
    );
    log('|---|---|---|---|---|---|---|');
    for (const [name, r] of results) {
      const m = mediansOf(r);
      log(
        `| ${name} | ${m.produce.toFixed(0)} | ${m.p50.toFixed(1)} / ${m.p95.toFixed(1)} / ${m.p99.toFixed(1)} | ${m.cpu.toFixed(1)} | ${m.sp50.toFixed(1)} / ${m.sp99.toFixed(1)}, ${m.scpu.toFixed(1)} | ${m.consume.toFixed(0)} | ${m.ccpu.toFixed(1)} |`,
      );
    }
  } finally {
    await admin.close();
    await stack.stop();
  }
}

await main();
