// The bridges, measured with everything co-resident on this machine (Kafka, InfluxDB, the broker,
// both bridges, the load generators, and Telegraf as the peer):
//
//   pnpm exec tsx test/bench/bridge.bench.ts
//
// BENCH_RUNS (3), BENCH_LOAD_PROCESSES (2), BENCH_DEVICES_PER_PROCESS (10), BENCH_MESSAGES (100000 per
// throughput run), BENCH_LATENCY_SECONDS (20) adjust it. Each run:
//  A. MQTT → Kafka → InfluxDB: the generators publish BENCH_MESSAGES count messages as fast as the broker
//     takes them; the steady rate (10 %–90 % of the messages) of records Kafka acknowledged to the MQTT
//     bridge and of points InfluxDB accepted from the Kafka bridge, both bridges running;
//  B. Kafka → InfluxDB alone: a new consumer group drains run A's records;
//  T. Telegraf mqtt_consumer (QoS 1, persistent session, acknowledges after the output wrote) →
//     InfluxDB, our bridges stopped, same messages: points/s into InfluxDB.
// Then once: latency percentiles under steady loads (BENCH_LATENCY_RATES, default 1000, 2500 and half
// of A's median rate), from publish to a record consumable in Kafka and to a point queryable in
// InfluxDB (a probe cell publishing every 50 ms during the load). BENCH_ONLY=latency|telegraf runs
// only that part, BENCH_ONLY=ours only A and B (no Telegraf build, no latency runs); BENCH_PROFILE=<dir>
// writes V8 CPU profiles of the services.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfluxDB } from '@influxdata/influxdb-client';
import { passwd } from '@mekong/broker';
import { KAFKA_HEADERS, kafkaTopicFor } from '@mekong/contracts';
import { devstackConfigFromEnv, devstackUp } from '@mekong/devstack';
import { Admin, Consumer, MessagesStreamModes, stringDeserializer } from '@platformatic/kafka';
import mqtt from 'mqtt';
import { ensureTelegraf, TELEGRAF_VERSION } from './bridge-telegraf.js';

const settings = {
  runs: Number(process.env.BENCH_RUNS ?? 3),
  loadProcesses: Number(process.env.BENCH_LOAD_PROCESSES ?? 2),
  devicesPerProcess: Number(process.env.BENCH_DEVICES_PER_PROCESS ?? 10),
  messages: Number(process.env.BENCH_MESSAGES ?? 100_000),
  latencySeconds: Number(process.env.BENCH_LATENCY_SECONDS ?? 20),
  /** Loads of the latency runs, messages/s, comma-separated; `half` = half the median MQTT → Kafka rate. */
  latencyRates: (process.env.BENCH_LATENCY_RATES ?? '1000,2500,half').split(','),
  /** `latency` runs only the latency measurement (at BENCH_LATENCY_RATE). */
  only: process.env.BENCH_ONLY,
  window: 100,
};
const PASSWORD = 'bench-bridge-password';
const repoRoot = join(import.meta.dirname, '../..');
const WORKER = join(import.meta.dirname, 'bridge-load-worker.ts');
const log = (line: string) => process.stdout.write(`${line}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    server.on('error', reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
};

async function metric(port: number, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.split(' ').at(-1));
  }
  return total;
}

/** Cumulative bucket counts of a Prometheus histogram, by upper bound in ms. */
async function histogram(port: number, name: string): Promise<Map<number, number>> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}_bucket\\{.*le="([^"]+)".*\\} (\\S+)$`).exec(line);
    if (match)
      buckets.set(match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]) * 1000, Number(match[2]));
  }
  return buckets;
}

/** The upper bound of the bucket holding quantile `q` of what was observed between two readings. */
function histogramQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  for (const bound of bounds) {
    if ((after.get(bound) ?? 0) - (before.get(bound) ?? 0) >= q * total) return bound;
  }
  return Number.POSITIVE_INFINITY;
}

async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`)
      .then((r) => r.json() as Promise<{ status: string }>)
      .then(
        (report) => report.status === 'ok',
        () => false,
      );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing healthy on port ${port}`);
}

