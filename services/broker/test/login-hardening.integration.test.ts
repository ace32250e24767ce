import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cacheRoot, consoleProgress, ensureDebianPackages } from '@mekong/devstack';
import { type JWTPayload, SignJWT } from 'jose';
import mqtt, { type IClientOptions } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELL_1, PASSWORD, refusalsOf, startTestBroker, type TestBroker } from './helpers/broker-fixture.js';

const MAX_FAILURES = 5;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_SPKI = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
let t: TestBroker;

beforeAll(async () => {
  await ensureDebianPackages({ cacheRoot: cacheRoot(), progress: consoleProgress }, ['mosquitto-clients']);
  t = await startTestBroker((config) => {
    config.auth.login = { maxFailuresPerUser: MAX_FAILURES, maxFailuresPerAddress: 1_000 };
    config.auth.jwt = { key: RSA_SPKI, maxLifetimeSeconds: 3600 };
  });
});

afterAll(async () => {
  await t?.stop();
});

interface Run {
  code: number;
  output: string;
  ms: number;
}

/** mosquitto_pub (MQTT 3.1.1) publishing one message as `user`, its socket bound to `from`. */
function mosquittoPub(user: string, password: string, from: string, clientId: string): Promise<Run> {
  const started = Date.now();
  const args = ['-h', '127.0.0.1', '-A', from, '-p', String(t.broker.ports.tcp), '-V', 'mqttv311'];
  args.push('-i', clientId, '-u', user, '-P', password, '-t', 'mekong/v1/x', '-m', 'x');
  return new Promise((resolve) => {
    execFile('mosquitto_pub', args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`, ms: Date.now() - started });
    });
  });
}

/** The CONNACK reason code an MQTT 5 client gets, 0 when connected. */
async function connackV5(options: IClientOptions): Promise<number> {
  try {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...options,
    });
    await client.endAsync();
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('failed-login throttling with real clients', () => {
  it('a burst of wrong passwords for one user (mosquitto_pub, 3.1.1) runs scrypt only for the first few; another user logs in', async () => {
    const burst = 40;
    const wrong = Array.from({ length: burst }, (_, i) =>
      mosquittoPub('press-2', `wrong-password-${i}`, '127.0.0.2', `press-2-${i}`),
    );
    const legitimate = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return mosquittoPub('admin', PASSWORD, '127.0.0.1', 'admin');
    })();
    const refused = await Promise.all(wrong);
    const admin = await legitimate;
    expect(admin).toMatchObject({ code: 0 });
    for (const run of refused) {
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/bad user name or password/i);
    }
    // Each bad_credentials refusal cost one scrypt check; the throttled ones none.
    expect(await refusalsOf(t.broker, 'bad_credentials')).toBe(MAX_FAILURES);
    expect(await refusalsOf(t.broker, 'login_throttled')).toBe(burst - MAX_FAILURES);
    // The right password of the throttled user is refused too, from any address, without a check.
    expect((await mosquittoPub('press-2', PASSWORD, '127.0.0.1', 'press-2')).code).not.toBe(0);
    expect(await refusalsOf(t.broker, 'login_throttled')).toBe(burst - MAX_FAILURES + 1);
    console.info(`legitimate login during the burst: ${admin.ms} ms`);
  });

  it('MQTT 5 clients of a throttled user get 0x86; others connect', async () => {
    const before = await refusalsOf(t.broker, 'login_throttled');
    expect(await connackV5({ clientId: 'press-2-v5', username: 'press-2', password: PASSWORD })).toBe(0x86);
    expect(await refusalsOf(t.broker, 'login_throttled')).toBe(before + 1);
    expect(await connackV5({ clientId: 'press-1', username: 'press-1', password: PASSWORD })).toBe(0);
  });
});

describe('per-address throttling', () => {
  it('refuses an address after failures of several users (mosquitto_pub), other addresses log in', async () => {
    const strict = await startTestBroker((config) => {
      config.auth.login = { maxFailuresPerUser: 0, maxFailuresPerAddress: 3 };
    });
    const pub = (user: string, password: string, from: string) => {
      const port = String(strict.broker.ports.tcp);
      return new Promise<number>((resolve) => {
        const args = ['-h', '127.0.0.1', '-A', from, '-p', port, '-i', user, '-u', user, '-P', password];
        execFile('mosquitto_pub', [...args, '-t', 'mekong/v1/x', '-m', 'x'], { timeout: 30_000 }, (error) =>
          resolve(error ? Number((error as { code?: number }).code ?? 1) : 0),
        );
      });
    };
    try {
      for (const user of ['press-1', 'press-2', 'bridge'])
        expect(await pub(user, 'wrong-password', '127.0.0.3')).not.toBe(0);
      expect(await refusalsOf(strict.broker, 'bad_credentials')).toBe(3);
      expect(await pub('admin', PASSWORD, '127.0.0.3')).not.toBe(0);
      expect(await refusalsOf(strict.broker, 'login_throttled')).toBe(1);
      expect(await pub('admin', PASSWORD, '127.0.0.1')).toBe(0);
    } finally {
      await strict.stop();
    }
  });
});

describe('a busy password check queue', () => {
  it('refuses logins beyond the checks running and queued with 0x88 (MQTT 5) / 3 (3.1.1)', async () => {
    const busy = await startTestBroker((config) => {
      config.auth.login = { passwordChecks: 1, passwordCheckQueue: 0, maxFailuresPerUser: 0 };
    });
    try {
      const attempt = (i: number, protocolVersion: 4 | 5) =>
        mqtt
          .connectAsync(`mqtt://127.0.0.1:${busy.broker.ports.tcp}`, {
            protocolVersion,
            reconnectPeriod: 0,
            clientId: `press-1-${i}`,
            username: 'press-1',
            password: `wrong-password-${i}`,
          })
          .then(
            (client) => client.endAsync().then(() => 0),
            (error: { code?: number }) => error.code ?? -1,
          );
      const codes = await Promise.all(Array.from({ length: 6 }, (_, i) => attempt(i, i % 2 === 0 ? 5 : 4)));
      expect(codes.filter((code) => code === 0x88).length + codes.filter((code) => code === 3).length).toBe(
        await refusalsOf(busy.broker, 'auth_busy'),
      );
      expect(await refusalsOf(busy.broker, 'auth_busy')).toBeGreaterThanOrEqual(1);
      expect(codes.every((code) => [0x86, 0x88, 4, 3].includes(code))).toBe(true);
    } finally {
      await busy.stop();
    }
  });
});

