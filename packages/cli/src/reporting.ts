import { DevstackError } from '@mekong/devstack';

/** Prints a known failure for a person (step, log, what to do) and sets a failing exit code. */
export async function reportingErrors(command: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DevstackError) {
      process.stderr.write(`${command}: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
