import { type CliOption, cliOptionsOf } from '@mekong/runtime';
import { brokerEnvSchema } from './config.js';

/**
 * What `mekong broker --help` shows: each option's flag, variable, default and description. A flag
 * `--max-packet-bytes 1000` sets `MEKONG_BROKER_MAX_PACKET_BYTES=1000` before `brokerConfigFromEnv`.
 */
export type BrokerCliOption = CliOption;

export function brokerCliOptions(): BrokerCliOption[] {
  return cliOptionsOf(brokerEnvSchema, 'BROKER_');
}

/** `mekong broker passwd <file> <username> --role device --cell a/b/c/d/e [--labour]`: the arguments of `passwd`. */
export const passwdUsage =
  'mekong broker passwd <credentials file> <username> --role device|service|admin [--cell <enterprise/site/area/line/cell>] [--labour] [--publish f1,f2] [--subscribe f1,f2]  (password read from stdin or MEKONG_BROKER_PASSWORD)';
