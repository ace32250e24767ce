// Factory simulator benchmark: `pnpm exec tsx test/bench/sim.bench.ts [--quick] [--no-mqtt]`.
// Each measurement runs in a fresh child process (clean memory figures) and is bounded in time.
//  1. File output as fast as possible: devices and messages per second per process, median of runs.
//  2. Memory per 10,000 devices: peak RSS at two sizes, the difference scaled to 10,000 devices.
//  3. 100,000 cells to a file: throughput, and peak RSS for two durations (bounded memory).
//  4. Real MQTT: ≥ 10,000 devices, one connection each, to Debian Mosquitto on 127.0.0.1.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { cacheRoot, consoleProgress, ensureDebianPackages } from '@mekong/devstack';
import {
  createSimulation,
  identityOf,
  loadScenario,
  MqttFleet,
  Pacer,
  publishStream,
  writeJsonl,
} from '@mekong/factory-simulator';

interface ChildResult {
  devices: number;
  cells: number;
  messages: number;
  seconds: number;
  setupSeconds: number;
  peakRssMb: number;
  /** Heap in use after a full collection at the end: what the run really holds, without GC slack. */
  heapAfterGcMb: number;
  bytes?: number;
  connectSeconds?: number;
  errors?: number;
}

const args = process.argv.slice(2);
const START = Date.parse('2026-03-02T06:00:00+07:00');

