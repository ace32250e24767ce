#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { simCommand } from '@mekong/factory-simulator';
import { Command } from 'commander';
import { bridgeCommand } from './commands/bridge.js';
import { brokerCommand } from './commands/broker.js';
import { devstackCommand } from './commands/devstack.js';
import { kpiCommand } from './commands/kpi.js';
import { startCommand } from './commands/start.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command('mekong')
  .description('Mekong: smart-factory telemetry — MQTT → Kafka → InfluxDB, OEE and labour productivity')
  .version(version, '-V, --version', 'print the version of mekong')
  .showHelpAfterError()
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
  ./mekong bench    the benchmarks (test/bench), each in its own process`,
  );

// No command: what a new user needs is the list of commands, and that is not an error.
if (process.argv.length <= 2) {
  program.outputHelp();
  process.exit(0);
}
await program.parseAsync(process.argv);
