import { describeConfig, type EnvVariableHelp } from '@mekong/runtime';
import { mqttKafkaEnvSchema } from './config.js';

/**
 * What `mekong bridge mqtt-kafka --help` shows: each option's flag, variable, default and description.
 * A flag `--linger-ms 10` sets `MEKONG_MQTT_KAFKA_LINGER_MS=10` before `mqttKafkaConfigFromEnv`.
 */
export interface BridgeCliOption extends EnvVariableHelp {
  flag: string;
}

export function mqttKafkaCliOptions(): BridgeCliOption[] {
  return describeConfig(mqttKafkaEnvSchema).map((variable) => ({
    ...variable,
    flag: `--${variable.name
      .replace(/^MEKONG_(MQTT_KAFKA_)?/, '')
      .toLowerCase()
      .replaceAll('_', '-')}`,
  }));
}
