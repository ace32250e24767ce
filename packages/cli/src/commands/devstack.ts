import {
  devstackConfigFromEnv,
  devstackDown,
  devstackEnvHelp,
  devstackStatus,
  devstackUp,
} from '@mekong/devstack';
import { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { reportingErrors, waitForSignal } from '../reporting.js';

const envHelp = `\nEnvironment:\n${devstackEnvHelp.map(([name, text]) => `  ${name.padEnd(30)} ${text}`).join('\n')}\n`;

export function devstackCommand(): Command {
  const command = new Command('devstack')
    .description('Real Kafka and InfluxDB for development and tests: from env, Docker, or local processes')
    .addHelpText('after', envHelp);

  command
    .command('up')
    .description('start Kafka and InfluxDB (installing them on first use) and print their endpoints')
    .option('--json', 'print the endpoints as JSON', false)
    .action((options: { json: boolean }) =>
      reportingErrors('mekong devstack', async () => {
        const stack = await devstackUp(devstackConfigFromEnv());
        const { kafka, influxdb } = stack.endpoints;
        if (options.json) {
          process.stdout.write(`${JSON.stringify(stack.endpoints, null, 2)}\n`);
        } else {
          process.stdout.write(
            [
              `Kafka     ${kafka.brokers.join(',')}  (${kafka.source})`,
              `InfluxDB  ${influxdb.url}  org=${influxdb.org} bucket=${influxdb.bucket}  (${influxdb.source})`,
              `          token: \`mekong devstack up --json\` prints it (kept in an owner-only state.json)`,
              '',
            ].join('\n'),
          );
        }
        if (stack.attached) {
          process.stdout.write('Containers run while this command runs; press Ctrl-C to stop them.\n');
          await waitForSignal();
          await stack.stop();
        }
      }),
    );

  command
    .command('down')
    .description('stop the local Kafka and InfluxDB; their data stays for the next `up`')
    .action(() =>
      reportingErrors('mekong devstack', async () => {
        await devstackDown(devstackConfigFromEnv());
        process.stdout.write('devstack stopped\n');
      }),
    );

  command
    .command('status')
    .description('show which local services run, their endpoints and log files')
    .option('--json', 'print the status as JSON', false)
    .action((options: { json: boolean }) =>
      reportingErrors('mekong devstack', async () => {
        const status = await devstackStatus(devstackConfigFromEnv());
        if (status.services.some((service) => !service.running)) process.exitCode = exitCodes.partial;
        if (options.json) {
          process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
          return;
        }
        process.stdout.write(`instance ${status.instance} (${status.stackDir})\n`);
        for (const service of status.services) {
          const state = service.running ? `running, pid ${service.pid}` : 'stopped';
          process.stdout.write(
            `  ${service.name.padEnd(9)} ${state.padEnd(20)} ${service.endpoint ?? ''}  ${service.logFile ?? ''}\n`,
          );
        }
      }),
    );
  return command;
}
