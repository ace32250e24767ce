import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokerConfigFromEnv } from '../src/config.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('broker configuration from the environment', () => {
  it('has safe defaults: no anonymous clients, memory persistence, WebSocket on 8083, devices’ retain ignored', async () => {
    const config = await brokerConfigFromEnv({});
    expect(config.auth.allowAnonymous).toBe(false);
    expect(config.persistence.mode).toBe('memory');
    expect(config.ports).toEqual({ tcp: 1883, ws: 8083, tls: 8883, http: 9101 });
    expect(config.limits.deviceRetain).toBe('ignore');
    expect(config.limits.maxConnectionsPerIdentity).toBe(4);
    expect(config.wsOrigins).toEqual([]);
  });

  it('reads every kind of value: numbers, switches, lists, choices', async () => {
    const config = await brokerConfigFromEnv({
      MEKONG_BROKER_PORT: '1999',
      MEKONG_BROKER_WS_ENABLED: 'false',
      MEKONG_BROKER_ALLOW_ANONYMOUS: 'true',
      MEKONG_BROKER_WS_ORIGINS: 'https://a.example, https://b.example',
      MEKONG_BROKER_DEVICE_RETAIN: 'refuse',
      MEKONG_BROKER_PERSISTENCE: 'durable',
      MEKONG_BROKER_DATA_DIR: '/var/lib/mekong',
    });
    expect(config.ports.tcp).toBe(1999);
    expect(config.ports.ws).toBeNull();
    expect(config.auth.allowAnonymous).toBe(true);
    expect(config.wsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.limits.deviceRetain).toBe('refuse');
    expect(config.persistence).toMatchObject({ mode: 'durable', dataDir: '/var/lib/mekong' });
  });

  it('names the variable of a bad value', async () => {
    await expect(brokerConfigFromEnv({ MEKONG_BROKER_PORT: 'abc' })).rejects.toThrow(/MEKONG_BROKER_PORT/);
    await expect(brokerConfigFromEnv({ MEKONG_BROKER_DEVICE_RETAIN: 'sometimes' })).rejects.toThrow(
      /MEKONG_BROKER_DEVICE_RETAIN/,
    );
    await expect(brokerConfigFromEnv({ MEKONG_BROKER_TLS_CERT_FILE: '/x.pem' })).rejects.toThrow(
      /MEKONG_BROKER_TLS_CERT_FILE and MEKONG_BROKER_TLS_KEY_FILE go together/,
    );
  });

  it('reads the JWT key from its file, and names the variable when the file is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mekong-broker-config-'));
    dirs.push(dir);
    const file = join(dir, 'jwt.key');
    await writeFile(file, 'a-secret-of-more-than-thirty-two-bytes-in-length\n');
    const config = await brokerConfigFromEnv({ MEKONG_BROKER_JWT_KEY_FILE: file });
    expect(config.auth.jwt?.key).toBe('a-secret-of-more-than-thirty-two-bytes-in-length');
    await expect(brokerConfigFromEnv({ MEKONG_BROKER_JWT_KEY_FILE: join(dir, 'missing') })).rejects.toThrow(
      /MEKONG_BROKER_JWT_KEY_FILE: cannot read/,
    );
  });
});
