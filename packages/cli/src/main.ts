#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { simCommand } from '@mekong/factory-simulator';
import { Command, CommanderError } from 'commander';
import { bridgeCommand } from './commands/bridge.js';
import { brokerCommand } from './commands/broker.js';
import { devstackCommand } from './commands/devstack.js';
import { kpiCommand } from './commands/kpi.js';
import { startCommand } from './commands/start.js';
import { exitCodes, exitCodesHelp } from './exit-codes.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command('mekong')
  .description('Mekong: smart-factory telemetry — MQTT → Kafka → InfluxDB, OEE and labour productivity')
  .version(version, '-V, --version', 'print the version of mekong')
  .addCommand(startCommand())
  .addCommand(brokerCommand())
  .addCommand(bridgeCommand())
  .addCommand(simCommand())
  .addCommand(kpiCommand())
  .addCommand(devstackCommand())
  .addHelpText(
    'after',
    `
From a clone, ./mekong also runs the project's own tasks:
  ./mekong test     every test: unit, and integration against real Kafka, InfluxDB and MQTT brokers
  ./mekong lint     Biome, then the TypeScript compiler over the workspace
  ./mekong bench    the benchmarks (test/bench), each in its own process

${exitCodesHelp}`,
  );

// A usage error of any command (unknown command or option, missing argument) exits 2, like a bad value.
const allCommands = (command: Command): Command[] => [command, ...command.commands.flatMap(allCommands)];
for (const command of allCommands(program)) {
  // One line and a hint, not the whole help, after a usage error.
  command.exitOverride().showHelpAfterError('(add --help to see the commands and options)');
}

// No command: what a new user needs is the list of commands, and that is not an error.
if (process.argv.length <= 2) {
  program.outputHelp();
  process.exit(0);
}
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Help and version end with code 0; everything else commander refuses is a usage error.
  process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
}
