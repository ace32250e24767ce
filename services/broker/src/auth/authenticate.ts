import { createHash, randomBytes } from 'node:crypto';
import type { CredentialStore } from './credentials-file.js';
import type { Identity, ServiceDefaults } from './identity.js';
import { type JwtVerifier, looksLikeJwt } from './jwt.js';
import { verifyPassword } from './password-hash.js';

export type AuthResult =
  | { ok: true; identity: Identity }
  | { ok: false; reason: 'bad_credentials' | 'not_authorized'; username?: string };

export interface AuthenticatorSettings {
  credentials?: CredentialStore;
  jwt?: JwtVerifier;
  /** Development only: a client without username and password gets full rights. */
  allowAnonymous: boolean;
  serviceDefaults: ServiceDefaults;
}

export type Authenticator = (
  username: string | undefined,
  password: Buffer | undefined,
) => Promise<AuthResult>;

const CACHE_LIMIT = 10_000;

/**
 * Checks CONNECT credentials: a JWT in the password field, else username and password against the
 * credentials file. No credentials at all is `not_authorized` (CONNACK 0x87 / 5) unless anonymous
 * clients are allowed; wrong ones are `bad_credentials` (0x86 / 4).
 */
export function createAuthenticator(settings: AuthenticatorSettings): Authenticator {
  // scrypt costs tens of milliseconds by design; a reconnect storm of a thousand devices would queue
  // behind it. A verified password is remembered as a keyed digest, never in clear, until the file changes.
  const pepper = randomBytes(32);
  const verified = new Map<string, string>();
  let generation = -1;
  const digest = (username: string, password: string) =>
    createHash('sha256').update(pepper).update(username).update('\0').update(password).digest('hex');

  return async (username, passwordBytes) => {
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
    const entry = await settings.credentials.lookup(username);
    if (!entry) return { ok: false, reason: 'bad_credentials', username };
    if (generation !== settings.credentials.generation) {
      verified.clear();
      generation = settings.credentials.generation;
    }
    const key = digest(username, password);
    if (verified.get(username) !== key) {
      if (!(await verifyPassword(password, entry.hash)))
        return { ok: false, reason: 'bad_credentials', username };
      if (verified.size >= CACHE_LIMIT) verified.clear();
      verified.set(username, key);
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
