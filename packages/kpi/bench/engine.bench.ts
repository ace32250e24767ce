/**
 * Throughput and memory of the streaming KPI engine.
 * Run: pnpm exec tsx packages/kpi/bench/engine.bench.ts [cells] [simulatedSeconds]
 *
 * Each cell sends one count message a second and a state change every few minutes (with one-minute
 * stops); the watermark advances every 10 s of event time, as the productivity service would between
 * Kafka polls. Windows: hour, shift, day; allowed lateness 60 s; all four levels.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createKpiEngine, type KpiEvent } from '../src/index.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const cellCount = Number(process.argv[2] ?? 1000);
const simulatedSeconds = Number(process.argv[3] ?? 1200);
const runs = 5;
const watermarkEverySeconds = 10;
// Starts 15 min before a full hour so that hour windows close and are emitted during the run.
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

function runOnce(batches: KpiEvent[][]): { seconds: number; events: number; records: number } {
  const engine = createKpiEngine(master, {
    windows: ['hour', 'shift', 'day'],
    allowedLatenessMs: 60_000,
    startMs,
  });
  let events = 0;
  let records = 0;
  const began = process.hrtime.bigint();
  for (const batch of batches) {
    for (const event of batch) engine.ingest(event);
    events += batch.length;
    records += engine.advanceWatermark(batch[batch.length - 1]!.tsMs + 1).length;
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  return { seconds, events, records };
}

function heapPerThousandCells(batches: KpiEvent[][]): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const engine = createKpiEngine(master, {
    windows: ['hour', 'shift', 'day'],
    allowedLatenessMs: 60_000,
    startMs,
  });
  for (const batch of batches) {
    for (const event of batch) engine.ingest(event);
    engine.advanceWatermark(batch[batch.length - 1]!.tsMs + 1);
  }
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  // Keep the engine alive until measured.
  if (engine.stats().cells !== cellCount) throw new Error('unexpected cell count');
  return ((after - before) / cellCount) * 1000;
}

const batches = makeBatches();
const results = Array.from({ length: runs }, () => runOnce(batches));
const rates = results.map((result) => result.events / result.seconds).sort((a, b) => a - b);
const median = rates[Math.floor(runs / 2)]!;
const heapBytes = heapPerThousandCells(batches);

console.log(`cells: ${cellCount}, simulated: ${simulatedSeconds} s, events per run: ${results[0]!.events}`);
console.log(`records emitted per run: ${results[0]!.records}`);
console.log(`runs (events/s): ${rates.map((rate) => Math.round(rate).toLocaleString('en-US')).join(', ')}`);
console.log(`median: ${Math.round(median).toLocaleString('en-US')} events/s`);
console.log(`heap per 1,000 cells (steady state): ${(heapBytes / 1024 / 1024).toFixed(2)} MiB`);