function spawnNode(entry: string, env: Record<string, string>): ChildProcess {
  // BENCH_PROFILE=<dir>: V8 CPU profiles of the services, written when they stop.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  return spawn(process.execPath, [...profile, '--import', 'tsx', join(repoRoot, entry)], {
    cwd: repoRoot,
    env: { ...process.env, MEKONG_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** CPU seconds (user + system) a child process has used so far, from /proc (Linux). */
async function cpuSecondsOf(child: ChildProcess): Promise<number> {
  const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(20_000).then(() => child.kill('SIGKILL'))]);
}

/**
 * Samples `read` every `everyMs` until it reaches `target`, and returns the steady rate: the interval
 * between crossing 10 % and 90 % of `target` (interpolated between samples), over 80 % of `target`.
 */
async function steadyRate(
  read: () => Promise<number>,
  target: number,
  everyMs: number,
  timeoutMs: number,
  /** The counter's value before the work started, when it may already have moved on the first read. */
  from?: number,
): Promise<{ rate: number; done: boolean }> {
  const start = from ?? (await read());
  const goal = (f: number) => start + f * target;
  const deadline = Date.now() + timeoutMs;
  let previous = { t: Date.now(), v: start };
  let t10: number | undefined;
  let t90: number | undefined;
  const cross = (f: number, now: { t: number; v: number }) =>
    previous.t + ((goal(f) - previous.v) / Math.max(1, now.v - previous.v)) * (now.t - previous.t);
  while (Date.now() < deadline) {
    await sleep(everyMs);
    const now = { t: Date.now(), v: await read() };
    if (t10 === undefined && now.v >= goal(0.1)) t10 = cross(0.1, now);
    if (t90 === undefined && now.v >= goal(0.9)) t90 = cross(0.9, now);
    previous = now;
    if (now.v >= goal(1)) break;
  }
  const done = previous.v >= goal(1);
  if (t10 === undefined || t90 === undefined) return { rate: 0, done };
  return { rate: (0.8 * target) / ((t90 - t10) / 1000), done };
}

interface Load {
  enterprise: string;
  perDevice: number;
  rate: number;
}

/** Forks the load processes, connects their devices, then starts them together; resolves with their acked count. */
async function generate(brokerUrl: string, load: Load): Promise<{ acked: number; seconds: number }> {
  const workers = Array.from({ length: settings.loadProcesses }, (_, worker) =>
    fork(
      WORKER,
      [
        JSON.stringify({
          url: brokerUrl,
          username: 'admin',
          password: PASSWORD,
          enterprise: load.enterprise,
          worker,
          devices: settings.devicesPerProcess,
          count: load.perDevice,
          rate: load.rate / settings.loadProcesses,
          window: settings.window,
        }),
      ],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    ),
  );
  const next = <T>(child: ChildProcess) =>
    new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
  await Promise.all(workers.map((w) => next(w)));
  const results = workers.map((w) => next<{ acked: number; seconds: number }>(w));
  for (const w of workers) w.send('go');
  const done = await Promise.all(results);
  return {
    acked: done.reduce((sum, r) => sum + r.acked, 0),
    seconds: Math.max(...done.map((r) => r.seconds)),
  };
}

const telegrafConfig = (o: {
  port: number;
  enterprise: string;
  influx: { url: string; token: string; org: string; bucket: string };
}) => `
[agent]
  interval = "10s"
  flush_interval = "100ms"
  flush_jitter = "0s"
  metric_batch_size = 5000
  metric_buffer_limit = 500000
  omit_hostname = true
  quiet = ${process.env.BENCH_DEBUG ? 'false' : 'true'}

[[inputs.mqtt_consumer]]
  servers = ["tcp://127.0.0.1:${o.port}"]
  topics = ["mekong/v1/${o.enterprise}/#"]
  qos = 1
  persistent_session = true
  client_id = "bridge-tg-${o.enterprise}"
  username = "bridge"
  password = "${PASSWORD}"
  ## Messages read but not yet written by the output; past it Telegraf stops acknowledging (QoS 1).
  max_undelivered_messages = 20000
  data_format = "json_v2"
  [[inputs.mqtt_consumer.topic_parsing]]
    topic = "mekong/v1/+/+/+/+/+/+"
    tags = "_/_/enterprise/site/area/line/cell/_"
  [[inputs.mqtt_consumer.json_v2]]
    measurement_name = "production"
    timestamp_path = "ts"
    timestamp_format = "unix_ms"
    [[inputs.mqtt_consumer.json_v2.field]]
      path = "good"
      type = "int"
    [[inputs.mqtt_consumer.json_v2.field]]
      path = "scrap"
      type = "int"
    [[inputs.mqtt_consumer.json_v2.field]]
      path = "product"
    [[inputs.mqtt_consumer.json_v2.field]]
      path = "seq"
      type = "int"

[[outputs.influxdb_v2]]
  urls = ["${o.influx.url}"]
  token = "${o.influx.token}"
  organization = "${o.influx.org}"
  bucket = "${o.influx.bucket}"
`;

