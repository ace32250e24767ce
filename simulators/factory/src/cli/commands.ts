import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { SimMessage } from '../core/sim-message.js';
import { linkEvents } from '../faults/link-events.js';
import { MasterDataError } from '../master/master-data-of.js';
import { masterDataYaml } from '../master/master-data-yaml.js';
import { MqttFleet } from '../output/mqtt-fleet.js';
import type { Speed } from '../output/pacer.js';
import { Pacer } from '../output/pacer.js';
import type { ProgressCounters } from '../output/progress.js';
import { startProgress } from '../output/progress.js';
import { publishStream } from '../output/publish-stream.js';
import { writeJsonl } from '../output/record-jsonl.js';
import { readRecording } from '../output/replay-recording.js';
import { builtinScenarioNames, loadScenario } from '../scenario/builtin-scenarios.js';
import { expandScenario } from '../scenario/expand-scenario.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { FlagError } from './fault-flags.js';
import type { MqttFlags } from './mqtt-options.js';
import { fleetOptions, withMqttOptions } from './mqtt-options.js';
import { positiveIntArg, speedArg } from './parsers.js';
import type { SimulationFlags } from './simulation-options.js';
import { closeTruth, newCommand, prepareRun, withSimulationOptions } from './simulation-options.js';

/** Runs a command body; input mistakes exit 2 with a message for the engineer, other failures exit 1. */
async function reporting(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const input =
      error instanceof ScenarioError || error instanceof FlagError || error instanceof MasterDataError;
    const code = error instanceof ScenarioError ? ` [${error.code}]` : '';
    process.stderr.write(`mekong sim: ${error instanceof Error ? error.message : String(error)}${code}\n`);
    process.exitCode = input ? 2 : 1;
  }
}

function speedOption(defaultValue: string, description: string): Option {
  return new Option('--speed <speed>', description)
    .env('MEKONG_SIM_SPEED')
    .argParser(speedArg)
    .default(speedArg(defaultValue), defaultValue);
}

function counters(): ProgressCounters {
  return { messages: 0, errors: 0, simMs: 0 };
}

export function recordCommand(): Command {
  return withSimulationOptions(
    newCommand('record').description('simulate and write every message to a JSONL file'),
  )
    .addOption(
      new Option('--out <file>', 'JSONL output, one {"topic","payload"} per line; "-" = stdout')
        .env('MEKONG_SIM_RECORD_OUT')
        .default('-'),
    )
    .addOption(
      speedOption(
        'max',
        'max = as fast as possible with simulated timestamps; realtime; or a factor like 60',
      ),
    )
    .action((flags: SimulationFlags & { out: string; speed: Speed }) =>
      reporting(async () => {
        const run = await prepareRun(flags);
        // Opened before the simulation starts: an unwritable path is a one-line error, not a stack trace.
        const out = flags.out === '-' ? process.stdout : await openForWriting(flags.out);
        const count = counters();
        const progress = flags.progress
          ? startProgress('sim record', count, run.simulation.plan.sites[0]?.zone)
          : undefined;
        await writeJsonl(run.simulation.messages(), out, { pacer: new Pacer(flags.speed), counters: count });
        progress?.stop();
        if (out !== process.stdout) {
          out.end();
          await finished(out);
        }
        closeTruth(run, { messages: count.messages, devices: run.simulation.deviceCount });
      }),
    );
}

export function runCommand(): Command {
  return withMqttOptions(
    withSimulationOptions(
      newCommand('run').description('simulate and publish over MQTT, one connection per device'),
    ),
  )
    .addOption(
      speedOption('realtime', 'realtime, a factor such as 60 (one simulated minute per second), or max'),
    )
    .action((flags: SimulationFlags & MqttFlags & { speed: Speed }) =>
      reporting(async () => {
        const run = await prepareRun(flags);
        const { simulation } = run;
        const fleet = new MqttFleet(fleetOptions(flags, simulation.plan.scenario.enterprise, undefined));
        const devices = Array.from({ length: simulation.deviceCount }, (_, device) =>
          simulation.faults.devicePath(device),
        ).filter(
          (_, device) =>
            device < simulation.plan.cells.length ||
            simulation.plan.lines[device - simulation.plan.cells.length]?.workforce !== undefined,
        );
        process.stderr.write(`connecting ${devices.length} devices to ${flags.url}…\n`);
        try {
          await fleet.connectAll(devices, flags.connectTimeout * 1000);
        } catch (error) {
          await fleet.abort();
          throw error;
        }
        const count = counters();
        const progress = flags.progress
          ? startProgress('sim run', count, simulation.plan.sites[0]?.zone)
          : undefined;
        const stop = () => void fleet.close(2_000).then(() => process.exit(130));
        process.once('SIGINT', stop);
        await publishStream(simulation.messages(), fleet, simulation.faults.devicePath, {
          pacer: new Pacer(flags.speed),
          counters: count,
          links: linkEvents(simulation.faults),
        });
        await fleet.close();
        progress?.stop();
        process.removeListener('SIGINT', stop);
        closeTruth(run, { messages: count.messages, ...fleet.stats, devices: devices.length });
        if (fleet.stats.errors + fleet.stats.lost > 0) process.exitCode = 1;
      }),
    );
}

