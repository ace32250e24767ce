import { describeConfig, type EnvVariableHelp } from '@mekong/runtime';
import { kafkaInfluxEnvSchema } from './config.js';

/**
 * What `mekong bridge kafka-influx --help` shows: each option's flag, variable, default and description.
 * A flag `--batch-max-points 2000` sets `MEKONG_KAFKA_INFLUX_BATCH_MAX_POINTS=2000` before the config is read.
 */
export interface BridgeCliOption extends EnvVariableHelp {
  flag: string;
}

export function kafkaInfluxCliOptions(): BridgeCliOption[] {
  return describeConfig(kafkaInfluxEnvSchema).map((variable) => ({
    ...variable,
    flag: `--${variable.name
      .replace(/^MEKONG_(KAFKA_INFLUX_)?/, '')
      .toLowerCase()
      .replaceAll('_', '-')}`,
  }));
}
