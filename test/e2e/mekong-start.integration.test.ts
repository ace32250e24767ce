import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { expectEveryMessageDelivered } from './helpers/delivery.js';
import { waitForHealth } from './helpers/observe.js';
import {
  deviceUser,
  PASSWORD,
  publishWithMosquitto,
  removeTempDirs,
  repoRoot,
  tempDir,
} from './helpers/pipeline.js';
import {
  baseTime,
  cellPathOf,
  cellsOf,
  countPayloads,
  topicOf,
  uniqueEnterprise,
} from './helpers/telemetry.js';

const execFileAsync = promisify(execFile);
const cliEntry = join(repoRoot, 'packages/cli/src/main.ts');
const devstack = inject('devstack');
const enterprise = uniqueEnterprise('start');
const [cell] = cellsOf(enterprise, 1, 1);
const PER_CELL = 50;

let platform: ChildProcess | undefined;
afterAll(async () => {
  if (platform && platform.exitCode === null) platform.kill('SIGKILL');
  await removeTempDirs();
});

/** Resolves with stdout once it contains `marker`; rejects if the process ends first. */
function outputUntil(child: ChildProcess, marker: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${marker}" within ${timeoutMs} ms:\n${out}\n${err}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      if (out.includes(marker)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr?.on('data', (data: Buffer) => {
      err += data.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mekong start exited ${code} before "${marker}":\n${out}\n${err}`));
    });
  });
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('mekong start', () => {
  it('runs broker and both bridges: a device added with `mekong broker passwd` reaches Kafka and InfluxDB', async () => {
    if (!cell) throw new Error('no cell');
    const dir = await tempDir('e2e-start');
    const { kafka, influxdb } = devstack;
    platform = spawn(process.execPath, ['--import', 'tsx', cliEntry, 'start'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // The test's own Kafka and InfluxDB stand in for the devstack; the platform's secrets go to `dir`.
        MEKONG_DEVSTACK_DIR: dir,
        MEKONG_KAFKA_BROKERS: kafka.brokers.join(','),
        MEKONG_INFLUX_URL: influxdb.url,
        MEKONG_INFLUX_TOKEN: influxdb.token,
        MEKONG_INFLUX_ORG: influxdb.org,
        MEKONG_INFLUX_BUCKET: influxdb.bucket,
        MEKONG_BROKER_PORT: '0',
        MEKONG_BROKER_HTTP_PORT: '0',
        MEKONG_BROKER_WS_ENABLED: 'false',
        MEKONG_MQTT_KAFKA_HTTP_PORT: '0',
        MEKONG_KAFKA_INFLUX_HTTP_PORT: '0',
        MEKONG_KAFKA_INFLUX_GROUP_ID: `e2e-${enterprise}`,
        // Every log line, so that a secret logged at any level shows.
        MEKONG_LOG_LEVEL: 'debug',
      },
    });
    const output: Buffer[] = [];
    platform.stdout?.on('data', (data: Buffer) => output.push(data));
    platform.stderr?.on('data', (data: Buffer) => output.push(data));
    const banner = await outputUntil(platform, 'Press Ctrl-C to stop.', 120_000);
    const port = Number(/mqtt:\/\/localhost:(\d+)/.exec(banner)?.[1]);
    const credentialsFile = /mekong broker passwd (\S+)/.exec(banner)?.[1];
    const healthPorts = [...banner.matchAll(/health :(\d+)/g)].map((match) => Number(match[1]));
    expect(port).toBeGreaterThan(0);
    expect(credentialsFile?.startsWith(dir)).toBe(true);
    expect(healthPorts).toHaveLength(3);
    // The banner comes once each part has started; a consumer on a fresh Kafka may still be joining its group.
    for (const healthPort of healthPorts) await waitForHealth(healthPort, 'ok', 30_000, 100);

    const user = deviceUser(cell);
    await execFileAsync(
      process.execPath,
      [
        '--import',
        'tsx',
        cliEntry,
        'broker',
        'passwd',
        credentialsFile as string,
        user,
        '--role',
        'device',
        '--cell',
        cellPathOf(cell),
      ],
      { cwd: repoRoot, env: { ...process.env, MEKONG_BROKER_PASSWORD: PASSWORD } },
    );
    // The broker looks at the credentials file on a timer (MEKONG_BROKER_CREDENTIALS_CHECK_MS, 1 s), never
    // on a CONNECT: the new device is refused until then, and nothing it sent is lost by the refusal.
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await publishWithMosquitto({
          port,
          username: user,
          topic: topicOf(cell, 'count'),
          payloads: countPayloads(PER_CELL, baseTime()),
        });
        break;
      } catch (error) {
        if (Date.now() > deadline || !/bad user name or password/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    await expectEveryMessageDelivered({
      brokers: kafka.brokers,
      influx: influxdb,
      enterprise,
      cells: [cell],
      perCell: PER_CELL,
      timeoutMs: 60_000,
    });

    const exited = new Promise<number | null>((resolve) => platform?.once('exit', resolve));
    platform.kill('SIGTERM');
    expect(await exited).toBe(0);

    // No default password: the bridge's account has a random one, in a file only its owner reads, and
    // it appears in no output of the whole run and in no other file the platform wrote (logs, data).
    const platformDir = join(dir, 'platform');
    const passwordFile = join(platformDir, 'mekong-bridge.password');
    const bridgePassword = (await readFile(passwordFile, 'utf8')).trim();
    expect(bridgePassword).toMatch(/^\S{16,}$/);
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    expect((await stat(platformDir)).mode & 0o777).toBe(0o700);
    expect(Buffer.concat(output).includes(bridgePassword)).toBe(false);
    const written = (await filesUnder(dir)).filter((file) => file !== passwordFile);
    expect(written).toContain(credentialsFile);
    for (const file of written)
      expect({ file, leaks: (await readFile(file)).includes(bridgePassword) }).toEqual({
        file,
        leaks: false,
      });
  }, 240_000);
});
