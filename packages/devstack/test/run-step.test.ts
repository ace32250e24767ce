import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DevstackError } from '../src/errors.js';
import { runStep } from '../src/run-step.js';

describe('install steps', () => {
  it('logs the command output to the file and reports start and end', async () => {
    const logFile = join(await mkdtemp(join(tmpdir(), 'mekong-step-')), 'step.log');
    const messages: string[] = [];
    await runStep({
      step: 'say hello',
      command: 'sh',
      args: ['-c', 'echo hello-out; echo hello-err >&2'],
      logFile,
      progress: (message) => messages.push(message),
    });
    const log = await readFile(logFile, 'utf8');
    expect(log).toContain('hello-out');
    expect(log).toContain('hello-err');
    expect(messages[0]).toBe('say hello…');
    expect(messages.at(-1)).toMatch(/^say hello: done in \d+ s$/);
  });

  it('names the failed step, the exit code, the log and what to do', async () => {
    const logFile = join(await mkdtemp(join(tmpdir(), 'mekong-step-')), 'step.log');
    const failure = runStep({
      step: 'build the thing',
      command: 'sh',
      args: ['-c', 'exit 7'],
      logFile,
      progress: () => undefined,
      hint: 'install the compiler',
    });
    await expect(failure).rejects.toBeInstanceOf(DevstackError);
    await expect(failure).rejects.toMatchObject({
      code: 'MEKONG_DEVSTACK_INSTALL_FAILED',
      step: 'build the thing',
      logFile,
      message: expect.stringContaining('exited with code 7'),
    });
    await expect(failure).rejects.toThrow('what to do: install the compiler');
  });

  it('says so when the command does not exist', async () => {
    const logFile = join(await mkdtemp(join(tmpdir(), 'mekong-step-')), 'step.log');
    await expect(
      runStep({
        step: 'run a missing tool',
        command: 'no-such-tool-xyz',
        args: [],
        logFile,
        progress: () => undefined,
      }),
    ).rejects.toThrow('could not run no-such-tool-xyz');
  });

  it('prints a heartbeat while a long step runs', async () => {
    const logFile = join(await mkdtemp(join(tmpdir(), 'mekong-step-')), 'step.log');
    const messages: string[] = [];
    await runStep({
      step: 'wait',
      command: 'sleep',
      args: ['1.5'],
      logFile,
      progress: (message) => messages.push(message),
      heartbeatSeconds: 0.5,
    });
    expect(
      messages.filter((message) => message.startsWith('wait: still working')).length,
    ).toBeGreaterThanOrEqual(2);
  });
});
