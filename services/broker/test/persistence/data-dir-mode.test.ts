import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage } from '../../src/persistence/create-persistence.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-data-dir-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('durable data folder (queued commands and wills)', () => {
  it.each([
    ['a new folder', false],
    ['a folder that existed 0755', true],
  ])('%s is 0700 and its files 0600 once the store is open', async (_name, exists) => {
    const dataDir = join(dir, exists ? 'existing' : 'new', 'broker-data');
    if (exists) {
      await mkdir(dataDir, { recursive: true, mode: 0o755 });
      await chmod(dataDir, 0o755);
    }
    const storage = await createStorage({ mode: 'durable', dataDir, concurrency: 10 });
    try {
      expect(await modeOf(dataDir)).toBe(0o700);
      const files = (await readdir(dataDir, { withFileTypes: true })).filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(0);
      for (const file of files)
        expect([file.name, await modeOf(join(dataDir, file.name))]).toEqual([file.name, 0o600]);
    } finally {
      await storage.close();
    }
  });
});