async function main(): Promise<void> {
  const telegraf = settings.only === 'ours' ? '' : await ensureTelegraf(log);
  const stack = await devstackUp(
    devstackConfigFromEnv({
      ...process.env,
      MEKONG_DEVSTACK_INSTANCE: 'bench-bridge',
      MEKONG_DEVSTACK_DOCKER: 'never',
    }),
    () => undefined,
  );
  const { kafka: kafkaEndpoint, influxdb } = stack.endpoints;
  const brokers = kafkaEndpoint.brokers;
  const influx = new InfluxDB({ url: influxdb.url, token: influxdb.token, timeout: 60_000 });
  const countPoints = async (enterprise: string, measurement: string) => {
    const rows = await influx.getQueryApi(influxdb.org).collectRows<{ _value: number }>(
      `from(bucket: "${influxdb.bucket}") |> range(start: -1d, stop: 1d)
        |> filter(fn: (r) => r._measurement == "${measurement}" and r.enterprise == "${enterprise}" and r._field == "seq")
        |> group() |> count()`,
    );
    return rows[0]?._value ?? 0;
  };
  const admin = new Admin({ clientId: 'bench', bootstrapBrokers: brokers });

  const dir = await mkdtemp(join(tmpdir(), 'mekong-bench-bridge-'));
  const credentials = join(dir, 'credentials.json');
  await passwd(credentials, { username: 'admin', password: PASSWORD, role: 'admin' });
  await passwd(credentials, { username: 'bridge', password: PASSWORD, role: 'service' });
  const mqttPort = await freePort();
  const brokerHttp = await freePort();
  const broker = spawnNode('services/broker/src/main.ts', {
    MEKONG_BROKER_HOST: '127.0.0.1',
    MEKONG_BROKER_PORT: String(mqttPort),
    MEKONG_BROKER_HTTP_PORT: String(brokerHttp),
    MEKONG_BROKER_WS_ENABLED: 'false',
    MEKONG_BROKER_CREDENTIALS_FILE: credentials,
    MEKONG_BROKER_MAX_INFLIGHT: '1000',
  });
  await waitHealthy(brokerHttp);
  const brokerUrl = `mqtt://127.0.0.1:${mqttPort}`;
  const mqttKafkaHttp = await freePort();
  const kafkaInfluxHttp = await freePort();
  const bridgeEnv = {
    MEKONG_KAFKA_BROKERS: brokers.join(','),
    MEKONG_INFLUX_URL: influxdb.url,
    MEKONG_INFLUX_TOKEN: influxdb.token,
    MEKONG_INFLUX_ORG: influxdb.org,
    MEKONG_INFLUX_BUCKET: influxdb.bucket,
  };
  // A session of its own per load, subscribed to that load only: a persistent session left behind
  // would make the broker queue every later message (Telegraf's included) for a bridge that is gone.
  const startBridges = async (enterprise: string) => {
    const mqttKafka = spawnNode('services/mqtt-kafka-bridge/src/main.ts', {
      ...bridgeEnv,
      MEKONG_MQTT_URL: brokerUrl,
      MEKONG_MQTT_USERNAME: 'bridge',
      MEKONG_MQTT_PASSWORD: PASSWORD,
      MEKONG_MQTT_CLIENT_ID: `bridge-${enterprise}`,
      MEKONG_MQTT_TOPIC_FILTERS: `mekong/v1/${enterprise}/#`,
      MEKONG_MQTT_KAFKA_HTTP_PORT: String(mqttKafkaHttp),
    });
    const kafkaInflux = spawnNode('services/kafka-influx-bridge/src/main.ts', {
      ...bridgeEnv,
      MEKONG_KAFKA_INFLUX_GROUP_ID: 'bench-kafka-influx',
      MEKONG_KAFKA_INFLUX_HTTP_PORT: String(kafkaInfluxHttp),
    });
    await Promise.all([waitHealthy(mqttKafkaHttp), waitHealthy(kafkaInfluxHttp)]);
    return { mqttKafka, kafkaInflux };
  };

  const perDevice = Math.ceil(settings.messages / (settings.loadProcesses * settings.devicesPerProcess));
  const total = perDevice * settings.loadProcesses * settings.devicesPerProcess;
  const results = {
    generator: [] as number[],
    mqttKafka: [] as number[],
    endToEnd: [] as number[],
    drain: [] as number[],
    telegraf: [] as number[],
    /** CPU seconds per million records of each bridge process during A, and of the drainer in B. */
    mqttKafkaCpu: [] as number[],
    kafkaInfluxCpu: [] as number[],
    drainCpu: [] as number[],
  };
  log(
    `${settings.runs} runs of ${total} messages (${settings.loadProcesses} load processes × ${settings.devicesPerProcess} devices, QoS 1, window ${settings.window}); Kafka ${brokers.join(',')}, InfluxDB ${influxdb.url}, Telegraf ${TELEGRAF_VERSION}`,
  );

  for (let run = 1; run <= settings.runs; run++) {
    const enterprise = `bench-${Date.now().toString(36)}`;
    if (settings.only !== 'latency') await throughputRun(run, enterprise);
    if (run === settings.runs && settings.only !== 'telegraf' && settings.only !== 'ours')
      await latencyRun(enterprise);
  }

  async function throughputRun(run: number, enterprise: string): Promise<void> {
    if (settings.only !== 'telegraf') await ourRun(run, enterprise);
    if (settings.only !== 'ours') await telegrafRun(run, enterprise);
  }

  async function ourRun(run: number, enterprise: string): Promise<void> {
    // A. MQTT → Kafka → InfluxDB, both bridges running.
    const bridges = await startBridges(enterprise);
    const countTopic = kafkaTopicFor('count');
    const metadata = await admin.metadata({ topics: [countTopic] });
    const partitionCount = metadata.topics.get(countTopic)?.partitionsCount ?? 0;
    const [listed] = await admin.listOffsets({
      topics: [
        {
          name: countTopic,
          partitions: Array.from({ length: partitionCount }, (_, partitionIndex) => ({
            partitionIndex,
            timestamp: -1n,
          })),
        },
      ],
    });
    const startOffsets = (listed?.partitions ?? []).map((p) => ({
      partition: p.partitionIndex,
      offset: p.offset,
    }));
    const forwarded = steadyRate(
      () => metric(mqttKafkaHttp, 'mekong_mqtt_kafka_records_sent_total'),
      total,
      100,
      300_000,
    );
    // Into InfluxDB, counted like Telegraf's: distinct points the bucket holds.
    const written = steadyRate(() => countPoints(enterprise, 'production'), total, 500, 300_000);
    const cpuBefore = await Promise.all([cpuSecondsOf(bridges.mqttKafka), cpuSecondsOf(bridges.kafkaInflux)]);
    const generated = await generate(brokerUrl, { enterprise, perDevice, rate: 0 });
    const a = await forwarded;
    const e = await written;
    const cpuAfter = await Promise.all([cpuSecondsOf(bridges.mqttKafka), cpuSecondsOf(bridges.kafkaInflux)]);
    results.mqttKafkaCpu.push((((cpuAfter[0] ?? 0) - (cpuBefore[0] ?? 0)) / total) * 1e6);
    results.kafkaInfluxCpu.push((((cpuAfter[1] ?? 0) - (cpuBefore[1] ?? 0)) / total) * 1e6);
    results.generator.push(generated.acked / generated.seconds);
    results.mqttKafka.push(a.rate);
    results.endToEnd.push(e.rate);
    log(
      `run ${run} A: generators ${Math.round(generated.acked / generated.seconds)} msg/s acked by the broker; MQTT → Kafka ${Math.round(a.rate)} records/s${a.done ? '' : ' (incomplete)'}; → InfluxDB ${Math.round(e.rate)} points/s${e.done ? '' : ' (incomplete)'}`,
    );

    if (process.env.BENCH_DEBUG) {
      const { execFileSync } = await import('node:child_process');
      // CPU time of every process so far: who the co-resident load is spending the cores on.
      log(
        execFileSync('ps', ['-eo', 'pid,time,args', '--sort=-time'])
          .toString()
          .split('\n')
          .slice(0, 12)
          .map((l) => l.slice(0, 160))
          .join('\n'),
      );
    }
    // B. Kafka → InfluxDB alone: a new group drains run A's records.
    await stop(bridges.kafkaInflux);
    await stop(bridges.mqttKafka);
    const drainGroup = `bench-drain-${enterprise}`;
    await admin.alterConsumerGroupOffsets({
      groupId: drainGroup,
      topics: [{ name: countTopic, partitionOffsets: startOffsets }],
    });
    const drainHttp = await freePort();
    const drainer = spawnNode('services/kafka-influx-bridge/src/main.ts', {
      ...bridgeEnv,
      MEKONG_KAFKA_INFLUX_GROUP_ID: drainGroup,
      MEKONG_KAFKA_INFLUX_HTTP_PORT: String(drainHttp),
    });
    await waitHealthy(drainHttp);
    const drainCpuBefore = await cpuSecondsOf(drainer);
    const b = await steadyRate(
      () => metric(drainHttp, 'mekong_kafka_influx_points_written_total').catch(() => 0),
      total,
      100,
      300_000,
      // A fresh process: it may be draining already when first asked.
      0,
    );
    results.drainCpu.push((((await cpuSecondsOf(drainer)) - drainCpuBefore) / total) * 1e6);
    results.drain.push(b.rate);
    log(
      `run ${run} B: Kafka → InfluxDB alone ${Math.round(b.rate)} points/s${b.done ? '' : ' (incomplete)'}`,
    );
    await stop(drainer);
  }

  async function telegrafRun(run: number, enterprise: string): Promise<void> {
    // T. Telegraf mqtt_consumer → InfluxDB, our bridges stopped.
    const telegrafEnterprise = `${enterprise}-tg`;
    const conf = join(dir, `telegraf-${run}.conf`);
    await writeFile(
      conf,
      telegrafConfig({ port: mqttPort, enterprise: telegrafEnterprise, influx: influxdb }),
    );
    const tg = spawn(telegraf, ['--config', conf], {
      stdio: [
        'ignore',
        process.env.BENCH_DEBUG ? 'inherit' : 'ignore',
        process.env.BENCH_DEBUG ? 'inherit' : 'ignore',
      ],
    });
    await sleep(3_000);
    const tgWritten = steadyRate(
      () =>
        countPoints(telegrafEnterprise, 'production').then((n) => {
          if (process.env.BENCH_DEBUG) log(`telegraf points ${n}`);
          return n;
        }),
      total,
      500,
      600_000,
    );
    await generate(brokerUrl, { enterprise: telegrafEnterprise, perDevice, rate: 0 });
    const t = await tgWritten;
    results.telegraf.push(t.rate);
    log(
      `run ${run} T: Telegraf mqtt_consumer → InfluxDB ${Math.round(t.rate)} points/s${t.done ? '' : ' (incomplete)'}`,
    );
    await stop(tg);
  }

  async function latencyRun(enterprise: string): Promise<void> {
    for (const [index, wanted] of settings.latencyRates.entries()) {
      // Latency under a steady load, both bridges running.
      const rate = wanted === 'half' ? median(results.mqttKafka) / 2 : Number(wanted);
      const latencyEnterprise = `${enterprise}-lat${index}`;
      const bridges = await startBridges(latencyEnterprise);
      const kafkaLatencies: number[] = [];
      const influxLatencies: number[] = [];
      const consumer = new Consumer({
        clientId: 'bench',
        bootstrapBrokers: brokers,
        groupId: `bench-latency-${enterprise}`,
        maxWaitTime: 10,
        deserializers: { headerKey: stringDeserializer },
      });
      // Resolves once the member joined the group and got its partitions.
      const stream = await consumer.consume({
        topics: [kafkaTopicFor('state')],
        mode: MessagesStreamModes.LATEST,
      });
      stream.on('data', (message) => {
        if (!message.headers.get(KAFKA_HEADERS.mqttTopic)?.toString().includes(latencyEnterprise)) return;
        const { ts } = JSON.parse(message.value?.toString() ?? '{}') as { ts: number };
        kafkaLatencies.push(Date.now() - ts);
      });
      await sleep(2_000);
      const bridgeBefore = await histogram(mqttKafkaHttp, 'mekong_mqtt_kafka_latency_seconds');
      const probe = await mqtt.connectAsync(brokerUrl, {
        clientId: 'admin-probe',
        username: 'admin',
        password: PASSWORD,
      });
      const sentAt = new Map<number, number>();
      let probing = true;
      let seen = -1;
      const influxPoller = (async () => {
        while (probing || seen < sentAt.size - 1) {
          const rows = await influx.getQueryApi(influxdb.org).collectRows<{ _value: number }>(
            `from(bucket: "${influxdb.bucket}") |> range(start: -10m)
              |> filter(fn: (r) => r._measurement == "machine_state" and r.enterprise == "${latencyEnterprise}" and r._field == "seq")
              |> last()`,
          );
          const last = rows[0]?._value ?? -1;
          const now = Date.now();
          for (let seq = seen + 1; seq <= last; seq++) {
            const at = sentAt.get(seq);
            if (at !== undefined) influxLatencies.push(now - at);
          }
          seen = Math.max(seen, last);
          if (!probing && Date.now() > (sentAt.get(sentAt.size - 1) ?? 0) + 30_000) break;
          await sleep(20);
        }
      })();
      const load = generate(brokerUrl, {
        enterprise: latencyEnterprise,
        perDevice: Math.ceil(
          (rate * settings.latencySeconds) / (settings.loadProcesses * settings.devicesPerProcess),
        ),
        rate,
      });
      const probeTopic = `mekong/v1/${latencyEnterprise}/bench/area/probe/probe-1/state`;
      const until = Date.now() + settings.latencySeconds * 1000;
      for (let seq = 0; Date.now() < until; seq++) {
        const ts = Date.now();
        sentAt.set(seq, ts);
        probe.publish(probeTopic, JSON.stringify({ ts, seq, state: seq % 2 ? 'running' : 'idle' }), {
          qos: 1,
        });
        await sleep(50);
      }
      probing = false;
      await load;
      await influxPoller;
      await sleep(2_000);
      await stream.close();
      await consumer.close(true);
      await probe.endAsync();
      const fmt = (values: number[]) =>
        `p50 ${percentile(values, 0.5)} ms, p95 ${percentile(values, 0.95)} ms, p99 ${percentile(values, 0.99)} ms (n=${values.length})`;
      log(`latency at ${Math.round(rate)} msg/s: publish → record in Kafka ${fmt(kafkaLatencies)}`);
      const bridgeAfter = await histogram(mqttKafkaHttp, 'mekong_mqtt_kafka_latency_seconds');
      log(
        `latency at ${Math.round(rate)} msg/s: inside the MQTT → Kafka bridge (received → Kafka acked, all messages, bucket bounds) p50 ≤ ${histogramQuantile(bridgeBefore, bridgeAfter, 0.5)} ms, p99 ≤ ${histogramQuantile(bridgeBefore, bridgeAfter, 0.99)} ms`,
      );
      log(
        `latency at ${Math.round(rate)} msg/s: publish → point queryable in InfluxDB ${fmt(influxLatencies)} (polled every 20 ms + query time)`,
      );
      await stop(bridges.kafkaInflux);
      await stop(bridges.mqttKafka);
    }
  }

  const m = (values: number[]) => Math.round(median(values));
  log('\nmedians:');
  log(`  generators (acked by the broker)          ${m(results.generator)} msg/s`);
  log(`  MQTT → Kafka (both bridges running)       ${m(results.mqttKafka)} records/s`);
  log(`  MQTT → Kafka → InfluxDB (end to end)      ${m(results.endToEnd)} points/s`);
  log(`  Kafka → InfluxDB alone (backlog drain)    ${m(results.drain)} points/s`);
  log(
    `  CPU s per million records: MQTT → Kafka bridge ${median(results.mqttKafkaCpu).toFixed(1)}, Kafka → InfluxDB bridge ${median(results.kafkaInfluxCpu).toFixed(1)} (end to end), drainer ${median(results.drainCpu).toFixed(1)}`,
  );
  if (settings.only !== 'ours') {
    log(`  Telegraf mqtt_consumer → InfluxDB         ${m(results.telegraf)} points/s`);
    log(
      `  ratio end to end / Telegraf               ${(median(results.endToEnd) / Math.max(1, median(results.telegraf))).toFixed(2)}×`,
    );
  }

  await admin.close();
  await stop(broker);
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}

await main();
process.exit(0);