async function child(): Promise<void> {
  const [, mode = 'file', scaleText = '1', minutesText = '60', url = ''] = args;
  const scenario = await loadScenario('large');
  const setupStarted = performance.now();
  const simulation = createSimulation(scenario, {
    seed: 'bench',
    startMs: START,
    durationMs: Number(minutesText) * 60_000,
    scale: Number(scaleText),
    truth: { row: () => undefined, fault: () => undefined },
    cellRows: false,
  });
  const counters = { messages: 0, errors: 0, simMs: 0 };
  const result: ChildResult = {
    devices: simulation.deviceCount,
    cells: simulation.plan.cells.length,
    messages: 0,
    seconds: 0,
    setupSeconds: 0,
    peakRssMb: 0,
    heapAfterGcMb: 0,
  };
  if (mode === 'file') {
    const dir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
    const file = join(dir, 'out.jsonl');
    const out = createWriteStream(file);
    const messages = simulation.messages();
    const first = messages.next(); // the first step builds every source
    result.setupSeconds = (performance.now() - setupStarted) / 1000;
    const started = performance.now();
    if (!first.done)
      out.write(`${JSON.stringify({ topic: first.value.topic, payload: first.value.payload })}\n`);
    await writeJsonl(messages, out, { pacer: new Pacer({ kind: 'max' }), counters });
    out.end();
    await finished(out);
    result.seconds = (performance.now() - started) / 1000;
    result.bytes = statSync(file).size;
    rmSync(dir, { recursive: true, force: true });
  } else {
    const fleet = new MqttFleet({
      url,
      qos: 1,
      identity: (path) =>
        identityOf(scenario.enterprise, path, {
          clientId: 'bench-{path}',
          username: undefined,
          password: undefined,
          credentials: undefined,
        }),
      connectConcurrency: 500,
      bufferLimit: 10_000,
      maxInFlight: 20_000,
      backoff: { initialMs: 1000, maxMs: 30_000 },
      keepaliveSeconds: 600,
      protocolVersion: 4,
    });
    const paths = Array.from({ length: simulation.deviceCount }, (_, d) => simulation.faults.devicePath(d));
    const connectStarted = performance.now();
    await fleet.connectAll(paths, 120_000);
    result.connectSeconds = (performance.now() - connectStarted) / 1000;
    const started = performance.now();
    await publishStream(simulation.messages(), fleet, simulation.faults.devicePath, {
      pacer: new Pacer({ kind: 'max' }),
      counters,
    });
    await fleet.close(120_000);
    result.seconds = (performance.now() - started) / 1000;
    result.errors = fleet.stats.errors + fleet.stats.lost;
  }
  result.messages = counters.messages;
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  (globalThis as { gc?: () => void }).gc?.();
  result.heapAfterGcMb = process.memoryUsage().heapUsed / 1_048_576;
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

function runChild(params: string[], timeoutMs: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(
      process.execPath,
      [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--child', ...params],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    proc.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (line === undefined)
        reject(new Error(`bench child ${params.join(' ')} failed (exit ${code}, limit ${timeoutMs} ms)`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as ChildResult);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function mqttBench(scale: number, minutes: number): Promise<ChildResult> {
  await ensureDebianPackages({ cacheRoot: cacheRoot(), progress: consoleProgress }, ['mosquitto']);
  const dir = mkdtempSync(join(tmpdir(), 'sim-bench-mosquitto-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      'max_inflight_messages 0',
      `log_dest file ${dir}/log`,
      '',
    ].join('\n'),
  );
  const broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    return await runChild(['mqtt', String(scale), String(minutes), `mqtt://127.0.0.1:${port}`], 300_000);
  } finally {
    broker.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const quick = args.includes('--quick');
  const runs = quick ? 1 : 3;
  const report: string[] = [];
  const say = (line: string) => {
    report.push(line);
    process.stdout.write(`${line}\n`);
  };
  say(
    `# factory simulator benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${runs} run(s) each, median)`,
  );

  // 1 + 2: 11,000 devices (10,000 cells + 1,000 line terminals), one simulated hour, to a file.
  const small: ChildResult[] = [];
  const big: ChildResult[] = [];
  for (let i = 0; i < runs; i += 1) {
    small.push(await runChild(['file', '1', '60'], 300_000));
    big.push(await runChild(['file', '5', '60'], 300_000));
  }
  const rate = median(big.map((r) => r.messages / r.seconds));
  const b = big[0] as ChildResult;
  const s = small[0] as ChildResult;
  say(
    `file, max speed: ${fmt(b.devices)} devices, ${fmt(b.messages)} messages for 1 simulated hour → ${fmt(rate)} msg/s, ${fmt(median(big.map((r) => (r.devices * 3600) / r.seconds)))} simulated device-seconds per wall second, setup ${median(big.map((r) => r.setupSeconds)).toFixed(1)} s`,
  );
  const perTenThousand =
    ((median(big.map((r) => r.peakRssMb)) - median(small.map((r) => r.peakRssMb))) /
      (b.devices - s.devices)) *
    10_000;
  say(
    `memory: peak RSS ${fmt(median(small.map((r) => r.peakRssMb)))} MB at ${fmt(s.devices)} devices, ${fmt(median(big.map((r) => r.peakRssMb)))} MB at ${fmt(b.devices)} → ${fmt(perTenThousand)} MB per 10,000 devices`,
  );

  // 3: 100,000 cells (110,000 devices); memory must not grow with simulated time.
  const huge10 = await runChild(['file', '50', '10'], 600_000);
  const huge30 = quick ? huge10 : await runChild(['file', '50', '30'], 900_000);
  say(
    `100,000 cells to a file: ${fmt(huge30.messages)} messages in ${huge30.seconds.toFixed(1)} s → ${fmt(huge30.messages / huge30.seconds)} msg/s; peak RSS ${fmt(huge10.peakRssMb)} MB for 10 simulated min, ${fmt(huge30.peakRssMb)} MB for 30 min (heap after GC ${fmt(huge10.heapAfterGcMb)} and ${fmt(huge30.heapAfterGcMb)} MB); setup ${huge30.setupSeconds.toFixed(1)} s`,
  );

  // 4: real MQTT connections.
  if (!args.includes('--no-mqtt')) {
    const mqtt = await mqttBench(5, quick ? 5 : 15);
    say(
      `MQTT (Mosquitto, QoS 1, one connection per device): ${fmt(mqtt.devices)} devices connected in ${mqtt.connectSeconds?.toFixed(1)} s; ${fmt(mqtt.messages)} messages in ${mqtt.seconds.toFixed(1)} s → ${fmt(mqtt.messages / mqtt.seconds)} msg/s; errors ${mqtt.errors}; peak RSS ${fmt(mqtt.peakRssMb)} MB`,
    );
  }
}

if (args[0] === '--child') await child();
else await main();
