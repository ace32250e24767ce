import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureDebianPackages } from '../debian-packages.js';
import { DevstackError } from '../errors.js';
import type { InstallContext } from '../install-context.js';
import { withInstallLock } from '../install-lock.js';
import type { LaunchSpec } from '../process/managed-process.js';
import { runStep } from '../run-step.js';

const execFileAsync = promisify(execFile);

export const INFLUXDB_VERSION = '2.7.12';
const INFLUXDB_MODULE = 'github.com/influxdata/influxdb/v2';
const FLUX_MODULE = 'github.com/influxdata/flux';
/** The tags of InfluxData's own GNUmakefile, minus `assets` (the UI, downloaded from GitHub). */
const BUILD_TAGS = 'sqlite_foreign_keys,sqlite_json';
/** cgo (mattn/go-sqlite3, libflux) needs a C compiler and libc headers; `go build` finds libflux with pkg-config. */
const DEBIAN_PACKAGES = ['gcc', 'libc6-dev', 'pkg-config'];

export interface InfluxdbInstall {
  binary: string;
  version: string;
}

/** Go's module cache spells upper-case letters as `!` + lower case. */
function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
}

async function goEnv(name: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await execFileAsync('go', ['env', name], { env });
    return stdout.trim();
  } catch (error) {
    throw new DevstackError(
      'MEKONG_DEVSTACK_INSTALL_FAILED',
      'find the Go toolchain',
      'could not run `go env`',
      {
        hint: 'install Go 1.23 or newer (https://go.dev/dl) and put its bin folder on PATH',
        cause: error,
      },
    );
  }
}

