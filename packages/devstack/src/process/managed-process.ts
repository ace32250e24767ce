import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LaunchSpec {
  command: string;
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * Starts a long-lived server process that outlives the caller (so `mekong devstack up` can exit),
 * in its own process group (so stopping it takes its children along), with stdout and stderr
 * appended to `logFile`.
 */
export function spawnDetached(spec: LaunchSpec, logFile: string): number {
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', out, out],
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/**
 * True when `pid` runs and its command line contains `marker` (a path only this service uses), so
 * a recycled pid of an unrelated process is never mistaken for ours. A zombie (exited, not yet reaped
 * by its parent) is not running; a process still exiting is, until it has closed its sockets.
 */
export function isProcessAlive(pid: number, marker: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true; // no /proc (macOS): trust the signal check
  }
  // The state letter follows the command name, which is in parentheses and may itself hold spaces.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return false;
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  // An exiting process has already dropped its command line; it is ours if it was before.
  return cmdline.length === 0 || cmdline.includes(marker);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Asks the process group to stop, waits up to `graceMs`, then kills it. Resolves once it is gone. */
export async function stopProcess(pid: number, marker: string, graceMs = 20_000): Promise<void> {
  if (!isProcessAlive(pid, marker)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid, marker)) return;
    await sleep(100);
  }
  await killProcess(pid, marker);
}

/** SIGKILL to the whole group, as a crash would; resolves once the process is gone. */
export async function killProcess(pid: number, marker: string): Promise<void> {
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 100 && isProcessAlive(pid, marker); i++) await sleep(100);
}
