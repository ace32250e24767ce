import * as z from 'zod';
import { RuntimeError } from './errors.js';
import { logFormats } from './logger.js';

/** A zod object whose keys are environment variable names (`MEKONG_…`). */
export type EnvSchema = z.ZodObject<z.ZodRawShape>;

/** One variable of an env schema, for `--help` texts and documentation. */
export interface EnvVariableHelp {
  name: string;
  description: string;
  default: string | undefined;
}

/**
 * Reads configuration from the environment. Empty strings count as unset, so `FOO=` in a compose
 * file falls back to the default. A bad value throws MEKONG_CONFIG_INVALID naming every offending
 * variable with what it expects.
 */
export function loadConfig<S extends EnvSchema>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const input: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(config)');
    const field = schema.shape[name] as z.ZodType | undefined;
    const description = field?.description ? ` (${field.description})` : '';
    const given = name in input ? ` — got "${abbreviate(input[name] ?? '')}"` : '';
    return `${name}: ${issue.message}${given}${description}`;
  });
  throw new RuntimeError('MEKONG_CONFIG_INVALID', `invalid configuration:\n  ${lines.join('\n  ')}`);
}

/** Name, description and default of each variable of `schema`, in declaration order. */
export function describeConfig(schema: EnvSchema): EnvVariableHelp[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    const defaultValue = defaultOf(type);
    return { name, description: type.description ?? '', default: defaultValue };
  });
}

/** A variable of an env schema as a command-line flag too. */
export interface CliOption extends EnvVariableHelp {
  flag: string;
  /** A true/false setting: a switch on the command line (`--ws` / `--no-ws`), not a flag with a value. */
  isSwitch: boolean;
}

/**
 * The variables of `schema` as flags: `MEKONG_BROKER_MAX_PACKET_BYTES` with `ownPrefix` `BROKER_` is
 * `--max-packet-bytes`; shared ones (`MEKONG_KAFKA_BROKERS`) keep the rest of their name.
 */
export function cliOptionsOf(schema: EnvSchema, ownPrefix: string): CliOption[] {
  return describeConfig(schema).map((variable) => {
    const rest = variable.name.replace(/^MEKONG_/, '');
    const own = rest.startsWith(ownPrefix) ? rest.slice(ownPrefix.length) : rest;
    const isSwitch = variable.default === 'true' || variable.default === 'false';
    // `…_WS_ENABLED` reads better as `--ws` / `--no-ws`.
    const name = isSwitch ? own.replace(/_ENABLED$/, '') : own;
    return { ...variable, isSwitch, flag: `--${name.toLowerCase().replaceAll('_', '-')}` };
  });
}

function defaultOf(type: z.ZodType): string | undefined {
  const parsed = type.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) return undefined;
  return typeof parsed.data === 'string' ? parsed.data : JSON.stringify(parsed.data);
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Env helpers: the string forms every service needs, each with a clear message. */
export const env = {
  port: (defaultPort: number) => z.coerce.number().int().min(0).max(65_535).default(defaultPort),
  positiveInt: (defaultValue: number) => z.coerce.number().int().positive().default(defaultValue),
  nonNegativeInt: (defaultValue: number) => z.coerce.number().int().min(0).default(defaultValue),
  boolean: (defaultValue: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .default(defaultValue ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  logFormat: () => z.enum(logFormats).default('auto'),
  /** A comma-separated list (`a, b,c`): items trimmed, empty ones dropped. */
  list: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((text) =>
        text
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
};