/** `go1.26.8` → [1, 26]. */
function goMinor(version: string): [number, number] {
  const match = /^go(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

function isOlder(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

function requiredModuleVersion(goMod: string, module: string): string | undefined {
  const escaped = module.replace(/[.]/g, '\\.');
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod)?.[1];
}

function fluxPc(prefix: string, version: string): string {
  return `prefix=${prefix}
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: flux
Description: libflux, the Flux language's Rust core, built from ${FLUX_MODULE}@${version}
Version: ${version.replace(/^v/, '')}
Cflags: -I\${includedir}
Libs: -L\${libdir} -lflux -ldl -lpthread
`;
}

async function isInstalled(marker: string, binary: string): Promise<boolean> {
  return existsSync(marker) && existsSync(binary);
}

/**
 * Builds InfluxDB OSS 2.7 (`influxd`, no UI) from its Go module, once, into
 * `<cache>/influxdb/<version>/bin/influxd`: the Go module and the Flux module come from the Go module
 * proxy, libflux (Flux's Rust core) is built with cargo from crates.io, and `go build` links it
 * through a generated `flux.pc`. A marker written last makes the next call a no-op. The Go module
 * and build caches and the cargo registry are the user's usual ones; the build folders under the
 * cache folder are removed once the binary is in place.
 */
export async function installInfluxdb(ctx: InstallContext): Promise<InfluxdbInstall> {
  const dir = join(ctx.cacheRoot, 'influxdb', INFLUXDB_VERSION);
  const install: InfluxdbInstall = {
    binary: join(dir, 'bin', 'influxd'),
    version: INFLUXDB_VERSION,
  };
  const marker = join(dir, '.installed');
  if (await isInstalled(marker, install.binary)) return install;
  return withInstallLock(dir, ctx.progress, async () => {
    if (await isInstalled(marker, install.binary)) return install;
    const started = Date.now();
    ctx.progress(
      `building InfluxDB ${INFLUXDB_VERSION} from source into ${dir} (once: about 4 minutes on 2 cores with empty Go/cargo caches)`,
    );
    await buildInfluxdb(ctx, dir, install.binary);
    await writeFile(
      marker,
      `${JSON.stringify({ version: INFLUXDB_VERSION, builtAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) })}\n`,
    );
    ctx.progress(`InfluxDB ${INFLUXDB_VERSION} built in ${Math.round((Date.now() - started) / 1000)} s`);
    return install;
  });
}

async function buildInfluxdb(ctx: InstallContext, dir: string, binary: string): Promise<void> {
  const logFile = join(dir, 'build.log');
  const progress = ctx.progress;
  const srcDir = join(dir, 'src');
  const fluxDir = join(dir, 'flux-src');
  const libfluxDir = join(dir, 'libflux');
  const cargoTarget = join(dir, 'cargo-target');

  await ensureDebianPackages(ctx, DEBIAN_PACKAGES);

  const goEnvironment: NodeJS.ProcessEnv = { ...process.env, GO111MODULE: 'on', GOWORK: 'off' };
  await runStep({
    step: 'check the Go toolchain',
    command: 'go',
    args: ['version'],
    logFile,
    progress,
    hint: 'install Go 1.23 or newer (https://go.dev/dl) and put its bin folder on PATH',
  });
  await runStep({
    step: 'check the Rust toolchain',
    command: 'cargo',
    args: ['--version'],
    logFile,
    progress,
    hint: 'install Rust 1.72 or newer with rustup (https://rustup.rs); Debian 12’s own rustc is too old',
  });

  // 1. InfluxDB's Go module, copied out of the read-only module cache (its go.mod has a `replace`,
  //    so `go install …@version` refuses to build it in place).
  const goProxyHint = 'check that the Go module proxy (GOPROXY, default proxy.golang.org) is reachable';
  await runStep({
    step: `download the Go module ${INFLUXDB_MODULE}@v${INFLUXDB_VERSION}`,
    command: 'go',
    args: ['mod', 'download', '-json', `${INFLUXDB_MODULE}@v${INFLUXDB_VERSION}`],
    cwd: dir,
    env: goEnvironment,
    logFile,
    progress,
    hint: goProxyHint,
  });
  const modCache = await goEnv('GOMODCACHE', goEnvironment);
  await copyModule(
    ctx,
    join(modCache, `${escapeModulePath(INFLUXDB_MODULE)}@v${INFLUXDB_VERSION}`),
    srcDir,
    logFile,
    'InfluxDB',
  );
  const goMod = await readFile(join(srcDir, 'go.mod'), 'utf8');

  // A Go older than the module's `go` line fetches the toolchain its `toolchain` line names from the
  // Go module proxy; a newer one (Go 1.26 here) builds it itself.
  const goVersion = await goEnv('GOVERSION', goEnvironment);
  const needed = /^go\s+(\d+\.\d+)/m.exec(goMod)?.[1] ?? '1.0';
  const toolchainLine = /^toolchain\s+(go\S+)/m.exec(goMod)?.[1];
  if (isOlder(goMinor(goVersion), goMinor(`go${needed}`))) {
    goEnvironment.GOTOOLCHAIN = toolchainLine ?? `go${needed}.0`;
    progress(
      `Go ${goVersion} is older than InfluxDB needs (go ${needed}): using ${goEnvironment.GOTOOLCHAIN}`,
    );
  }

  // 2. Flux's module at the version InfluxDB's go.mod requires; libflux is its `libflux/` cargo workspace.
  const fluxVersion = requiredModuleVersion(goMod, FLUX_MODULE);
  if (!fluxVersion) {
    throw new DevstackError(
      'MEKONG_DEVSTACK_INSTALL_FAILED',
      'find the Flux version',
      `${join(srcDir, 'go.mod')} does not require ${FLUX_MODULE}`,
      { logFile, hint: 'the InfluxDB module looks damaged: delete the folder and try again' },
    );
  }
  await runStep({
    step: `download the Go module ${FLUX_MODULE}@${fluxVersion}`,
    command: 'go',
    args: ['mod', 'download', '-json', `${FLUX_MODULE}@${fluxVersion}`],
    cwd: dir,
    env: goEnvironment,
    logFile,
    progress,
    hint: goProxyHint,
  });
  await copyModule(
    ctx,
    join(modCache, `${escapeModulePath(FLUX_MODULE)}@${fluxVersion}`),
    fluxDir,
    logFile,
    'Flux',
  );
  // Flux pins Rust 1.72 in rust-toolchain.toml, which rustup would have to download (and refuses to with
  // RUSTUP_AUTO_INSTALL=0); libflux builds with current stable Rust, so use the user's default toolchain.
  await rm(join(fluxDir, 'rust-toolchain.toml'), { force: true });
  await rm(join(fluxDir, 'rust-toolchain'), { force: true });

  // 3. libflux with cargo. Default features include `strict` (deny(warnings)), which newer compilers
  //    break with fresh warnings: build with only `cffi` (the C API Go needs), as distributions do.
  await runStep({
    step: `build libflux (Flux ${fluxVersion}'s Rust core) with cargo`,
    command: 'cargo',
    args: ['build', '--release', '--locked', '-p', 'flux', '--no-default-features', '--features', 'cffi'],
    cwd: join(fluxDir, 'libflux'),
    env: {
      ...process.env,
      CARGO_TARGET_DIR: cargoTarget,
      RUSTFLAGS: [process.env.RUSTFLAGS, '--cap-lints', 'warn'].filter(Boolean).join(' '),
    },
    logFile,
    progress,
    heartbeatSeconds: 60,
    hint: 'check that crates.io is reachable and that Rust is 1.72 or newer (`rustup update stable`); details are in the log',
  });
  await rm(libfluxDir, { recursive: true, force: true });
  await mkdir(join(libfluxDir, 'lib'), { recursive: true });
  await copyFile(join(cargoTarget, 'release', 'libflux.a'), join(libfluxDir, 'lib', 'libflux.a'));
  await cp(join(fluxDir, 'libflux', 'include'), join(libfluxDir, 'include'), { recursive: true });
  await mkdir(join(libfluxDir, 'pkgconfig'), { recursive: true });
  await writeFile(join(libfluxDir, 'pkgconfig', 'flux.pc'), fluxPc(libfluxDir, fluxVersion));

  // 4. influxd, linked statically against libflux.a (only the .a is on the -L path).
  const partial = `${binary}.partial`;
  await mkdir(join(dir, 'bin'), { recursive: true });
  await runStep({
    step: `build influxd ${INFLUXDB_VERSION} with go build`,
    command: 'go',
    args: [
      'build',
      '-buildvcs=false',
      '-tags',
      BUILD_TAGS,
      '-ldflags',
      `-s -w -X main.version=v${INFLUXDB_VERSION} -X main.commit=go-module -X main.date=${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
      '-o',
      partial,
      './cmd/influxd',
    ],
    cwd: srcDir,
    env: {
      ...goEnvironment,
      CGO_ENABLED: '1',
      PKG_CONFIG: 'pkg-config',
      PKG_CONFIG_PATH: [join(libfluxDir, 'pkgconfig'), process.env.PKG_CONFIG_PATH].filter(Boolean).join(':'),
    },
    logFile,
    progress,
    heartbeatSeconds: 60,
    hint: `check that the Go module proxy is reachable and that gcc works; \`PKG_CONFIG_PATH=${join(libfluxDir, 'pkgconfig')} pkg-config --libs flux\` must name libflux`,
  });
  await runStep({
    step: 'check the built influxd',
    command: partial,
    args: ['version'],
    logFile,
    progress,
    hint: 'the build produced a binary that does not run; read the log, delete the folder and try again',
  });
  await rename(partial, binary);

  // The binary is self-contained: drop the sources and build products (the Go and cargo download
  // caches stay where they are, shared with other builds).
  for (const folder of [srcDir, fluxDir, cargoTarget, libfluxDir]) {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Copies a Go module out of the module cache (read-only files) into a fresh writable folder. */
async function copyModule(
  ctx: InstallContext,
  from: string,
  to: string,
  logFile: string,
  name: string,
): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await runStep({
    step: `copy the ${name} sources`,
    command: 'cp',
    args: ['-R', from, to],
    logFile,
    progress: ctx.progress,
    hint: `check that ${from} exists (go mod download) and that the disk is not full`,
  });
  await runStep({
    step: `make the ${name} sources writable`,
    command: 'chmod',
    args: ['-R', 'u+w', to],
    logFile,
    progress: ctx.progress,
    hint: `check the permissions of ${to}`,
  });
}

/**
 * Command line and environment for an influxd that listens on `httpPort` (all interfaces) and keeps
 * all its state in `dataDir`. Run it with `dataDir` as working directory or leave the env as given: it
 * points influxd's config lookup at `dataDir`, so a stray config file in the working directory is not read.
 */
export function influxdbLaunch(
  install: InfluxdbInstall,
  opts: { dataDir: string; httpPort: number },
): LaunchSpec & { env: Record<string, string> } {
  return {
    command: install.binary,
    args: [
      '--http-bind-address',
      `:${opts.httpPort}`,
      '--bolt-path',
      join(opts.dataDir, 'influxd.bolt'),
      '--sqlite-path',
      join(opts.dataDir, 'influxd.sqlite'),
      '--engine-path',
      join(opts.dataDir, 'engine'),
      '--reporting-disabled',
      '--ui-disabled',
      '--log-level',
      'info',
    ],
    env: { INFLUXD_CONFIG_PATH: opts.dataDir },
  };
}

async function checkResponse(response: Response, what: string): Promise<void> {
  if (response.ok) return;
  const body = await response.text().catch(() => '');
  throw new DevstackError(
    'MEKONG_DEVSTACK_START_FAILED',
    'set up InfluxDB',
    `${what}: HTTP ${response.status} ${body.slice(0, 500)}`,
    { hint: 'delete the InfluxDB data folder of the stack and start it again' },
  );
}

/**
 * First-time onboarding: creates the user, org, bucket (infinite retention) and the given operator
 * token with `POST /api/v2/setup` on 2.x, unless `GET /api/v2/setup` says it was already done..
 */
export async function setupInfluxdb(
  url: string,
  opts: { org: string; bucket: string; username: string; password: string; token: string },
): Promise<void> {
  const base = url.replace(/\/+$/, '');
  const status = await fetch(`${base}/api/v2/setup`, { signal: AbortSignal.timeout(10_000) });
  await checkResponse(status, 'GET /api/v2/setup');
  const { allowed } = (await status.json()) as { allowed?: boolean };
  if (allowed === false) return;
  const response = await fetch(`${base}/api/v2/setup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      username: opts.username,
      password: opts.password,
      org: opts.org,
      bucket: opts.bucket,
      token: opts.token,
      retentionPeriodSeconds: 0,
    }),
    signal: AbortSignal.timeout(30_000),
  });
  await checkResponse(response, 'POST /api/v2/setup');
}
