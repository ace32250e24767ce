import { isValidLevelName } from '@mekong/contracts';
import { type JWTPayload, jwtVerify } from 'jose';
import * as z from 'zod';
import type { Identity } from './identity.js';
import { roles } from './identity.js';
import { readJwtKey } from './jwt-key.js';

/**
 * The `mekong` claim of a token: the same rights a credentials-file entry carries. `sub` is the
 * username (and the client id prefix).
 */
const claimSchema = z.object({
  role: z.enum(roles),
  cell: z
    .string()
    .refine((path) => path.split('/').length === 5 && path.split('/').every(isValidLevelName))
    .optional(),
  labour: z.boolean().default(false),
  publish: z.array(z.string().min(1)).optional(),
  subscribe: z.array(z.string().min(1)).optional(),
});

export type MekongClaim = z.input<typeof claimSchema>;

export interface JwtSettings {
  /** An HMAC secret, or an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`): see `readJwtKey`. */
  key: string;
  /** Required `iss`, when set. */
  issuer?: string;
  /** Required `aud`, when set. */
  audience?: string;
  /** Accepted `alg` values, each checked against the key at start; empty or absent: all the key allows. */
  algorithms?: readonly string[];
  /** Longest accepted lifetime in seconds: `exp − iat`, and `exp − now`. Default 24 h. */
  maxLifetimeSeconds?: number;
}

export const DEFAULT_JWT_MAX_LIFETIME_S = 24 * 3600;
/** Clock difference tolerated between the token issuer and the broker, for the lifetime. */
const CLOCK_TOLERANCE_S = 30;

export type JwtVerifier = (token: string) => Promise<
  | (Omit<Identity, 'publish' | 'subscribe'> & {
      publish?: string[];
      subscribe?: string[];
    })
  | undefined
>;

/**
 * A token verifier; undefined from it means "not a valid token" (bad signature, an algorithm the key
 * does not allow, no `exp`, expired, too long-lived, wrong claims). A key the broker refuses throws
 * MEKONG_BROKER_BAD_CONFIG here, at start.
 */
export async function createJwtVerifier(settings: JwtSettings): Promise<JwtVerifier> {
  const { key, algorithms } = readJwtKey(settings.key, settings.algorithms);
  const maxLifetime = settings.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_S;
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms,
        requiredClaims: ['exp'],
        ...(settings.issuer ? { issuer: settings.issuer } : {}),
        ...(settings.audience ? { audience: settings.audience } : {}),
      });
      if (!withinLifetime(payload, maxLifetime, Date.now() / 1000)) return undefined;
      return identityFromPayload(payload);
    } catch {
      return undefined;
    }
  };
}

/**
 * `exp − iat` (how long the issuer made it valid) and `exp − now` (how long it stays valid, so a
 * future `iat` cannot stretch it) both within `maxLifetime`.
 */
function withinLifetime(payload: JWTPayload, maxLifetime: number, now: number): boolean {
  const exp = payload.exp;
  if (typeof exp !== 'number') return false;
  if (exp - now > maxLifetime + CLOCK_TOLERANCE_S) return false;
  return payload.iat === undefined || exp - payload.iat <= maxLifetime;
}

function identityFromPayload(payload: JWTPayload) {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) return undefined;
  const claim = claimSchema.safeParse((payload as { mekong?: unknown }).mekong);
  if (!claim.success) return undefined;
  if (claim.data.role === 'device' && !claim.data.cell) return undefined;
  return {
    username: payload.sub,
    role: claim.data.role,
    labour: claim.data.labour,
    source: 'jwt' as const,
    ...(claim.data.cell ? { cell: claim.data.cell } : {}),
    ...(claim.data.publish ? { publish: claim.data.publish } : {}),
    ...(claim.data.subscribe ? { subscribe: claim.data.subscribe } : {}),
  };
}

/** True when `password` has the shape of a compact JWT (three base64url parts, a JSON header). */
export function looksLikeJwt(password: string): boolean {
  return password.startsWith('eyJ') && password.split('.').length === 3;
}
