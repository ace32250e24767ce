import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  isProcessAlive,
  killProcess,
  spawnDetached,
  stopProcess,
} from '../../src/process/managed-process.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mekong-process-'));
}

describe('managed processes', () => {
  it('runs detached with output in the log file and is recognised by its marker', async () => {
    const dir = await scratch();
    const marker = join(dir, 'marker-a');
    const pid = spawnDetached(
      { command: 'sh', args: ['-c', `echo started; sleep 30 # ${marker}`] },
      join(dir, 'out.log'),
    );
    try {
      await vi.waitFor(async () => expect(await readFile(join(dir, 'out.log'), 'utf8')).toContain('started'));
      expect(isProcessAlive(pid, marker)).toBe(true);
      expect(isProcessAlive(pid, join(dir, 'someone-else'))).toBe(false);
      expect(await readFile(join(dir, 'out.log'), 'utf8')).toContain('started');
    } finally {
      await killProcess(pid, marker);
    }
    expect(isProcessAlive(pid, marker)).toBe(false);
  });

  it('stops the whole process group, children included', async () => {
    const dir = await scratch();
    const marker = join(dir, 'marker-b');
    const childPidFile = join(dir, 'child.pid');
    const pid = spawnDetached(
      { command: 'sh', args: ['-c', `sleep 60 & echo $! > ${childPidFile}; wait # ${marker}`] },
      join(dir, 'out.log'),
    );
    const childPid = await vi.waitFor(async () => {
      const text = await readFile(childPidFile, 'utf8');
      expect(text).toMatch(/^\d+\n$/);
      return Number(text.trim());
    });
    expect(isProcessAlive(childPid, 'sleep')).toBe(true);
    await stopProcess(pid, marker, 5_000);
    expect(isProcessAlive(pid, marker)).toBe(false);
    // The child sleeps 60 s: only the group's signal ends it within the wait.
    await vi.waitFor(() => expect(isProcessAlive(childPid, 'sleep')).toBe(false), { timeout: 3_000 });
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const dir = await scratch();
    const marker = join(dir, 'marker-c');
    const pid = spawnDetached(
      {
        command: 'sh',
        args: ['-c', `trap '' TERM; echo trapped; while true; do sleep 0.1; done # ${marker}`],
      },
      join(dir, 'out.log'),
    );
    // SIGTERM only once the trap is set, or sh would die of it at once.
    await vi.waitFor(async () => expect(await readFile(join(dir, 'out.log'), 'utf8')).toContain('trapped'));
    const started = Date.now();
    await stopProcess(pid, marker, 1_000);
    expect(isProcessAlive(pid, marker)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });
});
