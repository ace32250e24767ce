import { createHash, randomBytes } from 'node:crypto';
import { CheckLimiter } from './check-limiter.js';
import type { CredentialEntry, CredentialStore } from './credentials-file.js';
import type { Identity, ServiceDefaults } from './identity.js';
import { type JwtVerifier, looksLikeJwt } from './jwt.js';
import { defaultLoginThrottle, LoginThrottle, type LoginThrottleSettings } from './login-throttle.js';
import { unmatchableHash, verifyPassword } from './password-hash.js';

export type AuthResult =
  | { ok: true; identity: Identity }
  | {
      ok: false;
      reason: 'bad_credentials' | 'not_authorized' | 'login_throttled' | 'auth_busy';
      username?: string;
    };

export interface LoginLimits extends LoginThrottleSettings {
  /** Password checks (scrypt) running at once. */
  passwordChecks: number;
  /** Password checks waiting for a turn before further logins are refused as server unavailable. */
  passwordCheckQueue: number;
}

export const defaultLoginLimits: LoginLimits = {
  ...defaultLoginThrottle,
  passwordChecks: 2,
  passwordCheckQueue: 100,
};

export interface AuthenticatorSettings {
  credentials?: CredentialStore;
  jwt?: JwtVerifier;
  /** Development only: a client without username and password gets full rights. */
  allowAnonymous: boolean;
  serviceDefaults: ServiceDefaults;
  login?: Partial<LoginLimits>;
  /** The scrypt check; tests replace it to count calls. */
  verify?: (password: string, hash: string) => Promise<boolean>;
}

export interface AuthRequest {
  username: string | undefined;
  password: Buffer | undefined;
  /** The client's address as `remoteOf` writes it (`1.2.3.4:5`, `[::1]:5`). */
  remote: string;
}

export type Authenticator = (request: AuthRequest) => Promise<AuthResult>;

const CACHE_LIMIT = 10_000;

/**
 * Checks CONNECT credentials: a JWT in the password field, else username and password against the
 * credentials file. No credentials at all is `not_authorized` (CONNACK 0x87 / 5) unless anonymous
 * clients are allowed; wrong ones are `bad_credentials` (0x86 / 4).
 *
 * Password checks are guarded: a username or address with too many recent failures is refused
 * (`login_throttled`) without running scrypt; at most `passwordChecks` run at once and
 * `passwordCheckQueue` wait, beyond which logins are refused (`auth_busy`); an unknown username is
 * checked against an unmatchable hash so it answers as slowly as a wrong password.
 */
export function createAuthenticator(settings: AuthenticatorSettings): Authenticator {
  const limits = { ...defaultLoginLimits, ...settings.login };
  const throttle = new LoginThrottle(limits);
  const limiter = new CheckLimiter(limits.passwordChecks, limits.passwordCheckQueue);
  const verify = settings.verify ?? verifyPassword;
  const unknownUserHash = unmatchableHash();
  // scrypt costs tens of milliseconds by design; a reconnect storm of a thousand devices would queue
  // behind it. A verified password is remembered as a keyed digest, never in clear, until the file changes.
  const pepper = randomBytes(32);
  const verified = new Map<string, string>();
  // Identical checks under way (a service opening many connections at once) run scrypt once.
  const running = new Map<string, Promise<boolean>>();
  let generation = -1;
  const digest = (username: string, password: string) =>
    createHash('sha256').update(pepper).update(username).update('\0').update(password).digest('hex');

  const passwordCheck = (
    username: string,
    password: string,
    entry: CredentialEntry | undefined,
    key: string,
    remote: string,
  ): Promise<boolean> | 'login_throttled' | 'auth_busy' => {
    const same = running.get(key);
    if (same) return same;
    const attempt = throttle.begin(username, remote);
    if (!attempt) return 'login_throttled';
    const check = limiter.run(() => verify(password, entry?.hash ?? unknownUserHash));
    if (!check) {
      attempt.abandoned();
      return 'auth_busy';
    }
    const outcome = check
      .then((matched) => {
        const ok = matched && entry !== undefined;
        if (ok) {
          attempt.succeeded();
          if (verified.size >= CACHE_LIMIT) verified.clear();
          verified.set(username, key);
        } else attempt.failed();
        return ok;
      })
      .catch((error: unknown) => {
        attempt.failed();
        throw error;
      })
      .finally(() => running.delete(key));
    running.set(key, outcome);
    return outcome;
  };

  return async ({ username, password: passwordBytes, remote }) => {
    const password = passwordBytes?.toString('utf8');
    if (password !== undefined && settings.jwt && looksLikeJwt(password)) {
      const claims = await settings.jwt(password);
      if (!claims || (username && username !== claims.username)) {
        return { ok: false, reason: 'bad_credentials', ...(username ? { username } : {}) };
      }
      return { ok: true, identity: withDefaults(claims, settings.serviceDefaults) };
    }
    if (!username && password === undefined) {
      if (settings.allowAnonymous) {
        return {
          ok: true,
          identity: {
            username: 'anonymous',
            role: 'anonymous',
            labour: true,
            publish: [],
            subscribe: [],
            source: 'anonymous',
          },
        };
      }
      return { ok: false, reason: 'not_authorized' };
    }
    if (!username || password === undefined || !settings.credentials) {
      return { ok: false, reason: 'bad_credentials', ...(username ? { username } : {}) };
    }
    const entry = settings.credentials.lookup(username);
    if (generation !== settings.credentials.generation) {
      verified.clear();
      generation = settings.credentials.generation;
    }
    const key = digest(username, password);
    if (!entry || verified.get(username) !== key) {
      const check = passwordCheck(username, password, entry, key, remote);
      if (typeof check === 'string') return { ok: false, reason: check, username };
      if (!(await check) || !entry) return { ok: false, reason: 'bad_credentials', username };
    }
    return {
      ok: true,
      identity: withDefaults(
        {
          username,
          role: entry.role,
          labour: entry.labour,
          source: 'credentials',
          ...(entry.cell ? { cell: entry.cell } : {}),
          ...(entry.publish ? { publish: entry.publish } : {}),
          ...(entry.subscribe ? { subscribe: entry.subscribe } : {}),
        },
        settings.serviceDefaults,
      ),
    };
  };
}

function withDefaults(
  identity: Omit<Identity, 'publish' | 'subscribe'> & {
    publish?: readonly string[];
    subscribe?: readonly string[];
  },
  defaults: ServiceDefaults,
): Identity {
  const service = identity.role === 'service';
  return {
    ...identity,
    publish: identity.publish ?? (service ? defaults.publish : []),
    subscribe: identity.subscribe ?? (service ? defaults.subscribe : []),
  };
}
