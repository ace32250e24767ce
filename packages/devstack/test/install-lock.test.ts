import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withInstallLock } from '../src/install-lock.js';

describe('install lock', () => {
  it('lets only one install into a folder at a time and tells the waiter', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mekong-lock-'));
    const events: string[] = [];
    const messages: string[] = [];
    // The holder keeps the lock until the other has been told to wait: no race on timing.
    let waiterTold = () => {};
    const told = new Promise<void>((resolve) => {
      waiterTold = resolve;
    });
    const install = (name: string) =>
      withInstallLock(
        dir,
        (message) => {
          messages.push(message);
          if (message.includes('waiting for another install')) waiterTold();
        },
        async () => {
          events.push(`${name} start`);
          await told;
          events.push(`${name} end`);
          return name;
        },
      );
    const results = await Promise.all([install('a'), install('b')]);
    expect(results).toEqual(['a', 'b']);
    // Whichever got the lock first finished before the other began.
    expect(events[0]?.endsWith('start')).toBe(true);
    expect(events[1]).toBe(events[0]?.replace('start', 'end'));
    expect(messages.some((message) => message.includes('waiting for another install'))).toBe(true);
  });

  it('releases the lock when the work fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mekong-lock-'));
    await expect(
      withInstallLock(
        dir,
        () => undefined,
        async () => {
          throw new Error('build broke');
        },
      ),
    ).rejects.toThrow('build broke');
    await expect(
      withInstallLock(
        dir,
        () => undefined,
        async () => 'second',
      ),
    ).resolves.toBe('second');
  });
});
