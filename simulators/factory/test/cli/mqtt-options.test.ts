import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetOptions, type MqttFlags } from '../../src/cli/mqtt-options.js';

const flags = (extra: Partial<MqttFlags>): MqttFlags => ({
  url: 'mqtt://127.0.0.1:1883',
  qos: 1,
  clientId: '{cell}',
  username: '{cell}',
  protocol: '5',
  connectConcurrency: 10,
  bufferLimit: 100,
  maxInFlight: 10,
  keepalive: 30,
  connectTimeout: 5_000,
  ...extra,
});

describe('device passwords', () => {
  it('come from --password-file (MEKONG_SIM_PASSWORD_FILE) without its final newline, placeholders filled', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sim-password-')), 'password');
    writeFileSync(file, 'secret-{cell}\n');
    const identity = fleetOptions(flags({ passwordFile: file }), 'acme', undefined).identity(
      'hcm/a/l1/press-1',
    );
    expect(identity.password).toBe('secret-press-1');
  });
});
