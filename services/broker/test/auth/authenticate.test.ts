import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthenticatorSettings, createAuthenticator } from '../../src/auth/authenticate.js';
import { CredentialStore, passwd } from '../../src/auth/credentials-file.js';
import { verifyPassword } from '../../src/auth/password-hash.js';

const GOOD = 'long-enough-1';
let dir: string;
let store: CredentialStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mekong-auth-'));
  const file = join(dir, 'users.json');
  await passwd(file, { username: 'admin', password: GOOD, role: 'admin' });
  await passwd(file, { username: 'svc', password: GOOD, role: 'service' });
  store = await CredentialStore.open(file, 60_000);
});
afterAll(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

/** An authenticator whose scrypt checks are counted (and the hashes they ran against kept). */
function counted(login: AuthenticatorSettings['login'] = {}) {
  const hashes: string[] = [];
  const authenticate = createAuthenticator({
    credentials: store,
    allowAnonymous: false,
    serviceDefaults: { publish: [], subscribe: [] },
    login,
    verify: (password, hash) => {
      hashes.push(hash);
      return verifyPassword(password, hash);
    },
  });
  const login_ = (username: string, password: string, remote = '10.0.0.1:1000') =>
    authenticate({ username, password: Buffer.from(password), remote });
  return { login: login_, hashes };
}

const params = (hash: string | undefined) => hash?.split('$').slice(0, 4).join('$');

describe('createAuthenticator', () => {
  it('checks an unknown username against an unmatchable hash of the same cost, like a wrong password', async () => {
    const { login, hashes } = counted();
    expect(await login('nobody', GOOD)).toEqual({ ok: false, reason: 'bad_credentials', username: 'nobody' });
    expect(hashes).toHaveLength(1);
    expect(await login('admin', 'wrong-password')).toMatchObject({ ok: false, reason: 'bad_credentials' });
    expect(hashes).toHaveLength(2);
    expect(params(hashes[0])).toBe(params(store.lookup('admin')?.hash));
    expect(hashes[0]).not.toBe(hashes[1]);
    expect(await login('admin', GOOD)).toMatchObject({ ok: true, identity: { username: 'admin' } });
  });

  it('refuses a username after its failures without running scrypt, while other users log in', async () => {
    const { login, hashes } = counted({ maxFailuresPerUser: 3, maxFailuresPerAddress: 100 });
    for (let i = 0; i < 3; i++) expect((await login('admin', `wrong-${i}`)).ok).toBe(false);
    expect(hashes).toHaveLength(3);
    expect(await login('admin', 'wrong-4')).toEqual({
      ok: false,
      reason: 'login_throttled',
      username: 'admin',
    });
    expect(await login('admin', GOOD)).toMatchObject({ ok: false, reason: 'login_throttled' });
    expect(hashes).toHaveLength(3);
    expect(await login('svc', GOOD)).toMatchObject({ ok: true });
  });

  it('refuses an address after failures of several usernames; other addresses log in', async () => {
    const { login, hashes } = counted({ maxFailuresPerUser: 100, maxFailuresPerAddress: 3 });
    for (const user of ['a', 'b', 'c']) await login(user, 'wrong-password', '10.0.0.7:1');
    expect(await login('svc', GOOD, '10.0.0.7:2')).toMatchObject({ ok: false, reason: 'login_throttled' });
    expect(hashes).toHaveLength(3);
    expect(await login('svc', GOOD, '10.0.0.8:2')).toMatchObject({ ok: true });
  });

  it('a success clears the username failures', async () => {
    const { login } = counted({ maxFailuresPerUser: 3 });
    await login('admin', 'wrong-1');
    await login('admin', 'wrong-2');
    expect((await login('admin', GOOD)).ok).toBe(true);
    await login('admin', 'wrong-3');
    await login('admin', 'wrong-4');
    expect(await login('admin', 'wrong-5')).toMatchObject({ reason: 'bad_credentials' });
  });

  it('a concurrent burst of wrong passwords runs scrypt only up to the limit', async () => {
    const { login, hashes } = counted({ maxFailuresPerUser: 5, maxFailuresPerAddress: 1_000 });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => login('admin', `wrong-${i}`)));
    expect(hashes).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === 'login_throttled')).toHaveLength(55);
  });

  it('concurrent logins with the same password run scrypt once', async () => {
    const { login, hashes } = counted({ maxFailuresPerUser: 2 });
    const results = await Promise.all(Array.from({ length: 20 }, () => login('svc', GOOD)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(hashes).toHaveLength(1);
  });

  it('runs at most `passwordChecks` scrypt checks, queues `passwordCheckQueue`, refuses beyond (server busy)', async () => {
    let running = 0;
    let most = 0;
    const authenticate = createAuthenticator({
      credentials: store,
      allowAnonymous: false,
      serviceDefaults: { publish: [], subscribe: [] },
      login: { passwordChecks: 2, passwordCheckQueue: 3, maxFailuresPerUser: 0, maxFailuresPerAddress: 0 },
      verify: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        return false;
      },
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        authenticate({ username: 'admin', password: Buffer.from(`wrong-${i}`), remote: '10.0.0.1:1' }),
      ),
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      ...Array(5).fill('bad_credentials'),
      ...Array(3).fill('auth_busy'),
    ]);
    expect(most).toBe(2);
  });
});
