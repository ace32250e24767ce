import { Command, Option } from 'commander';
import type { Simulation } from '../core/simulation.js';
import { createSimulation } from '../core/simulation.js';
import { loadScenario } from '../scenario/builtin-scenarios.js';
import type { Scenario } from '../scenario/schema.js';
import type { TruthFiles } from '../truth/truth-files.js';
import { writeTruthFiles } from '../truth/truth-files.js';
import type { TruthSink } from '../truth/truth-sink.js';
import type { FaultFlags } from './fault-flags.js';
import { mergeFaultFlags } from './fault-flags.js';
import { durationArg, listArg, positiveIntArg, shareArg, startArg } from './parsers.js';

export interface SimulationFlags extends FaultFlags {
  scenario: string;
  seed: string;
  start?: number;
  duration?: number;
  scale: number;
  truth?: string;
  cellTruth: boolean;
  progress: boolean;
}

/** The options every simulating command shares: scenario, seed, span, ground truth, faults. */
export function withSimulationOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--scenario <name|file>', 'built-in scenario (see `sim scenarios`) or a YAML scenario file')
        .env('MEKONG_SIM_SCENARIO')
        .default('demo'),
    )
    .addOption(
      new Option(
        '--seed <text>',
        'random seed; the same seed, scenario and options give a byte-identical stream',
      )
        .env('MEKONG_SIM_SEED')
        .default('1'),
    )
    .addOption(
      new Option(
        '--start <time>',
        "simulated start, RFC 3339 with offset, or now (default: the scenario's start)",
      )
        .env('MEKONG_SIM_START')
        .argParser(startArg),
    )
    .addOption(
      new Option(
        '--duration <duration>',
        "simulated length, e.g. 8h, 1d, 7d (default: the scenario's duration)",
      )
        .env('MEKONG_SIM_DURATION')
        .argParser(durationArg),
    )
    .addOption(
      new Option(
        '--scale <n>',
        "multiply every line's replica count; e.g. the large scenario ×50 = 100,000 cells",
      )
        .env('MEKONG_SIM_SCALE')
        .argParser(positiveIntArg)
        .default(1),
    )
    .addOption(
      new Option(
        '--truth <base>',
        'write the ground truth to <base>.json, <base>.csv and <base>-faults.csv',
      ).env('MEKONG_SIM_TRUTH'),
    )
    .addOption(
      new Option('--no-cell-truth', 'leave per-cell rows out of the ground truth (lines and sites only)').env(
        'MEKONG_SIM_NO_CELL_TRUTH',
      ),
    )
    .addOption(new Option('--no-progress', 'no progress line on stderr').env('MEKONG_SIM_NO_PROGRESS'))
    .addOption(
      new Option(
        '--malformed-rate <share>',
        'share of delivered messages that are malformed (inserted), e.g. 0.01',
      )
        .env('MEKONG_SIM_MALFORMED_RATE')
        .argParser(shareArg),
    )
    .addOption(
      new Option('--duplicate-rate <share>', 'probability that a message is sent twice (same seq)')
        .env('MEKONG_SIM_DUPLICATE_RATE')
        .argParser(shareArg),
    )
    .addOption(
      new Option(
        '--out-of-order-rate <share>',
        "probability that a message arrives after its device's next one",
      )
        .env('MEKONG_SIM_OUT_OF_ORDER_RATE')
        .argParser(shareArg),
    )
    .addOption(
      new Option(
        '--clock-skew <glob=seconds[@ppm]>',
        'skew device clocks, e.g. "smt/smt-1/*=90" (comma-separated, repeatable)',
      )
        .env('MEKONG_SIM_CLOCK_SKEW')
        .argParser(listArg),
    )
    .addOption(
      new Option(
        '--disconnect <glob@after+duration[:loss]>',
        'disconnect devices, e.g. "smt/*/printer@2h+10m" (default resend on reconnect)',
      )
        .env('MEKONG_SIM_DISCONNECT')
        .argParser(listArg),
    )
    .addOption(
      new Option(
        '--random-disconnects <perDay/mean[:loss]>',
        'random disconnects per device per day with an exponential duration, e.g. "2/5m"',
      ).env('MEKONG_SIM_RANDOM_DISCONNECTS'),
    )
    .addOption(
      new Option('--burst <glob@after+duration/interval>', 'sensor message bursts, e.g. "smt/**@1h+5m/100ms"')
        .env('MEKONG_SIM_BURST')
        .argParser(listArg),
    )
    .addOption(
      new Option(
        '--broker-outage <after+duration[:buffer]>',
        'all devices lose the broker, buffer (default 10000 each) and resend, e.g. "3h+2m"',
      )
        .env('MEKONG_SIM_BROKER_OUTAGE')
        .argParser(listArg),
    );
}

export interface PreparedRun {
  scenario: Scenario;
  simulation: Simulation;
  truthFiles: TruthFiles | undefined;
}

const discard: TruthSink = { row: () => undefined, fault: () => undefined };

/** Loads the scenario, merges fault flags, opens the truth files and sets the simulation up. */
export async function prepareRun(flags: SimulationFlags, truthBase = flags.truth): Promise<PreparedRun> {
  const scenario = await loadScenario(flags.scenario);
  const faults = mergeFaultFlags(scenario.faults, flags);
  const truthFiles =
    truthBase === undefined
      ? undefined
      : writeTruthFiles(
          truthBase,
          {
            scenario: scenario.name,
            seed: flags.seed,
            scale: flags.scale,
            start: flags.start === undefined ? scenario.start : new Date(flags.start).toISOString(),
            durationSeconds: (flags.duration ?? scenario.duration * 1000) / 1000,
            faults,
          },
          scenario.minorStopThreshold,
        );
  const simulation = createSimulation(scenario, {
    seed: flags.seed,
    ...(flags.start === undefined ? {} : { startMs: flags.start }),
    ...(flags.duration === undefined ? {} : { durationMs: flags.duration }),
    scale: flags.scale,
    faults,
    truth: truthFiles ?? discard,
    cellRows: flags.cellTruth,
  });
  return { scenario, simulation, truthFiles };
}

export function closeTruth(run: PreparedRun, summary: Record<string, unknown>): void {
  if (run.truthFiles === undefined) return;
  run.truthFiles.close(summary);
  process.stderr.write(`ground truth: ${run.truthFiles.paths.join(', ')}\n`);
}

export function newCommand(name: string): Command {
  return new Command(name).showHelpAfterError();
}
