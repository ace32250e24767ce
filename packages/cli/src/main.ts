#!/usr/bin/env node
import { Command } from 'commander';
import { devstackCommand } from './commands/devstack.js';

const program = new Command('mekong')
  .description('Mekong: smart-factory telemetry — MQTT → Kafka → InfluxDB, OEE and labour productivity')
  .showHelpAfterError()
  .addCommand(devstackCommand());

await program.parseAsync(process.argv);
