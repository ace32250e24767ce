import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformCredentials } from '../../src/platform/platform-credentials.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-platform-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('mekong start secrets', () => {
  it('keep a bridge password that existed 0644, now 0600, with the credentials file 0600 in a 0700 folder', async () => {
    const platform = join(dir, 'platform');
    await mkdir(platform, { mode: 0o755 });
    await chmod(platform, 0o755);
    const passwordFile = join(platform, 'mekong-bridge.password');
    await writeFile(passwordFile, 'a-password-from-before\n', { mode: 0o644 });
    await chmod(passwordFile, 0o644);
    const secrets = await platformCredentials(platform);
    expect(secrets.bridgePassword).toBe('a-password-from-before');
    expect(await modeOf(passwordFile)).toBe(0o600);
    expect(await modeOf(secrets.credentialsFile)).toBe(0o600);
    expect(await modeOf(platform)).toBe(0o700);
  });
});
