import { applyFaults, hasFaults } from '../faults/apply-faults.js';
import type { FaultPlan } from '../faults/fault-plan.js';
import { resolveFaults } from '../faults/fault-plan.js';
import type { FaultRecord } from '../faults/fault-record.js';
import type { ExpandOptions, Plan } from '../scenario/expand-scenario.js';
import { expandScenario } from '../scenario/expand-scenario.js';
import type { FaultsSpec, Scenario } from '../scenario/schema.js';
import { formatRfc3339 } from '../time/rfc3339.js';
import { TruthHub } from '../truth/truth-hub.js';
import type { TruthSink } from '../truth/truth-sink.js';
import { CellSource } from './cell-source.js';
import { LabourSource } from './labour-source.js';
import type { Schedule } from './schedule.js';
import { buildSchedule } from './schedule.js';
import type { SimMessage } from './sim-message.js';
import type { Source } from './source.js';
import { SourceHeap } from './source-heap.js';

export interface SimulationOptions extends ExpandOptions {
  /** Any text; the same seed, scenario and options give the same stream, byte for byte. */
  seed: string;
  /** Simulated start, epoch ms; default the scenario's `start`. */
  startMs?: number;
  /** Simulated length in ms; default the scenario's `duration`. */
  durationMs?: number;
  /** Faults replacing the scenario's `faults` (the CLI merges flags into them). */
  faults?: FaultsSpec;
  /** Ground truth as windows close and faults happen. */
  truth: TruthSink;
  /** Also write one row per cell (default true); line and site rows are always written. */
  cellRows?: boolean;
}

export interface Simulation {
  plan: Plan;
  startMs: number;
  endMs: number;
  faults: FaultPlan;
  /** Publishers: cells, then one per line (labour). */
  deviceCount: number;
  /** The message stream, in send order; each call builds the devices afresh and runs from the start. */
  messages(): Generator<SimMessage>;
}

/** Sets up a run: expands the scenario, builds calendars, resolves faults. Pure; no clock, no I/O. */
export function createSimulation(scenario: Scenario, options: SimulationOptions): Simulation {
  const plan = expandScenario(scenario, options);
  const startMs = options.startMs ?? Date.parse(scenario.start);
  const endMs = startMs + (options.durationMs ?? Math.round(scenario.duration * 1000));
  if (!(endMs > startMs)) throw new RangeError('the simulated duration must be positive');
  const faults = resolveFaults(options.faults ?? scenario.faults, plan, {
    seed: options.seed,
    startMs,
    endMs,
  });
  const deviceCount = plan.cells.length + plan.lines.length;
  return {
    plan,
    startMs,
    endMs,
    faults,
    deviceCount,
    messages: () => run(plan, startMs, endMs, faults, options),
  };
}

function run(
  plan: Plan,
  startMs: number,
  endMs: number,
  faults: FaultPlan,
  options: SimulationOptions,
): Generator<SimMessage> {
  const { scenario } = plan;
  const schedulesByCalendar = new Map<string, Schedule>();
  const schedules = plan.lines.map((line) => {
    const key = `${line.site.index}\u0000${line.calendarName}`;
    let schedule = schedulesByCalendar.get(key);
    if (schedule === undefined) {
      schedule = buildSchedule(line.calendar, line.site.zone, startMs, endMs);
      schedulesByCalendar.set(key, schedule);
    }
    return schedule;
  });
  const hub = new TruthHub(plan, schedules, options.truth, options.cellRows ?? true);
  const zoneOfDevice = (device: number) =>
    (plan.cells[device]?.line ?? plan.lines[device - plan.cells.length] ?? plan.lines[0])?.site.zone;
  const formatTime = (device: number, ms: number) => {
    const zone = zoneOfDevice(device);
    return zone === undefined ? new Date(ms).toISOString() : formatRfc3339(ms, zone);
  };
  const logSkew = (device: number) => {
    const skew = faults.skewOf(device);
    if (skew !== undefined) {
      const record: FaultRecord = {
        type: 'clock_skew',
        device: faults.devicePath(device),
        from: formatTime(device, startMs),
        to: formatTime(device, endMs),
        detail: `device clock ${skew.offsetMs >= 0 ? '+' : ''}${skew.offsetMs} ms, drift ${skew.driftPpm} ppm`,
      };
      options.truth.fault(record);
    }
    return skew;
  };

  const sources: Source[] = plan.cells.map(
    (cell) =>
      new CellSource(cell, schedules[cell.line.index] as Schedule, hub, {
        seed: options.seed,
        startMs,
        endMs,
        thetaMs: Math.round(scenario.minorStopThreshold * 1000),
        countIntervalMs: Math.round(scenario.countInterval * 1000),
        sensorIntervalMs: Math.round(scenario.sensorInterval * 1000),
        skew: logSkew(cell.index),
        bursts: faults.burstsOf(cell.index),
      }),
  );
  // Lines without a workforce publish nothing but still close their labour share of each window.
  for (const line of plan.lines) {
    const device = plan.cells.length + line.index;
    if (line.workforce === undefined) continue;
    sources[device] = new LabourSource(line, device, schedules[line.index] as Schedule, hub, {
      seed: options.seed,
      startMs,
      endMs,
      skew: logSkew(device),
    });
  }

  function* merged(): Generator<SimMessage> {
    const heap = new SourceHeap(sources);
    sources.forEach((source, index) => {
      if (source !== undefined && source.nextAt < Number.POSITIVE_INFINITY) heap.push(index);
    });
    const batch: SimMessage[] = [];
    for (let index = heap.pop(); index !== undefined; index = heap.pop()) {
      const source = sources[index] as Source;
      source.step(batch);
      if (source.nextAt < Number.POSITIVE_INFINITY) heap.push(index);
      for (const message of batch) yield message;
      batch.length = 0;
    }
  }

  // Without delivery faults the merged stream is returned as is: one generator less per message.
  if (!hasFaults(faults)) return merged();
  return applyFaults(merged(), faults, {
    seed: options.seed,
    startMs,
    endMs,
    formatTime,
    onFault: (record) => options.truth.fault(record),
  });
}
