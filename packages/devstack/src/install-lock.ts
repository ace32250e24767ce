import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import type { Progress } from './run-step.js';

/**
 * Runs `work` while holding an inter-process lock on `dir`, so two runs that start at once (two
 * terminals, parallel CI jobs) never install into the same cache folder together. The lock is
 * refreshed while held and taken over when its holder died (stale after a minute without refresh).
 */
export async function withInstallLock<T>(
  dir: string,
  progress: Progress,
  work: () => Promise<T>,
): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lockOptions = { lockfilePath: `${dir}/.install.lock`, stale: 60_000, update: 10_000 };
  let release: (() => Promise<void>) | undefined;
  for (let attempt = 0; release === undefined; attempt++) {
    try {
      release = await lockfile.lock(dir, lockOptions);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (attempt % 15 === 0) progress(`waiting for another install in ${dir} to finish`);
      await sleep(2_000);
    }
  }
  try {
    return await work();
  } finally {
    await release();
  }
}
