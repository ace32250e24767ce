import {
  kafkaInfluxCliOptions,
  kafkaInfluxConfigFromEnv,
  runKafkaInfluxBridge,
} from '@mekong/kafka-influx-bridge';
import { mqttKafkaCliOptions, mqttKafkaConfigFromEnv, runMqttKafkaBridge } from '@mekong/mqtt-kafka-bridge';
import { Command } from 'commander';
import { envFlagsCommand } from '../env-flags-command.js';

/** `mekong bridge mqtt-kafka` and `mekong bridge kafka-influx`. */
export function bridgeCommand(): Command {
  return new Command('bridge')
    .description('the bridges that carry readings MQTT → Kafka → InfluxDB, losing none')
    .addCommand(
      envFlagsCommand({
        parent: 'mekong bridge',
        name: 'mqtt-kafka',
        description:
          'MQTT → Kafka: validates each message (invalid ones go to mekong.dlq.v1 with the reason) and acknowledges it to the broker only once Kafka holds it',
        options: mqttKafkaCliOptions(),
        configFromEnv: () => mqttKafkaConfigFromEnv(),
        run: runMqttKafkaBridge,
      }),
    )
    .addCommand(
      envFlagsCommand({
        parent: 'mekong bridge',
        name: 'kafka-influx',
        description:
          'Kafka → InfluxDB: writes telemetry in batches and commits Kafka offsets only after InfluxDB accepted them; refused records go to mekong.dlq.v1',
        options: kafkaInfluxCliOptions(),
        configFromEnv: () => kafkaInfluxConfigFromEnv(),
        run: runKafkaInfluxBridge,
      }),
    );
}
