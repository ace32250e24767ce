import type { SimMessage } from '../../src/core/sim-message.js';
import type { SimulationOptions } from '../../src/core/simulation.js';
import { createSimulation } from '../../src/core/simulation.js';
import type { FaultRecord } from '../../src/faults/fault-record.js';
import { toJsonLine } from '../../src/output/jsonl.js';
import { parseScenario } from '../../src/scenario/load-scenario.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import type { TruthRow } from '../../src/truth/truth-row.js';
import { collectingSink } from '../../src/truth/truth-sink.js';

export interface RunResult {
  messages: SimMessage[];
  rows: TruthRow[];
  faults: FaultRecord[];
  jsonl: string;
}

/** Runs a scenario to the end, keeping everything (small scenarios only). */
export function runScenario(input: ScenarioInput, options: Partial<SimulationOptions> = {}): RunResult {
  const sink = collectingSink();
  const simulation = createSimulation(parseScenario(input), { seed: '1', ...options, truth: sink });
  const messages = [...simulation.messages()];
  return { messages, rows: sink.rows, faults: sink.faults, jsonl: messages.map(toJsonLine).join('') };
}

/** `HH:MM:SS` local time of the site (+07:00) → epoch ms on 2026-03-02. */
export function at(clock: string): number {
  return Date.parse(`2026-03-02T${clock}+07:00`);
}

export function payloadOf(message: SimMessage): Record<string, unknown> {
  return message.payload as Record<string, unknown>;
}
