import { Command } from 'commander';
import {
  masterCommand,
  recordCommand,
  replayCommand,
  runCommand,
  scenariosCommand,
  truthCommand,
} from './cli/commands.js';

/**
 * `mekong sim …`: the factory simulator. Every option has a MEKONG_SIM_… environment variable, shown
 * in `--help` beside its default.
 */
export function simCommand(): Command {
  return new Command('sim')
    .description('seeded factory simulator with fault injection and ground-truth KPIs')
    .addCommand(runCommand())
    .addCommand(recordCommand())
    .addCommand(replayCommand())
    .addCommand(truthCommand())
    .addCommand(masterCommand())
    .addCommand(scenariosCommand());
}
