import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSecretDir, writeSecretFile } from '../src/secret-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-secret-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('secret files', () => {
  it('sets 0600 on every write, also over a 0644 file, and leaves no temporary file', async () => {
    const file = join(dir, 'secret.json');
    await writeFile(file, 'old', { mode: 0o644 });
    await chmod(file, 0o644);
    await writeSecretFile(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await modeOf(file)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['secret.json']);
  });

  it('creates missing parent folders 0700, and leaves existing ones as they are', async () => {
    const shared = join(dir, 'shared');
    await mkdir(shared, { mode: 0o755 });
    await chmod(shared, 0o755);
    await writeSecretFile(join(shared, 'new', 'deeper', 'token'), 'x');
    expect(await modeOf(join(shared, 'new'))).toBe(0o700);
    expect(await modeOf(join(shared, 'new', 'deeper'))).toBe(0o700);
    expect(await modeOf(shared)).toBe(0o755);
  });

  it('makeSecretDir sets 0700 on a folder that existed with another mode', async () => {
    const own = join(dir, 'own');
    await mkdir(own, { mode: 0o755 });
    await chmod(own, 0o755);
    await makeSecretDir(own);
    expect(await modeOf(own)).toBe(0o700);
  });
});
