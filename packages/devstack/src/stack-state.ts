import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeSecretDir, writeSecretFile } from '@mekong/runtime';
import { z } from 'zod';

const processState = z.object({
  pid: z.number().int(),
  /** A path that appears in the process's command line; guards against recycled pids. */
  marker: z.string(),
  logFile: z.string(),
  startedAt: z.string(),
});

export const kafkaState = z.object({
  port: z.number().int(),
  controllerPort: z.number().int(),
  process: processState.optional(),
});

export const influxdbState = z.object({
  port: z.number().int(),
  org: z.string(),
  bucket: z.string(),
  username: z.string(),
  password: z.string(),
  token: z.string(),
  process: processState.optional(),
});

export const stackState = z.object({
  instance: z.string(),
  kafka: kafkaState.optional(),
  influxdb: influxdbState.optional(),
});

export type ProcessState = z.infer<typeof processState>;
export type KafkaState = z.infer<typeof kafkaState>;
export type InfluxdbState = z.infer<typeof influxdbState>;
export type StackState = z.infer<typeof stackState>;

const stateFile = (stackDir: string) => join(stackDir, 'state.json');

export async function readStackState(stackDir: string, instance: string): Promise<StackState> {
  const file = stateFile(stackDir);
  if (!existsSync(file)) return { instance };
  return stackState.parse(JSON.parse(await readFile(file, 'utf8')));
}

/**
 * Written atomically and readable only by its owner (0600 at every write, in a 0700 stack folder):
 * it holds the InfluxDB credentials.
 */
export async function writeStackState(stackDir: string, state: StackState): Promise<void> {
  await makeSecretDir(stackDir);
  await writeSecretFile(stateFile(stackDir), `${JSON.stringify(state, null, 2)}\n`);
}
