import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const cliEntry = join(import.meta.dirname, '../../src/main.ts');
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-passwd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const passwdCli = (file: string, username: string) =>
  execFileAsync(
    process.execPath,
    ['--import', 'tsx', cliEntry, 'broker', 'passwd', file, username, '--role', 'admin'],
    {
      env: { ...process.env, MEKONG_BROKER_PASSWORD: 'long-enough-password' },
      timeout: 30_000,
    },
  );

describe('mekong broker passwd', () => {
  it('leaves a credentials file 0600 that existed 0644', async () => {
    const file = join(dir, 'credentials.json');
    await writeFile(file, '{"version":1,"users":{}}\n', { mode: 0o644 });
    await chmod(file, 0o644);
    await passwdCli(file, 'ops');
    expect(await modeOf(file)).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).users.ops.role).toBe('admin');
  }, 60_000);

  it('creates a missing folder 0700 for a new credentials file 0600', async () => {
    const file = join(dir, 'secrets', 'credentials.json');
    await passwdCli(file, 'ops');
    expect(await modeOf(join(dir, 'secrets'))).toBe(0o700);
    expect(await modeOf(file)).toBe(0o600);
  }, 60_000);

  it('reads the password from the file MEKONG_BROKER_PASSWORD_FILE names, never from a flag', async () => {
    const file = join(dir, 'from-file.json');
    const secret = join(dir, 'ops.password');
    await writeFile(secret, 'a-password-from-a-file\n', { mode: 0o600 });
    await execFileAsync(
      process.execPath,
      ['--import', 'tsx', cliEntry, 'broker', 'passwd', file, 'ops', '--role', 'admin'],
      {
        env: { ...process.env, MEKONG_BROKER_PASSWORD: '', MEKONG_BROKER_PASSWORD_FILE: secret },
        timeout: 30_000,
      },
    );
    const { verifyPassword } = await import('@mekong/broker');
    const hash = JSON.parse(await readFile(file, 'utf8')).users.ops.hash as string;
    expect(await verifyPassword('a-password-from-a-file', hash)).toBe(true);
    expect(await verifyPassword('a-password-from-a-file\n', hash)).toBe(false);
  }, 60_000);
});
