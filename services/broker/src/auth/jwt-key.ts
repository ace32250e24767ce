import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JWSAlgorithm } from 'jose';
import { BrokerError } from '../errors.js';

/**
 * What a JWT key is decides which algorithms may verify with it, never the token's header: a public
 * key used as an HMAC secret would let anyone who has it sign tokens (RFC 8725 §2.1, "key confusion").
 */
export type JwtKeyKind = 'hmac' | 'rsa' | 'ec-p256' | 'ec-p384' | 'ec-p521' | 'ed25519';

export const algorithmsOf: Record<JwtKeyKind, readonly JWSAlgorithm[]> = {
  hmac: ['HS256', 'HS384', 'HS512'],
  rsa: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  'ec-p256': ['ES256'],
  'ec-p384': ['ES384'],
  'ec-p521': ['ES512'],
  ed25519: ['EdDSA', 'Ed25519'],
};

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
const HMAC_MIN_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };
const RSA_MIN_BITS = 2048;

export interface JwtKey {
  kind: JwtKeyKind;
  key: KeyObject | Uint8Array;
  algorithms: JWSAlgorithm[];
}

const bad = (message: string) => new BrokerError('MEKONG_BROKER_BAD_CONFIG', message);
const SPKI_HELP =
  'give the public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----", e.g. `openssl pkey -pubin -in key.pem -pubout`), or an HMAC secret of at least 32 bytes';

/**
 * Reads the JWT key: an SPKI PEM public key (RSA ≥ 2048 bits, EC P-256/P-384/P-521, Ed25519) or an
 * HMAC secret. Any other PEM form, a JWK or an OpenSSH key is refused naming what was given, because
 * taken as an HMAC secret it would be public. `wanted` (MEKONG_BROKER_JWT_ALGORITHMS) narrows the
 * algorithms; one the key cannot verify is refused.
 */
export function readJwtKey(material: string, wanted: readonly string[] = []): JwtKey {
  const text = material.trim();
  const { kind, key } = text.includes('-----BEGIN') ? publicKeyOf(text) : secretOf(text);
  const possible = algorithmsOf[kind].filter(
    (alg) => kind !== 'hmac' || (key as Uint8Array).length >= (HMAC_MIN_BYTES[alg] ?? 0),
  );
  if (wanted.length === 0) return { kind, key, algorithms: [...possible] };
  for (const alg of wanted) {
    if (!possible.includes(alg as JWSAlgorithm)) {
      const why =
        kind === 'hmac' && algorithmsOf.hmac.includes(alg as JWSAlgorithm)
          ? `the secret is shorter than the ${HMAC_MIN_BYTES[alg]} bytes ${alg} needs`
          : `a${kind === 'hmac' ? 'n HMAC secret' : ` ${kind} key`} verifies only ${possible.join(', ')}`;
      throw bad(`MEKONG_BROKER_JWT_ALGORITHMS: ${alg} cannot be used with this JWT key: ${why}`);
    }
  }
  return { kind, key, algorithms: [...new Set(wanted as JWSAlgorithm[])] };
}

function publicKeyOf(pem: string): { kind: JwtKeyKind; key: KeyObject } {
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((match) => match[1] ?? '');
  const label = labels[0] ?? '';
  if (!pem.startsWith('-----BEGIN') || labels.length !== 1 || label !== 'PUBLIC KEY') {
    throw bad(
      `the JWT key is ${describePem(label, labels.length, pem)}, which the broker refuses: ${SPKI_HELP}`,
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new BrokerError('MEKONG_BROKER_BAD_CONFIG', `the JWT public key could not be read: ${SPKI_HELP}`, {
      cause,
    });
  }
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    if ((details.modulusLength ?? 0) < RSA_MIN_BITS) {
      throw bad(`the JWT RSA key has ${details.modulusLength} bits; give one of at least ${RSA_MIN_BITS}`);
    }
    return { kind: 'rsa', key };
  }
  if (type === 'ec') {
    const kinds: Record<string, JwtKeyKind> = {
      prime256v1: 'ec-p256',
      secp384r1: 'ec-p384',
      secp521r1: 'ec-p521',
    };
    const kind = kinds[details.namedCurve ?? ''];
    if (kind) return { kind, key };
    throw bad(
      `the JWT EC key is on curve ${details.namedCurve}; give a P-256, P-384 or P-521 key (ES256/ES384/ES512)`,
    );
  }
  if (type === 'ed25519') return { kind: 'ed25519', key };
  throw bad(`the JWT public key is of type ${type}; give an RSA, EC (P-256/P-384/P-521) or Ed25519 key`);
}

function describePem(label: string, blocks: number, pem: string): string {
  if (blocks > 1) return `${blocks} PEM blocks (${label} first)`;
  if (!pem.startsWith('-----BEGIN')) return 'text with a PEM block inside';
  if (label === 'RSA PUBLIC KEY')
    return 'a PKCS#1 RSA public key ("-----BEGIN RSA PUBLIC KEY-----"; convert it with `openssl rsa -RSAPublicKey_in -in key.pem -pubout`)';
  if (label === 'CERTIFICATE')
    return 'a certificate ("-----BEGIN CERTIFICATE-----"; take its key with `openssl x509 -in cert.pem -pubkey -noout`)';
  if (label.includes('PRIVATE KEY'))
    return `a private key ("-----BEGIN ${label}-----"; the broker needs only the public key: \`openssl pkey -in key.pem -pubout\`)`;
  return `a "-----BEGIN ${label}-----" PEM block`;
}

function secretOf(secret: string): { kind: 'hmac'; key: Uint8Array } {
  // Public key material in another form, taken as a secret, would be known to anyone.
  if (/^ssh-|^ecdsa-sha2-/.test(secret)) {
    throw bad(`the JWT key is an OpenSSH public key, which the broker refuses: ${SPKI_HELP}`);
  }
  if (secret.startsWith('{') && secret.includes('"kty"')) {
    throw bad(`the JWT key is a JSON Web Key, which the broker refuses: ${SPKI_HELP}`);
  }
  const key = new TextEncoder().encode(secret);
  if (key.length < 32) throw bad('the JWT secret must be at least 32 bytes');
  return { kind: 'hmac', key };
}
