#!/usr/bin/env node
import { simCommand } from '@mekong/factory-simulator';
import { Command } from 'commander';
import { bridgeCommand } from './commands/bridge.js';
import { brokerCommand } from './commands/broker.js';
import { devstackCommand } from './commands/devstack.js';
import { kpiCommand } from './commands/kpi.js';
import { startCommand } from './commands/start.js';

const program = new Command('mekong')
  .description('Mekong: smart-factory telemetry — MQTT → Kafka → InfluxDB, OEE and labour productivity')
  .showHelpAfterError()
  .addCommand(startCommand())
  .addCommand(brokerCommand())
  .addCommand(bridgeCommand())
  .addCommand(simCommand())
  .addCommand(kpiCommand())
  .addCommand(devstackCommand());

await program.parseAsync(process.argv);
