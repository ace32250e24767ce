import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type JWTPayload, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../src/auth/jwt.js';
import { readJwtKey } from '../../src/auth/jwt-key.js';
import { brokerConfigFromEnv } from '../../src/config.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
const RSA_SPKI = spki(rsa.publicKey);
const RSA_PKCS1 = rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const claims = { mekong: { role: 'admin' } };
const hour = 3600;
const now = () => Math.floor(Date.now() / 1000);

function token(
  alg: string,
  key: KeyObject | Uint8Array | string,
  payload: JWTPayload = { exp: now() + hour, iat: now() },
) {
  const signingKey = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return new SignJWT({ ...claims, ...payload })
    .setProtectedHeader({ alg })
    .setSubject('ops')
    .sign(signingKey);
}

describe('the JWT key decides the algorithms', () => {
  it('an RSA SPKI key allows RS*/PS*, EC P-256 ES256, Ed25519 EdDSA, a secret HMAC by its length', () => {
    expect(readJwtKey(RSA_SPKI)).toMatchObject({
      kind: 'rsa',
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
    });
    expect(readJwtKey(spki(ec.publicKey))).toMatchObject({ kind: 'ec-p256', algorithms: ['ES256'] });
    expect(readJwtKey(spki(ed.publicKey))).toMatchObject({
      kind: 'ed25519',
      algorithms: ['EdDSA', 'Ed25519'],
    });
    expect(readJwtKey('x'.repeat(32))).toMatchObject({ kind: 'hmac', algorithms: ['HS256'] });
    expect(readJwtKey('x'.repeat(64)).algorithms).toEqual(['HS256', 'HS384', 'HS512']);
  });

  it('refuses at start every PEM form but SPKI public keys, naming it and what to give instead', async () => {
    await expect(createJwtVerifier({ key: RSA_PKCS1 })).rejects.toThrow(
      /PKCS#1 RSA public key.*openssl rsa -RSAPublicKey_in.*BEGIN PUBLIC KEY/,
    );
    const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => readJwtKey(pkcs8)).toThrow(/private key \("-----BEGIN PRIVATE KEY-----".*-pubout/);
    const sec1 = ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(() => readJwtKey(sec1)).toThrow(/private key \("-----BEGIN EC PRIVATE KEY-----"/);
    expect(() => readJwtKey('-----BEGIN FOO-----\nAAAA\n-----END FOO-----')).toThrow(/"-----BEGIN FOO-----"/);
    expect(() => readJwtKey(`${RSA_SPKI}\n${RSA_SPKI}`)).toThrow(/2 PEM blocks/);
    expect(() => readJwtKey(`junk before\n${RSA_SPKI}`)).toThrow(/text with a PEM block inside/);
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => readJwtKey(spki(weak))).toThrow(/1024 bits/);
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey;
    expect(() => readJwtKey(spki(k1))).toThrow(/curve secp256k1/);
    expect(() => readJwtKey('short')).toThrow(/at least 32 bytes/);
  });

  it('refuses a certificate, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mekong-jwt-'));
    try {
      const certFile = join(dir, 'c.pem');
      await promisify(execFile)('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'c.key'),
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=test',
      ]);
      const pem = await readFile(certFile, 'utf8');
      expect(() => readJwtKey(pem)).toThrow(/a certificate.*openssl x509/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses public key material that would otherwise become a public HMAC secret (JWK, OpenSSH)', () => {
    const jwk = JSON.stringify(rsa.publicKey.export({ format: 'jwk' }));
    expect(() => readJwtKey(jwk)).toThrow(/JSON Web Key/);
    expect(() => readJwtKey(`ssh-ed25519 ${'A'.repeat(68)} me@host`)).toThrow(/OpenSSH/);
  });

  it('MEKONG_BROKER_JWT_ALGORITHMS narrows the algorithms and is checked against the key', () => {
    expect(readJwtKey(RSA_SPKI, ['RS256']).algorithms).toEqual(['RS256']);
    expect(() => readJwtKey(RSA_SPKI, ['HS256'])).toThrow(
      /MEKONG_BROKER_JWT_ALGORITHMS: HS256 cannot be used.*rsa key verifies only RS256/,
    );
    expect(() => readJwtKey(RSA_SPKI, ['ES256'])).toThrow(/ES256 cannot be used/);
    expect(() => readJwtKey(SECRET, ['RS256'])).toThrow(/an HMAC secret verifies only HS256/);
    expect(() => readJwtKey(SECRET, ['HS512'])).toThrow(/shorter than the 64 bytes HS512 needs/);
    expect(() => readJwtKey(SECRET, ['none'])).toThrow(/none cannot be used/);
  });
});