export function truthCommand(): Command {
  return withSimulationOptions(
    newCommand('truth').description('simulate and write only the ground truth (no messages)'),
  ).action((flags: SimulationFlags) =>
    reporting(async () => {
      const run = await prepareRun(flags, flags.truth ?? 'truth');
      let messages = 0;
      for (const _ of run.simulation.messages()) messages += 1;
      closeTruth(run, { messages, devices: run.simulation.deviceCount });
    }),
  );
}

export function replayCommand(): Command {
  return withMqttOptions(
    newCommand('replay').description('publish a JSONL recording over MQTT at its original pace or faster'),
  )
    .addOption(
      new Option('--in <file>', 'JSONL recording made by `sim record`; "-" = stdin')
        .env('MEKONG_SIM_REPLAY_IN')
        .makeOptionMandatory(),
    )
    .addOption(speedOption('original', 'original (pace of the recorded ts), a factor such as 10, or max'))
    .addOption(
      new Option('--enterprise <name>', 'filled into {enterprise} of the client-id and credential templates')
        .env('MEKONG_SIM_ENTERPRISE')
        .default('mekong'),
    )
    .addOption(new Option('--no-progress', 'no progress line on stderr').env('MEKONG_SIM_NO_PROGRESS'))
    .action((flags: MqttFlags & { in: string; speed: Speed; enterprise: string; progress: boolean }) =>
      reporting(async () => {
        const fleet = new MqttFleet(fleetOptions(flags, flags.enterprise, undefined));
        const count = counters();
        const progress = flags.progress ? startProgress('sim replay', count, undefined) : undefined;
        const pacer = new Pacer(flags.speed);
        let badLines = 0;
        for await (const { message, devicePath } of readRecording(flags.in, () => {
          badLines += 1;
        })) {
          const delay = pacer.delayFor(message.sendAtMs, Date.now());
          if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
          const wait = fleet.publish(devicePath, message.topic, JSON.stringify(message.payload));
          count.messages += 1;
          count.simMs = message.sendAtMs;
          count.errors = fleet.stats.errors + fleet.stats.lost + badLines;
          if (wait !== undefined) await wait;
        }
        await fleet.close();
        progress?.stop();
        if (badLines > 0)
          process.stderr.write(`${badLines} lines were not {"topic","payload"} records and were skipped\n`);
        if (fleet.stats.errors + fleet.stats.lost > 0) process.exitCode = 1;
      }),
    );
}

export function masterCommand(): Command {
  return newCommand('master')
    .description(
      "write the KPI engine's master data for a scenario (products and ideal cycle times, θ, shift calendars, lines), the file `mekong kpi --master` reads",
    )
    .addOption(
      new Option('--scenario <name|file>', 'built-in scenario (see `sim scenarios`) or a YAML scenario file')
        .env('MEKONG_SIM_SCENARIO')
        .default('demo'),
    )
    .addOption(
      new Option('--out <file>', 'master-data YAML output; "-" = stdout')
        .env('MEKONG_SIM_MASTER_OUT')
        .default('-'),
    )
    .addOption(
      new Option('--scale <n>', "multiply every line's replica count, as for the run it describes")
        .env('MEKONG_SIM_SCALE')
        .argParser(positiveIntArg)
        .default(1),
    )
    .addOption(
      new Option(
        '--site <id>',
        'only this site (default every site; sites in different time zones need one file each)',
      ).env('MEKONG_SIM_SITE'),
    )
    .action((flags: { scenario: string; out: string; scale: number; site?: string }) =>
      reporting(async () => {
        const scenario = await loadScenario(flags.scenario);
        const text = masterDataYaml(scenario, {
          scale: flags.scale,
          ...(flags.site === undefined ? {} : { site: flags.site }),
        });
        if (flags.out === '-') process.stdout.write(text);
        else {
          await writeFile(flags.out, text);
          process.stderr.write(`master data: ${flags.out}\n`);
        }
      }),
    );
}

export function scenariosCommand(): Command {
  return newCommand('scenarios')
    .description('list the built-in scenarios')
    .option('--json', 'print as JSON', false)
    .action((flags: { json: boolean }) =>
      reporting(async () => {
        const rows = [];
        for (const name of builtinScenarioNames()) {
          const scenario = await loadScenario(name);
          const plan = expandScenario(scenario);
          rows.push({
            name,
            cells: plan.cells.length,
            lines: plan.lines.length,
            sites: plan.sites.length,
            description: scenario.description ?? '',
          });
        }
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        for (const row of rows) {
          process.stdout.write(
            `${row.name.padEnd(12)} ${String(row.cells).padStart(6)} cells ${String(row.lines).padStart(4)} lines  ${row.description}\n`,
          );
        }
      }),
    );
}

/** Lets tests and benchmarks drain a stream without output. */
export function countMessages(messages: Iterable<SimMessage>): number {
  let n = 0;
  for (const _ of messages) n += 1;
  return n;
}

/** A file stream once the file is open; rejects with a message naming the path when it cannot be. */
function openForWriting(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path);
    stream.once('open', () => {
      stream.removeAllListeners('error');
      resolve(stream);
    });
    stream.once('error', (error) => reject(new Error(`cannot write ${path}: ${error.message}`)));
  });
}
