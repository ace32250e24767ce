// Throughput and memory of the streaming KPI engine (issue 6: ≥ 1,000,000 events/s on one core):
// `pnpm exec tsx test/bench/kpi-engine.bench.ts [cells=1000] [simulatedSeconds=1200] [runs=7]`.
//
// Each cell sends one count message a second and a state change every few minutes (one-minute stops);
// the watermark advances every 10 s of event time, as the productivity service would between Kafka
// polls. Windows: hour, shift, day; allowed lateness 60 s; all four levels. Starts 15 min before a full
// hour so that hour windows close (and are emitted) during the run.
//
// Prints the median of the runs after one warm-up run (JIT), as wall-clock rate and as rate per CPU
// second of the process (less sensitive to other work on a shared machine, but it includes V8's
// helper threads), then the heap per 1,000 cells at steady state. Stops early, after at least 5 runs,
// once 90 s have passed.
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createKpiEngine, type KpiEvent } from '../../packages/kpi/src/index.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const cellCount = Number(process.argv[2] ?? 1000);
const simulatedSeconds = Number(process.argv[3] ?? 1200);
const runs = Math.max(5, Number(process.argv[4] ?? 7));
const timeBudgetMs = 90_000;
const watermarkEverySeconds = 10;
const startMs = Date.parse('2026-03-02T06:45:00+07:00');

const master = {
  timezone: 'Asia/Ho_Chi_Minh',
  products: [{ id: 'bracket-a', idealCycleSeconds: 0.9 }],
  calendars: [
    {
      id: 'three-shift',
      shifts: [
        { id: 'A', start: '06:00', end: '14:00', breaks: [{ start: '10:00', end: '10:30' }] },
        { id: 'B', start: '14:00', end: '22:00', breaks: [{ start: '18:00', end: '18:30' }] },
        { id: 'C', start: '22:00', end: '06:00', breaks: [{ start: '02:00', end: '02:30' }] },
      ],
    },
  ],
  defaultCalendar: 'three-shift',
};
const engineOptions = { windows: ['hour', 'shift', 'day'] as const, allowedLatenessMs: 60_000, startMs };

const cellPaths = Array.from({ length: cellCount }, (_, index) => {
  const line = Math.floor(index / 50);
  return `acme/hcm/assembly/line-${line}/cell-${index % 50}`;
});

/** Events in batches of one watermark step, in time order within a batch. */
function makeBatches(): KpiEvent[][] {
  const batches: KpiEvent[][] = [];
  const seqs = new Array<number>(cellCount).fill(0);
  let batch: KpiEvent[] = [];
  for (let second = 0; second < simulatedSeconds; second++) {
    const tsBase = startMs + second * 1000;
    for (let cell = 0; cell < cellCount; cell++) {
      const path = cellPaths[cell]!;
      const publisher = path;
      const phase = (second + cell * 7) % 300;
      if (phase === 0 || phase === 240) {
        batch.push({
          kind: 'state',
          path,
          tsMs: tsBase + (cell % 1000),
          seq: seqs[cell]!++,
          publisher,
          state: phase === 0 ? 'running' : 'down',
          product: 'bracket-a',
        });
      }
      batch.push({
        kind: 'count',
        path,
        tsMs: tsBase + (cell % 1000),
        seq: seqs[cell]!++,
        publisher,
        good: 1,
        scrap: 0,
      });
    }
    if ((second + 1) % watermarkEverySeconds === 0) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

interface Run {
  seconds: number;
  cpuSeconds: number;
  events: number;
  records: number;
}

function runOnce(batches: KpiEvent[][]): Run {
  const engine = createKpiEngine(master, { ...engineOptions, windows: [...engineOptions.windows] });
  let events = 0;
  let records = 0;
  const cpuBefore = process.cpuUsage();
  const began = process.hrtime.bigint();
  for (const batch of batches) {
    for (const event of batch) engine.ingest(event);
    events += batch.length;
    records += engine.advanceWatermark(batch[batch.length - 1]!.tsMs + 1).length;
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, events, records };
}

function heapPerThousandCells(batches: KpiEvent[][]): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const engine = createKpiEngine(master, { ...engineOptions, windows: [...engineOptions.windows] });
  for (const batch of batches) {
    for (const event of batch) engine.ingest(event);
    engine.advanceWatermark(batch[batch.length - 1]!.tsMs + 1);
  }
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  // Keeps the engine alive until measured.
  if (engine.stats().cells !== cellCount) throw new Error('unexpected cell count');
  return ((after - before) / cellCount) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const format = (rate: number): string => Math.round(rate).toLocaleString('en-US');

const batches = makeBatches();
const benchStarted = Date.now();
runOnce(batches); // warm-up: lets the JIT settle before anything is counted
const results: Run[] = [];
while (results.length < runs && (results.length < 5 || Date.now() - benchStarted < timeBudgetMs)) {
  results.push(runOnce(batches));
}
const wallRates = results.map((result) => result.events / result.seconds);
const cpuRates = results.map((result) => result.events / result.cpuSeconds);
const heapBytes = heapPerThousandCells(batches);

console.log(
  `load average at the end: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')}`,
);
console.log(`cells: ${cellCount}, simulated: ${simulatedSeconds} s, events per run: ${results[0]!.events}`);
console.log(`records emitted per run: ${results[0]!.records}`);
console.log(`runs (events/s, wall clock): ${wallRates.map(format).join(', ')}`);
console.log(
  `median: ${format(median(wallRates))} events/s (wall clock, ${results.length} runs after a warm-up)`,
);
console.log(`median: ${format(median(cpuRates))} events per CPU second`);
console.log(`heap per 1,000 cells (steady state): ${(heapBytes / 1024 / 1024).toFixed(2)} MiB`);
