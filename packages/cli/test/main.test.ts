import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const cliEntry = join(import.meta.dirname, '../src/main.ts');
const mekong = (...args: string[]) =>
  execFileAsync(process.execPath, ['--import', 'tsx', cliEntry, ...args], { timeout: 30_000 });

describe('mekong, tried as a new user would', () => {
  it('with no command prints the commands, the project tasks, and exits 0', async () => {
    const { stdout } = await mekong();
    expect(stdout).toMatch(/Usage: mekong/);
    for (const command of ['start', 'broker', 'bridge', 'sim', 'kpi', 'devstack']) {
      expect(stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    }
    for (const task of ['./mekong test', './mekong lint', './mekong bench']) expect(stdout).toContain(task);
  }, 60_000);

  it('prints its version with --version', async () => {
    const { stdout } = await mekong('--version');
    expect(stdout.trim()).toBe('0.1.0');
  }, 60_000);

  it('lists the exit codes, and exits 2 naming an unknown command', async () => {
    expect((await mekong()).stdout).toMatch(
      /Exit codes[\s\S]*2 {2}usage or configuration error[\s\S]*3 {2}partial result/,
    );
    const failure = await mekong('frobnicate').then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/unknown command 'frobnicate'/);
  }, 60_000);
});

describe('a bad option value', () => {
  it('names the flag the user typed, in a line and a hint, and exits 2', async () => {
    const failure = await mekong('broker', '--port', 'abc').then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/--port \(MEKONG_BROKER_PORT\): .*got "abc"/);
    expect(failure?.stderr).toContain('`mekong broker --help` lists every option');
    expect(failure?.stderr?.split('\n').filter(Boolean).length).toBeLessThanOrEqual(3);
  }, 60_000);
});

describe('switches', () => {
  it('takes true/false settings as switches (`--no-ws`), not as flags with a value', async () => {
    const { stdout } = await mekong('broker', '--help');
    expect(stdout).toMatch(/\n {2}--no-ws\s/);
    expect(stdout).toMatch(/\n {2}--allow-anonymous\s/);
    expect(stdout).not.toMatch(/--ws-enabled/);
    expect(stdout).not.toMatch(/--allow-anonymous <value>/);
  }, 60_000);
});

describe('mekong start --help', () => {
  it('says what it starts, in order, and lists every variable of every service it runs', async () => {
    const { stdout } = await mekong('start', '--help');
    expect(stdout).toMatch(
      /1\. Kafka and InfluxDB[\s\S]*2\. the MQTT broker[\s\S]*3\. the Kafka → InfluxDB bridge[\s\S]*4\. the MQTT → Kafka bridge/,
    );
    for (const variable of [
      'MEKONG_DEVSTACK_INSTANCE',
      'MEKONG_BROKER_PORT',
      'MEKONG_BROKER_WS_ORIGINS',
      'MEKONG_KAFKA_INFLUX_BATCH_MAX_POINTS',
      'MEKONG_MQTT_TOPIC_FILTERS',
      'MEKONG_MQTT_PASSWORD_FILE',
    ]) {
      expect(stdout).toContain(variable);
    }
  }, 60_000);
});
