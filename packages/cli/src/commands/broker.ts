import { readFileSync } from 'node:fs';
import { brokerCliOptions, brokerConfigFromEnv, passwd, runBroker } from '@mekong/broker';
import { Command, Option } from 'commander';
import { envFlagsCommand } from '../env-flags-command.js';

type Role = 'device' | 'service' | 'admin';

function readPassword(): string {
  const fromFile = process.env.MEKONG_BROKER_PASSWORD_FILE;
  if (fromFile) return readFileSync(fromFile, 'utf8').replace(/\r?\n$/, '');
  const fromEnv = process.env.MEKONG_BROKER_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) {
    throw new Error(
      'give the password on standard input (echo … |), in the file MEKONG_BROKER_PASSWORD_FILE names, or in MEKONG_BROKER_PASSWORD',
    );
  }
  return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
}

function passwdCommand(): Command {
  return new Command('passwd')
    .description('add a device, service or admin to a credentials file (or change its password and rights)')
    .argument('<file>', 'credentials file (created when missing, mode 0600)')
    .argument('<username>', 'the MQTT username')
    .addOption(
      new Option('--role <role>', 'what the user may do')
        .choices(['device', 'service', 'admin'])
        .makeOptionMandatory(),
    )
    .option('--cell <path>', 'for a device: its cell, enterprise/site/area/line/cell')
    .option('--labour', "for a device: may also publish its line's _line/labour events", false)
    .option('--publish <filters>', 'for a service: topic filters it may publish to (comma-separated)')
    .option('--subscribe <filters>', 'for a service: topic filters it may subscribe to (comma-separated)')
    .addHelpText(
      'after',
      '\nThe password is read from the file MEKONG_BROKER_PASSWORD_FILE names, from MEKONG_BROKER_PASSWORD, or from standard input.\n',
    )
    .action(
      async (
        file: string,
        username: string,
        options: { role: Role; cell?: string; labour: boolean; publish?: string; subscribe?: string },
      ) => {
        const split = (text: string | undefined) => text?.split(',').map((item) => item.trim());
        try {
          await passwd(file, {
            username,
            password: readPassword(),
            role: options.role,
            labour: options.labour,
            ...(options.cell ? { cell: options.cell } : {}),
            ...(options.publish ? { publish: split(options.publish) } : {}),
            ...(options.subscribe ? { subscribe: split(options.subscribe) } : {}),
          });
          process.stdout.write(`${username} saved in ${file}\n`);
        } catch (error) {
          process.stderr.write(`mekong broker passwd: ${(error as Error).message}\n`);
          process.exitCode = 1;
        }
      },
    );
}

/** `mekong broker`: every MEKONG_BROKER_* setting is also a flag, which wins over the variable. */
export function brokerCommand(): Command {
  return envFlagsCommand({
    parent: 'mekong',
    name: 'broker',
    description: 'the MQTT broker (Aedes): device authentication, per-cell ACL, limits, /health and /metrics',
    options: brokerCliOptions(),
    configFromEnv: () => brokerConfigFromEnv(),
    run: runBroker,
  }).addCommand(passwdCommand());
}
