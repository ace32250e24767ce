import { type CliOption, cliOptionsOf } from '@mekong/runtime';
import { mqttKafkaEnvSchema } from './config.js';

/**
 * What `mekong bridge mqtt-kafka --help` shows: each option's flag, variable, default and description.
 * A flag `--linger-ms 10` sets `MEKONG_MQTT_KAFKA_LINGER_MS=10` before `mqttKafkaConfigFromEnv`.
 */
export type BridgeCliOption = CliOption;

export function mqttKafkaCliOptions(): BridgeCliOption[] {
  return cliOptionsOf(mqttKafkaEnvSchema, 'MQTT_KAFKA_');
}
