import {
  kafkaInfluxCliOptions,
  kafkaInfluxConfigFromEnv,
  runKafkaInfluxBridge,
} from '@mekong/kafka-influx-bridge';
import { mqttKafkaCliOptions, mqttKafkaConfigFromEnv, runMqttKafkaBridge } from '@mekong/mqtt-kafka-bridge';
import { Command, Option } from 'commander';

interface CliOption {
  flag: string;
  name: string;
  description: string;
  default: string | undefined;
}

/**
 * One bridge as a subcommand: every variable of its env schema is also a flag (which wins over the
 * variable); the flags are written back into the environment before the bridge reads its configuration.
 */
function bridgeSubcommand<C>(spec: {
  name: string;
  description: string;
  options: CliOption[];
  configFromEnv: () => Promise<C>;
  run: (config: C) => Promise<void>;
}): Command {
  const command = new Command(spec.name).description(spec.description);
  const variableOfFlag = new Map<string, string>();
  for (const option of spec.options) {
    const flagOption = new Option(`${option.flag} <value>`, option.description).env(option.name);
    if (option.default !== undefined) flagOption.default(option.default, readableDefault(option.default));
    command.addOption(flagOption);
    variableOfFlag.set(flagOption.attributeName(), option.name);
  }
  command.action(async (options: Record<string, string>) => {
    // Only flags given on the command line: defaults stay the env schema's own, variables stay as set.
    for (const [attribute, variable] of variableOfFlag) {
      const value = options[attribute];
      if (value !== undefined && command.getOptionValueSource(attribute) === 'cli')
        process.env[variable] = value;
    }
    let config: C;
    try {
      config = await spec.configFromEnv();
    } catch (error) {
      process.stderr.write(`mekong bridge ${spec.name}: ${(error as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    await spec.run(config);
  });
  return command;
}

/** Lists come out of the env schema as JSON arrays; on the command line they are comma-separated. */
function readableDefault(value: string): string {
  if (!value.startsWith('[')) return value;
  try {
    return (JSON.parse(value) as unknown[]).join(',');
  } catch {
    return value;
  }
}

/** `mekong bridge mqtt-kafka` and `mekong bridge kafka-influx`. */
export function bridgeCommand(): Command {
  return new Command('bridge')
    .description('the bridges that carry readings MQTT → Kafka → InfluxDB, losing none')
    .addCommand(
      bridgeSubcommand({
        name: 'mqtt-kafka',
        description:
          'MQTT → Kafka: validates each message (invalid ones go to mekong.dlq.v1 with the reason) and acknowledges it to the broker only once Kafka holds it',
        options: mqttKafkaCliOptions(),
        configFromEnv: () => mqttKafkaConfigFromEnv(),
        run: runMqttKafkaBridge,
      }),
    )
    .addCommand(
      bridgeSubcommand({
        name: 'kafka-influx',
        description:
          'Kafka → InfluxDB: writes telemetry in batches and commits Kafka offsets only after InfluxDB accepted them; refused records go to mekong.dlq.v1',
        options: kafkaInfluxCliOptions(),
        configFromEnv: () => kafkaInfluxConfigFromEnv(),
        run: runKafkaInfluxBridge,
      }),
    );
}
