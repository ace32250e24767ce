// `pnpm --filter @mekong/broker fuzz [seconds] [seed]`: a minute (by default) of malformed MQTT
// against a broker in this process (byte-level), then as long of generated MQTT 5 sessions against a
// broker process (grammar, fuzz/grammar); exits 1 when a broker stopped serving, hung or exited.
import { rm } from 'node:fs/promises';
import mqtt from 'mqtt';
import { PASSWORD, startTestBroker } from '../test/helpers/broker-fixture.js';
import { runFuzz } from './fuzz-loop.js';
import { grammarFuzzAndReport } from './grammar/report.js';

const seconds = Number(process.argv[2] ?? 60);
const seed = Number(process.argv[3] ?? Date.now());
const t = await startTestBroker((config) => {
  config.limits.connectTimeoutMs = 1_000;
});
let crashed: unknown;
process.on('uncaughtException', (error) => {
  crashed = error;
});
const probe = async () => {
  try {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.broker.ports.tcp}`, {
      clientId: 'admin-probe',
      username: 'admin',
      password: PASSWORD,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    await client.publishAsync('fuzz/probe', 'ok', { qos: 1 });
    await client.endAsync();
    return crashed === undefined;
  } catch {
    return false;
  }
};
process.stderr.write(`fuzzing for ${seconds} s with seed ${seed}\n`);
const result = await runFuzz(
  { port: t.broker.ports.tcp, seconds, username: 'admin', password: PASSWORD, probe },
  seed,
);
const refusals = Object.fromEntries(Object.entries(t.broker.metrics.refusalCounts).filter(([, n]) => n > 0));
process.stdout.write(
  `${JSON.stringify({ seed, ...result, refusals, crashed: crashed ? String(crashed) : undefined })}\n`,
);
await t.stop();
await rm(t.dir, { recursive: true, force: true });
const bytesOk = !result.failedProbe && !crashed;
const grammarOk = await grammarFuzzAndReport({ seconds, seed });
process.exit(bytesOk && grammarOk ? 0 : 1);
