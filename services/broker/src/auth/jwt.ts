import { isValidLevelName } from '@mekong/contracts';
import { importSPKI, type JWTPayload, jwtVerify } from 'jose';
import * as z from 'zod';
import { BrokerError } from '../errors.js';
import type { Identity } from './identity.js';
import { roles } from './identity.js';

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
  /** An HMAC secret (HS256), or a PEM public key (`-----BEGIN PUBLIC KEY-----`, RS256/ES256/EdDSA). */
  key: string;
  /** Required `iss`, when set. */
  issuer?: string;
  /** Required `aud`, when set. */
  audience?: string;
}

export type JwtVerifier = (token: string) => Promise<
  | (Omit<Identity, 'publish' | 'subscribe'> & {
      publish?: string[];
      subscribe?: string[];
    })
  | undefined
>;

/** A token verifier; undefined from it means "not a valid token" (bad signature, expired, wrong claims). */
export async function createJwtVerifier(settings: JwtSettings): Promise<JwtVerifier> {
  const pem = settings.key.trim();
  const isPublicKey = pem.startsWith('-----BEGIN PUBLIC KEY-----');
  if (!isPublicKey && Buffer.byteLength(pem) < 32) {
    throw new BrokerError('MEKONG_BROKER_BAD_CONFIG', 'the JWT secret must be at least 32 bytes');
  }
  const algorithms = isPublicKey ? ['RS256', 'ES256', 'EdDSA'] : ['HS256'];
  const keys = isPublicKey ? await importPublicKeys(pem) : [new TextEncoder().encode(pem)];
  return async (token) => {
    for (const key of keys) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms,
          ...(settings.issuer ? { issuer: settings.issuer } : {}),
          ...(settings.audience ? { audience: settings.audience } : {}),
        });
        return identityFromPayload(payload);
      } catch {
        // next key, or not valid
      }
    }
    return undefined;
  };
}

async function importPublicKeys(pem: string) {
  const keys = [];
  for (const alg of ['RS256', 'ES256', 'EdDSA']) {
    try {
      keys.push(await importSPKI(pem, alg));
    } catch {
      // the key is not of this type
    }
  }
  if (keys.length === 0)
    throw new BrokerError('MEKONG_BROKER_BAD_CONFIG', 'the JWT public key could not be read');
  return keys;
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
