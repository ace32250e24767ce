import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DevstackError } from './errors.js';

export type Progress = (message: string) => void;

export const consoleProgress: Progress = (message) => {
  process.stderr.write(`[devstack] ${message}\n`);
};

export interface StepOptions {
  /** Human name of the step, used in progress lines and errors ("build libflux"). */
  step: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** All output of the command is appended here; errors point to it. */
  logFile: string;
  progress: Progress;
  /** What the user should do when the step fails. */
  hint?: string;
  /** Seconds between "still working" lines, so a fresh machine's long installs never look hung. */
  heartbeatSeconds?: number;
}

/**
 * Runs one install step as a child process with its output in a log file, printing a line when it
 * starts, every `heartbeatSeconds` while it runs, and when it ends. A failure is a DevstackError that
 * names the step, the exit code and the log file.
 */
export async function runStep(options: StepOptions): Promise<void> {
  await mkdir(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const started = Date.now();
  log.write(`\n$ ${options.command} ${options.args.join(' ')}\n`);
  options.progress(`${options.step}…`);
  const heartbeat = setInterval(
    () => options.progress(`${options.step}: still working (${Math.round((Date.now() - started) / 1000)} s)`),
    (options.heartbeatSeconds ?? 30) * 1000,
  );
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(options.command, [...options.args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
      child.on('error', reject);
      child.on('close', resolve);
    }).catch((error: unknown) => {
      throw new DevstackError(
        'MEKONG_DEVSTACK_INSTALL_FAILED',
        options.step,
        `could not run ${options.command}`,
        {
          logFile: options.logFile,
          hint: options.hint ?? `install ${options.command} and try again`,
          cause: error,
        },
      );
    });
    if (exitCode !== 0) {
      throw new DevstackError(
        'MEKONG_DEVSTACK_INSTALL_FAILED',
        options.step,
        `${options.command} exited with code ${exitCode}`,
        { logFile: options.logFile, ...(options.hint ? { hint: options.hint } : {}) },
      );
    }
    options.progress(`${options.step}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    clearInterval(heartbeat);
    await new Promise<void>((resolve) => log.end(resolve));
  }
}
