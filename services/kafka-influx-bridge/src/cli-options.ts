import { type CliOption, cliOptionsOf } from '@mekong/runtime';
import { kafkaInfluxEnvSchema } from './config.js';

/**
 * What `mekong bridge kafka-influx --help` shows: each option's flag, variable, default and description.
 * A flag `--batch-max-points 2000` sets `MEKONG_KAFKA_INFLUX_BATCH_MAX_POINTS=2000` before the config is read.
 */
export type BridgeCliOption = CliOption;

export function kafkaInfluxCliOptions(): BridgeCliOption[] {
  return cliOptionsOf(kafkaInfluxEnvSchema, 'KAFKA_INFLUX_');
}
