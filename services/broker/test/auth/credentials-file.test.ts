import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { CredentialStore, passwd } from '../../src/auth/credentials-file.js';
import { verifyPassword } from '../../src/auth/password-hash.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-cred-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('passwd and the credentials file', () => {
  it('stores an scrypt hash, never the password, in a 0600 file', async () => {
    const file = join(dir, 'a.json');
    await passwd(file, {
      username: 'press-1',
      password: 'long-enough-1',
      role: 'device',
      cell: 'acme/hcm/assembly/line-1/press-1',
    });
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('long-enough-1');
    const hash = JSON.parse(text).users['press-1'].hash as string;
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('long-enough-1', hash)).toBe(true);
    expect(await verifyPassword('long-enough-2', hash)).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a device without a valid cell and a short password, naming the problem', async () => {
    const file = join(dir, 'b.json');
    await expect(passwd(file, { username: 'd', password: 'long-enough-1', role: 'device' })).rejects.toThrow(
      /cell/,
    );
    await expect(
      passwd(file, { username: 'd', password: 'long-enough-1', role: 'device', cell: 'Acme/x' }),
    ).rejects.toThrow(/cell path/);
    await expect(passwd(file, { username: 'd', password: 'short', role: 'admin' })).rejects.toThrow(
      /8 characters/,
    );
  });

  it('is read again after passwd adds a device, without a restart', async () => {
    const file = join(dir, 'c.json');
    await passwd(file, { username: 'admin', password: 'long-enough-1', role: 'admin' });
    const store = await CredentialStore.open(file);
    const authenticate = createAuthenticator({
      credentials: store,
      allowAnonymous: false,
      serviceDefaults: { publish: [], subscribe: [] },
    });
    expect(await authenticate('press-9', Buffer.from('long-enough-9'))).toMatchObject({
      ok: false,
      reason: 'bad_credentials',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await passwd(file, { username: 'press-9', password: 'long-enough-9', role: 'device', cell: 'a/b/c/d/e' });
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const result = await authenticate('press-9', Buffer.from('long-enough-9'));
    expect(result).toMatchObject({
      ok: true,
      identity: { username: 'press-9', role: 'device', cell: 'a/b/c/d/e' },
    });
    expect(await authenticate(undefined, undefined)).toEqual({ ok: false, reason: 'not_authorized' });
  });
});
