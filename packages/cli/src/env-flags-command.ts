import { Command, Option } from 'commander';
import { exitCodes } from './exit-codes.js';

/** A variable of a service's env schema and its flag (runtime's `CliOption`). */
interface CliOption {
  flag: string;
  name: string;
  description: string;
  default: string | undefined;
  isSwitch: boolean;
}

/**
 * A service as a command: every variable of its env schema is also a flag (which wins over the
 * variable); the flags given are written into the environment before the service reads its
 * configuration.
 */
export function envFlagsCommand<C>(spec: {
  /** The command line before this command's name, for error messages (`mekong bridge`). */
  parent: string;
  name: string;
  description: string;
  options: CliOption[];
  configFromEnv: () => Promise<C>;
  run: (config: C) => Promise<void>;
}): Command {
  const command = new Command(spec.name).description(spec.description);
  const variableOfFlag = new Map<string, string>();
  const flagOfVariable = new Map<string, string>();
  for (const option of spec.options) {
    if (option.isSwitch) {
      // A switch and its negation set one attribute; the variable is named in the help text.
      const on = new Option(
        option.flag,
        `${option.description} (env: ${option.name}; default ${option.default})`,
      );
      const off = new Option(`--no-${option.flag.slice(2)}`, 'the opposite');
      command.addOption(on).addOption(off);
      variableOfFlag.set(on.attributeName(), option.name);
      flagOfVariable.set(option.name, option.flag);
      continue;
    }
    const flagOption = new Option(`${option.flag} <value>`, option.description).env(option.name);
    if (option.default !== undefined) flagOption.default(option.default, readableDefault(option.default));
    command.addOption(flagOption);
    variableOfFlag.set(flagOption.attributeName(), option.name);
    flagOfVariable.set(option.name, option.flag);
  }
  command.action(async (options: Record<string, string | boolean>) => {
    // Only flags given on the command line: defaults stay the env schema's own, variables stay as set.
    const typed = new Set<string>();
    for (const [attribute, variable] of variableOfFlag) {
      const value = options[attribute];
      if (value !== undefined && command.getOptionValueSource(attribute) === 'cli') {
        process.env[variable] = String(value);
        typed.add(variable);
      }
    }
    let config: C;
    try {
      config = await spec.configFromEnv();
    } catch (error) {
      // Name what the user typed: the flag when it came from the command line, else the variable.
      let message = (error as Error).message;
      for (const variable of typed) {
        message = message.replaceAll(`${variable}:`, `${flagOfVariable.get(variable)} (${variable}):`);
      }
      process.stderr.write(
        `${spec.parent} ${spec.name}: ${message}\n(\`${spec.parent} ${spec.name} --help\` lists every option)\n`,
      );
      process.exitCode = exitCodes.usage;
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
