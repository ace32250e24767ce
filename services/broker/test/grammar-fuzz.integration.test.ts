import { describe, expect, it } from 'vitest';
import { runGrammarFuzz } from '../fuzz/grammar/grammar-loop.js';

describe('grammar fuzzing (short; `pnpm --filter @mekong/broker fuzz` runs a minute or more)', () => {
  it('a broker process neither exits nor hangs through 10 s of generated MQTT 5 sessions', async () => {
    const result = await runGrammarFuzz({ seconds: 10, seed: 20261204 });
    expect(result.failure).toBeUndefined();
    expect(result.sessions).toBeGreaterThan(50);
    expect(result.probes).toBeGreaterThan(5);
    // Every client → server packet type was sent, some of them hand-encoded past mqtt-packet.
    const types = new Set(Object.keys(result.byType).map((key) => key.split(' ')[0]));
    for (const cmd of ['connect', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe']) {
      expect(types).toContain(cmd);
    }
    for (const cmd of ['unsubscribe', 'pingreq', 'disconnect', 'auth']) expect(types).toContain(cmd);
    expect(result.handEncoded).toBeGreaterThan(50);
    // Sessions of every kind of user got past CONNECT.
    for (const user of ['press-1', 'press-2', 'bridge', 'admin']) {
      expect(result.connacks[`${user} 0x00`]).toBeGreaterThan(0);
    }
  }, 60_000);
});