describe('JWT over a real CONNECT (RSA SPKI key, 1 h maximum lifetime)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = { mekong: { role: 'device', cell: CELL_1 } };
  const sign = (alg: string, key: Parameters<SignJWT['sign']>[0], times: JWTPayload) =>
    new SignJWT({ ...claims, ...times }).setProtectedHeader({ alg }).setSubject('press-1').sign(key);
  const connectWith = (password: string) =>
    connackV5({ clientId: 'press-1-jwt', username: 'press-1', password });

  it('accepts an RS256 token and refuses HS256 signed with the public PEM, no exp, and too long a lifetime', async () => {
    const before = await refusalsOf(t.broker, 'bad_credentials');
    expect(await connectWith(await sign('RS256', rsa.privateKey, { iat: now(), exp: now() + 600 }))).toBe(0);
    const pem = new TextEncoder().encode(RSA_SPKI);
    expect(await connectWith(await sign('HS256', pem, { iat: now(), exp: now() + 600 }))).toBe(0x86);
    expect(await connectWith(await sign('RS256', rsa.privateKey, { iat: now() }))).toBe(0x86);
    expect(await connectWith(await sign('RS256', rsa.privateKey, { iat: now(), exp: now() + 7200 }))).toBe(
      0x86,
    );
    expect(await connectWith(await sign('RS256', rsa.privateKey, { exp: now() + 100 * 365 * 86_400 }))).toBe(
      0x86,
    );
    expect(await refusalsOf(t.broker, 'bad_credentials')).toBe(before + 4);
  });

  it('refuses to start with a PKCS#1 public key, naming the form and the fix', async () => {
    const pkcs1 = rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    await expect(
      startTestBroker((config) => {
        config.auth.jwt = { key: pkcs1 };
      }),
    ).rejects.toThrow(/PKCS#1 RSA public key.*BEGIN PUBLIC KEY/);
  });
});
