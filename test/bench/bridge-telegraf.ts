import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot } from '@mekong/devstack';

const execFileAsync = promisify(execFile);

export const TELEGRAF_VERSION = 'v1.37.2';
const MODULE = 'github.com/influxdata/telegraf';
// Telegraf's own "custom builds": only the plugins the benchmark uses are compiled in.
const BUILD_TAGS = 'custom,inputs.mqtt_consumer,outputs.influxdb_v2,parsers.json_v2,parsers.json';

/**
 * Builds Telegraf from its Go module into `<cache>/telegraf/<version>/bin/telegraf`, once, for the
 * benchmark only (never committed). `go install …@version` refuses modules with replace directives,
 * which Telegraf's go.mod has; so the module is downloaded, copied to a writable folder and built there.
 */
export async function ensureTelegraf(log: (line: string) => void = () => {}): Promise<string> {
  const dir = join(cacheRoot(), 'telegraf', TELEGRAF_VERSION);
  const binary = join(dir, 'bin', 'telegraf');
  const marker = join(dir, '.installed');
  if (existsSync(marker) && existsSync(binary)) return binary;
  const started = Date.now();
  log(`building Telegraf ${TELEGRAF_VERSION} (${BUILD_TAGS}) into ${dir}; once, several minutes`);
  await mkdir(dir, { recursive: true });
  const { stdout } = await execFileAsync(
    'go',
    ['mod', 'download', '-json', `${MODULE}@${TELEGRAF_VERSION}`],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  const src = join(dir, 'src');
  await rm(src, { recursive: true, force: true });
  await cp(moduleDir, src, { recursive: true });
  await execFileAsync('chmod', ['-R', 'u+w', src]);
  await execFileAsync('go', ['build', '-tags', BUILD_TAGS, '-o', binary, './cmd/telegraf'], {
    cwd: src,
    env: { ...process.env, CGO_ENABLED: '0' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60 * 60 * 1000,
  });
  await chmod(binary, 0o755);
  await rm(src, { recursive: true, force: true });
  await writeFile(
    marker,
    `${JSON.stringify({ version: TELEGRAF_VERSION, tags: BUILD_TAGS, builtAt: new Date().toISOString() })}\n`,
  );
  log(`Telegraf built in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}

if (process.argv[1]?.endsWith('bridge-telegraf.ts')) {
  const binary = await ensureTelegraf((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${binary}\n`);
}
