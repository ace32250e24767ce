import { devstackConfigFromEnv, devstackUp } from '@mekong/devstack';
import { Command } from 'commander';
import { reportingErrors, waitForSignal } from '../reporting.js';

/** The whole platform in one process. Today that is the devstack; services join as they land. */
export function startCommand(): Command {
  return new Command('start')
    .description('start the platform (today: Kafka and InfluxDB of the devstack) until Ctrl-C')
    .action(() =>
      reportingErrors('mekong start', async () => {
        const stack = await devstackUp(devstackConfigFromEnv());
        const { kafka, influxdb } = stack.endpoints;
        process.stdout.write(
          `Mekong is running.\n  Kafka     ${kafka.brokers.join(',')}\n  InfluxDB  ${influxdb.url} (org ${influxdb.org}, bucket ${influxdb.bucket})\nPress Ctrl-C to stop.\n`,
        );
        await waitForSignal();
        process.stdout.write('stopping…\n');
        await stack.stop();
      }),
    );
}
