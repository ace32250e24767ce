import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { InfluxDB } from '@influxdata/influxdb-client';
import { KAFKA_HEADERS } from '@mekong/contracts';

const execFileAsync = promisify(execFile);

export interface KafkaRow {
  topic: string;
  partition: number;
  offset: number;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Every record of `topic` whose key starts with `keyPrefix`, read with kcat (librdkafka: a client
 * independent of ours), in partition order.
 */
export async function readKafka(brokers: string[], topic: string, keyPrefix: string): Promise<KafkaRow[]> {
  const { stdout } = await execFileAsync(
    'kcat',
    ['-b', brokers.join(','), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J'],
    { timeout: 60_000, maxBuffer: 512 * 1024 * 1024 },
  );
  const rows: KafkaRow[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const record = JSON.parse(line) as {
      topic: string;
      partition: number;
      offset: number;
      key: string | null;
      payload: string | null;
      headers?: Array<string | null>;
    };
    if (!record.key?.startsWith(keyPrefix)) continue;
    const headers: Record<string, string> = {};
    const list = record.headers ?? [];
    for (let i = 0; i + 1 < list.length; i += 2) headers[String(list[i])] = String(list[i + 1]);
    rows.push({
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      key: record.key,
      value: record.payload ?? '',
      headers,
    });
  }
  return rows;
}

/** The value of one record, byte for byte, read with kcat (its JSON output replaces invalid UTF-8). */
export async function readKafkaValue(
  brokers: string[],
  topic: string,
  partition: number,
  offset: number,
): Promise<Buffer> {
  const { stdout } = await execFileAsync(
    'kcat',
    [
      '-b',
      brokers.join(','),
      '-C',
      '-t',
      topic,
      '-p',
      String(partition),
      '-o',
      String(offset),
      '-c',
      '1',
      '-e',
      '-q',
      '-f',
      '%s',
    ],
    { timeout: 60_000, encoding: 'buffer' },
  );
  return stdout;
}

/** `${cell path}#${seq}` of a telemetry record, from its MQTT topic header and JSON value. */
export function recordKey(row: KafkaRow): string {
  const topic = row.headers[KAFKA_HEADERS.mqttTopic] ?? '';
  const cell = topic.split('/').slice(2, 7).join('/');
  return `${cell}#${(JSON.parse(row.value) as { seq: number }).seq}`;
}

export interface InfluxEndpoint {
  url: string;
  token: string;
  org: string;
  bucket: string;
}

/** `${cell path}#${seq}` of every point of `measurement` of an enterprise in the last two days (one per point). */
export async function readInfluxKeys(
  influx: InfluxEndpoint,
  enterprise: string,
  measurement = 'production',
): Promise<string[]> {
  const rows = await readInfluxSeq(influx, enterprise, `r._measurement == "${measurement}"`, '-2d', '1d');
  return rows.map((r) => `${r.enterprise}/${r.site}/${r.area}/${r.line}/${r.cell}#${r._value}`);
}

export interface SeqRow {
  _measurement: string;
  enterprise: string;
  site: string;
  area: string;
  line: string;
  cell?: string;
  _value: number;
  _time: string;
}

/** The `seq` field of every point of an enterprise that `filter` (Flux) selects, within [start, stop). */
export async function readInfluxSeq(
  influx: InfluxEndpoint,
  enterprise: string,
  filter: string,
  start: string,
  stop: string,
): Promise<SeqRow[]> {
  const client = new InfluxDB({ url: influx.url, token: influx.token, timeout: 30_000 });
  return client.getQueryApi(influx.org).collectRows<SeqRow>(
    `from(bucket: "${influx.bucket}")
      |> range(start: ${start}, stop: ${stop})
      |> filter(fn: (r) => ${filter} and r.enterprise == "${enterprise}" and r._field == "seq")
      |> keep(columns: ["_measurement", "enterprise", "site", "area", "line", "cell", "_value", "_time"])
      |> group()`,
  );
}

/** Reads `read()` until `done` holds for its value, and returns that value; throws `describe(last)` after `timeoutMs`. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  describe: (last: T) => string,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe(value)}`);
    await sleep(intervalMs);
  }
}

/** Reads one series of a Prometheus text endpoint (sum over labels matching `labels`), 0 when absent. */
export async function metricValue(
  port: number,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.split(' ').at(-1));
  }
  return total;
}

export interface HealthReport {
  status: string;
  components: Record<string, { status: string }>;
}

export async function healthOf(port: number): Promise<HealthReport> {
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  return (await response.json()) as HealthReport;
}

/** Reads `/health` on `port` every `intervalMs` until its status is `status`, and returns that report. */
export function waitForHealth(
  port: number,
  status: string,
  timeoutMs: number,
  intervalMs = 500,
): Promise<HealthReport> {
  return pollUntil(
    () => healthOf(port),
    (report) => report.status === status,
    timeoutMs,
    (report) => `health stayed ${JSON.stringify(report)}`,
    intervalMs,
  );
}

/**
 * Reads metric `name` on `port` every `intervalMs` (500 unless told) until it reaches `atLeast`, and
 * returns it; on timeout the error says `only <value> <what>`.
 */
export function waitForMetric(
  port: number,
  name: string,
  options: { atLeast: number; timeoutMs: number; what: string; intervalMs?: number },
): Promise<number> {
  return pollUntil(
    () => metricValue(port, name),
    (value) => value >= options.atLeast,
    options.timeoutMs,
    (value) => `only ${value} ${options.what}`,
    options.intervalMs,
  );
}