describe('token verification', () => {
  it('an HS256 token signed with the public PEM text is refused when the key is that RSA SPKI key', async () => {
    const verify = await createJwtVerifier({ key: RSA_SPKI });
    expect(await verify(await token('RS256', rsa.privateKey))).toMatchObject({
      username: 'ops',
      role: 'admin',
    });
    expect(await verify(await token('PS256', rsa.privateKey))).toMatchObject({ username: 'ops' });
    expect(await verify(await token('HS256', RSA_SPKI))).toBeUndefined();
    expect(await verify(await token('HS256', RSA_SPKI.trim()))).toBeUndefined();
  });

  it('verifies EC and Ed25519 tokens with their keys only', async () => {
    const verifyEc = await createJwtVerifier({ key: spki(ec.publicKey) });
    expect(await verifyEc(await token('ES256', ec.privateKey))).toMatchObject({ username: 'ops' });
    expect(await verifyEc(await token('HS256', spki(ec.publicKey)))).toBeUndefined();
    const verifyEd = await createJwtVerifier({ key: spki(ed.publicKey) });
    expect(await verifyEd(await token('EdDSA', ed.privateKey))).toMatchObject({ username: 'ops' });
  });

  it('an explicit algorithm list refuses the other algorithms of the key', async () => {
    const verify = await createJwtVerifier({ key: RSA_SPKI, algorithms: ['RS256'] });
    expect(await verify(await token('RS256', rsa.privateKey))).toMatchObject({ username: 'ops' });
    expect(await verify(await token('PS256', rsa.privateKey))).toBeUndefined();
  });

  it('refuses a token without exp', async () => {
    const verify = await createJwtVerifier({ key: SECRET });
    expect(await verify(await token('HS256', SECRET, { iat: now() }))).toBeUndefined();
    expect(await verify(await token('HS256', SECRET, { iat: now(), exp: now() + 60 }))).toBeDefined();
  });

  it('refuses a lifetime beyond the maximum: exp − iat, exp − now without iat, and a future iat', async () => {
    const verify = await createJwtVerifier({ key: SECRET });
    const t = now();
    expect(await verify(await token('HS256', SECRET, { iat: t, exp: t + 23 * hour }))).toBeDefined();
    expect(await verify(await token('HS256', SECRET, { iat: t, exp: t + 25 * hour }))).toBeUndefined();
    expect(
      await verify(await token('HS256', SECRET, { iat: t - 2 * hour, exp: t + 23 * hour })),
    ).toBeUndefined();
    expect(await verify(await token('HS256', SECRET, { exp: t + 23 * hour }))).toBeDefined();
    expect(await verify(await token('HS256', SECRET, { exp: t + 25 * hour }))).toBeUndefined();
    expect(await verify(await token('HS256', SECRET, { exp: t + 1000 * 365 * 24 * hour }))).toBeUndefined();
    const future = t + 100 * 24 * hour;
    expect(await verify(await token('HS256', SECRET, { iat: future, exp: future + hour }))).toBeUndefined();
    const short = await createJwtVerifier({ key: SECRET, maxLifetimeSeconds: 600 });
    expect(await short(await token('HS256', SECRET, { iat: t, exp: t + 500 }))).toBeDefined();
    expect(await short(await token('HS256', SECRET, { iat: t, exp: t + 700 }))).toBeUndefined();
  });
});

describe('JWT settings', () => {
  it('reads MEKONG_BROKER_JWT_ALGORITHMS and MEKONG_BROKER_JWT_MAX_LIFETIME (default 24 h)', async () => {
    const base = { MEKONG_BROKER_JWT_KEY: SECRET };
    expect((await brokerConfigFromEnv(base)).auth.jwt).toMatchObject({
      algorithms: [],
      maxLifetimeSeconds: 86_400,
    });
    const set = await brokerConfigFromEnv({
      ...base,
      MEKONG_BROKER_JWT_ALGORITHMS: 'HS256, HS384',
      MEKONG_BROKER_JWT_MAX_LIFETIME: '30m',
    });
    expect(set.auth.jwt).toMatchObject({ algorithms: ['HS256', 'HS384'], maxLifetimeSeconds: 1800 });
    expect(
      (await brokerConfigFromEnv({ ...base, MEKONG_BROKER_JWT_MAX_LIFETIME: '7d' })).auth.jwt
        ?.maxLifetimeSeconds,
    ).toBe(7 * 86_400);
    expect(
      (await brokerConfigFromEnv({ ...base, MEKONG_BROKER_JWT_MAX_LIFETIME: '90' })).auth.jwt
        ?.maxLifetimeSeconds,
    ).toBe(90);
    await expect(brokerConfigFromEnv({ ...base, MEKONG_BROKER_JWT_MAX_LIFETIME: 'forever' })).rejects.toThrow(
      /MEKONG_BROKER_JWT_MAX_LIFETIME/,
    );
    await expect(brokerConfigFromEnv({ ...base, MEKONG_BROKER_JWT_MAX_LIFETIME: '0h' })).rejects.toThrow(
      /more than 0 seconds/,
    );
  });
});
