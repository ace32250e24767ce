import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { parse } from 'yaml';
import * as z from 'zod';
import { identityOf } from '../output/device-identity.js';
import type { FleetOptions } from '../output/mqtt-fleet.js';
import { positiveIntArg, qosArg } from './parsers.js';

export interface MqttFlags {
  url: string;
  qos: 0 | 1 | 2;
  clientId: string;
  username?: string;
  password?: string;
  passwordFile?: string;
  credentials?: string;
  protocol: string;
  connectConcurrency: number;
  bufferLimit: number;
  maxInFlight: number;
  keepalive: number;
  connectTimeout: number;
}

export function withMqttOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--url <url>', 'broker URL (mqtt://, mqtts://, ws://)')
        .env('MEKONG_SIM_URL')
        .default('mqtt://127.0.0.1:1883'),
    )
    .addOption(
      new Option('--qos <0|1|2>', 'MQTT QoS of every publish')
        .env('MEKONG_SIM_QOS')
        .argParser(qosArg)
        .default(1),
    )
    .addOption(
      new Option(
        '--client-id <template>',
        'client id per device; {enterprise} {site} {area} {line} {cell} {path} are filled in',
      )
        .env('MEKONG_SIM_CLIENT_ID')
        .default('mekong-sim-{site}-{area}-{line}-{cell}'),
    )
    .addOption(
      new Option(
        '--username <template>',
        'username, shared ("sim") or per device ("{site}.{line}.{cell}"); default none',
      ).env('MEKONG_SIM_USERNAME'),
    )
    .addOption(
      new Option('--password <template>', 'password, same placeholders as --username; default none').env(
        'MEKONG_SIM_PASSWORD',
      ),
    )
    .addOption(
      new Option(
        '--password-file <file>',
        'file holding the password template (so that no secret stands on a command line)',
      )
        .env('MEKONG_SIM_PASSWORD_FILE')
        .conflicts('password'),
    )
    .addOption(
      new Option(
        '--credentials <file>',
        'YAML/JSON map "<site>/<area>/<line>/<cell>": {username, password}; wins over the templates',
      ).env('MEKONG_SIM_CREDENTIALS'),
    )
    .addOption(
      new Option('--protocol <4|5>', 'MQTT protocol version: 4 = 3.1.1, 5 = 5.0')
        .env('MEKONG_SIM_PROTOCOL')
        .choices(['4', '5'])
        .default('5'),
    )
    .addOption(
      new Option('--connect-concurrency <n>', 'connection attempts in parallel while devices connect')
        .env('MEKONG_SIM_CONNECT_CONCURRENCY')
        .argParser(positiveIntArg)
        .default(200),
    )
    .addOption(
      new Option(
        '--buffer-limit <n>',
        'messages each device keeps while offline; older ones are dropped and counted',
      )
        .env('MEKONG_SIM_BUFFER_LIMIT')
        .argParser(positiveIntArg)
        .default(10_000),
    )
    .addOption(
      new Option('--max-in-flight <n>', 'unacknowledged publishes before the simulator waits (back-pressure)')
        .env('MEKONG_SIM_MAX_IN_FLIGHT')
        .argParser(positiveIntArg)
        .default(20_000),
    )
    .addOption(
      new Option(
        '--connect-timeout <seconds>',
        'give up when a device is not connected after this long (bad password, no broker)',
      )
        .env('MEKONG_SIM_CONNECT_TIMEOUT')
        .argParser(positiveIntArg)
        .default(60),
    )
    .addOption(
      new Option('--keepalive <seconds>', 'MQTT keep-alive')
        .env('MEKONG_SIM_KEEPALIVE')
        .argParser(positiveIntArg)
        .default(60),
    );
}

const credentialsSchema = z.record(z.string(), z.object({ username: z.string(), password: z.string() }));

export function fleetOptions(
  flags: MqttFlags,
  enterprise: string,
  onIssue: FleetOptions['onIssue'],
): FleetOptions {
  const credentials =
    flags.credentials === undefined
      ? undefined
      : credentialsSchema.parse(parse(readFileSync(flags.credentials, 'utf8')));
  const templates = {
    clientId: flags.clientId,
    username: flags.username,
    password:
      flags.passwordFile === undefined
        ? flags.password
        : readFileSync(flags.passwordFile, 'utf8').replace(/\r?\n$/, ''),
    credentials,
  };
  return {
    url: flags.url,
    qos: flags.qos,
    identity: (path) => identityOf(enterprise, path, templates),
    connectConcurrency: flags.connectConcurrency,
    bufferLimit: flags.bufferLimit,
    maxInFlight: flags.maxInFlight,
    backoff: { initialMs: 500, maxMs: 30_000 },
    keepaliveSeconds: flags.keepalive,
    protocolVersion: flags.protocol === '4' ? 4 : 5,
    onIssue,
  };
}
