import { join } from 'node:path';
import { brokerConfigFromEnv, brokerEnvSchema, startBroker } from '@mekong/broker';
import { devstackConfigFromEnv, devstackUp } from '@mekong/devstack';
import {
  kafkaInfluxConfigFromEnv,
  kafkaInfluxEnvSchema,
  startKafkaInfluxBridge,
} from '@mekong/kafka-influx-bridge';
import { mqttKafkaConfigFromEnv, mqttKafkaEnvSchema, startMqttKafkaBridge } from '@mekong/mqtt-kafka-bridge';
import { describeConfig } from '@mekong/runtime';
import { Command } from 'commander';
import { PLATFORM_BRIDGE_USER, platformCredentials } from '../platform/platform-credentials.js';
import { reportingErrors, waitForSignal } from '../reporting.js';

/**
 * The whole platform in one process: the devstack's Kafka and InfluxDB, the broker and both bridges.
 * Each service reads its usual MEKONG_* variables; what `start` wires itself (endpoints, the bridge's
 * account) fills in only the variables left unset.
 */
export function startCommand(): Command {
  return new Command('start')
    .description(
      'start the platform until Ctrl-C: Kafka and InfluxDB (devstack), the MQTT broker, and the bridges MQTT → Kafka → InfluxDB',
    )
    .addHelpText('after', () => startHelp())
    .action(() =>
      reportingErrors('mekong start', async () => {
        const devstackConfig = devstackConfigFromEnv();
        const stack = await devstackUp(devstackConfig);
        const closing: Array<[string, () => Promise<void>]> = [['devstack', () => stack.stop()]];
        const stop = async () => {
          for (const [, close] of closing.reverse()) await close();
        };
        try {
          const { kafka, influxdb } = stack.endpoints;
          const platformDir = join(devstackConfig.stackDir, 'platform');
          const secrets = await platformCredentials(
            platformDir,
            process.env.MEKONG_BROKER_CREDENTIALS_FILE || undefined,
          );
          const unset = (values: Record<string, string>): NodeJS.ProcessEnv => {
            const environment = { ...process.env };
            for (const [name, value] of Object.entries(values)) {
              if (!environment[name]) environment[name] = value;
            }
            return environment;
          };

          const brokerConfig = await brokerConfigFromEnv(
            unset({
              MEKONG_BROKER_CREDENTIALS_FILE: secrets.credentialsFile,
              MEKONG_BROKER_PERSISTENCE: 'durable',
              MEKONG_BROKER_DATA_DIR: join(platformDir, 'broker-data'),
            }),
          );
          const broker = await startBroker(brokerConfig);
          closing.push(['broker', () => broker.close()]);

          const kafkaInflux = await startKafkaInfluxBridge(
            await kafkaInfluxConfigFromEnv(
              unset({
                MEKONG_KAFKA_BROKERS: kafka.brokers.join(','),
                MEKONG_INFLUX_URL: influxdb.url,
                MEKONG_INFLUX_TOKEN: influxdb.token,
                MEKONG_INFLUX_ORG: influxdb.org,
                MEKONG_INFLUX_BUCKET: influxdb.bucket,
              }),
            ),
          );
          closing.push(['kafka-influx bridge', () => kafkaInflux.close()]);

          const mqttKafka = await startMqttKafkaBridge(
            await mqttKafkaConfigFromEnv(
              unset({
                MEKONG_MQTT_URL: `mqtt://127.0.0.1:${broker.ports.tcp}`,
                MEKONG_MQTT_USERNAME: PLATFORM_BRIDGE_USER,
                MEKONG_MQTT_PASSWORD_FILE: secrets.bridgePasswordFile,
                MEKONG_KAFKA_BROKERS: kafka.brokers.join(','),
              }),
            ),
          );
          closing.push(['mqtt-kafka bridge', () => mqttKafka.close()]);

          process.stdout.write(
            [
              'Mekong is running.',
              `  MQTT broker        mqtt://localhost:${broker.ports.tcp}${broker.ports.ws ? `, ws://localhost:${broker.ports.ws}` : ''} (health :${broker.ports.http})`,
              `  MQTT → Kafka       health :${mqttKafka.ports.http}`,
              `  Kafka → InfluxDB   health :${kafkaInflux.ports.http}`,
              `  Kafka              ${kafka.brokers.join(',')}`,
              `  InfluxDB           ${influxdb.url} (org ${influxdb.org}, bucket ${influxdb.bucket})`,
              `  Devices            add with: mekong broker passwd ${secrets.credentialsFile} <device> --role device --cell <enterprise/site/area/line/cell>`,
              'Press Ctrl-C to stop.',
              '',
            ].join('\n'),
          );
          await waitForSignal();
          process.stdout.write('stopping…\n');
        } finally {
          await stop();
        }
      }),
    );
}

/** What `start` runs, in order, and every variable it honours (each service's own, unchanged). */
function startHelp(): string {
  const names = (schema: Parameters<typeof describeConfig>[0]) =>
    describeConfig(schema)
      .map((v) => v.name)
      .join(' ');
  const wrap = (text: string) => text.replace(/(.{1,96})(\s|$)/g, '    $1\n');
  return `
It starts, in this order (Ctrl-C stops them in reverse):
  1. Kafka and InfluxDB: the devstack (\`mekong devstack --help\`), or those given by MEKONG_KAFKA_BROKERS
     and MEKONG_INFLUX_URL with MEKONG_INFLUX_TOKEN(_FILE), MEKONG_INFLUX_ORG, MEKONG_INFLUX_BUCKET;
  2. the MQTT broker, in durable mode, with its data and a credentials file in the stack's platform
     folder (add devices with \`mekong broker passwd\`);
  3. the Kafka → InfluxDB bridge;
  4. the MQTT → Kafka bridge, logged in as the service account mekong-bridge (random password, 0600 file).

Every variable of each service applies as it does when the service runs alone; start fills in only
those left unset (endpoints, the broker's persistence and credentials, the bridge's account).
  devstack: MEKONG_DEVSTACK_INSTANCE MEKONG_DEVSTACK_DIR MEKONG_DEVSTACK_DOCKER MEKONG_KAFKA_PORT
    MEKONG_KAFKA_CONTROLLER_PORT MEKONG_INFLUX_PORT
  broker (\`mekong broker --help\`):
${wrap(names(brokerEnvSchema))}  Kafka → InfluxDB bridge (\`mekong bridge kafka-influx --help\`):
${wrap(names(kafkaInfluxEnvSchema))}  MQTT → Kafka bridge (\`mekong bridge mqtt-kafka --help\`):
${wrap(names(mqttKafkaEnvSchema))}`;
}
