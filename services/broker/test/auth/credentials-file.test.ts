import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { CredentialStore, passwd } from '../../src/auth/credentials-file.js';
import { verifyPassword } from '../../src/auth/password-hash.js';

const remote = '127.0.0.1:50000';
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
    const store = await CredentialStore.open(file, 50);
    const authenticate = createAuthenticator({
      credentials: store,
      allowAnonymous: false,
      serviceDefaults: { publish: [], subscribe: [] },
    });
    expect(
      await authenticate({ username: 'press-9', password: Buffer.from('long-enough-9'), remote }),
    ).toMatchObject({
      ok: false,
      reason: 'bad_credentials',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await passwd(file, { username: 'press-9', password: 'long-enough-9', role: 'device', cell: 'a/b/c/d/e' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const result = await authenticate({
      username: 'press-9',
      password: Buffer.from('long-enough-9'),
      remote,
    });
    expect(result).toMatchObject({
      ok: true,
      identity: { username: 'press-9', role: 'device', cell: 'a/b/c/d/e' },
    });
    store.close();
    expect(await authenticate({ username: undefined, password: undefined, remote })).toEqual({
      ok: false,
      reason: 'not_authorized',
    });
  });

  it('answers lookups from memory; a changed file is read again by check() (its timer), never by a lookup', async () => {
    const file = join(dir, 'd.json');
    await passwd(file, { username: 'admin', password: 'long-enough-1', role: 'admin' });
    const store = await CredentialStore.open(file, 60_000);
    try {
      const found = store.lookup('admin');
      expect(found).not.toBeInstanceOf(Promise);
      expect(found).toMatchObject({ role: 'admin' });
      await passwd(file, { username: 'svc', password: 'long-enough-2', role: 'service' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(store.lookup('svc')).toBeUndefined();
      const generation = store.generation;
      await store.check();
      expect(store.lookup('svc')).toMatchObject({ role: 'service' });
      expect(store.generation).toBe(generation + 1);
      await store.check();
      expect(store.generation).toBe(generation + 1);
    } finally {
      store.close();
    }
  });
});
