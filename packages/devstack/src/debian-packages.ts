import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DevstackError } from './errors.js';
import type { InstallContext } from './install-context.js';
import { withInstallLock } from './install-lock.js';
import { runStep } from './run-step.js';

const execFileAsync = promisify(execFile);

async function isInstalled(pkg: string): Promise<boolean> {
  try {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
    const { stdout } = await execFileAsync('dpkg-query', ['-W', '-f=${Status}', pkg]);
    return stdout.includes('install ok installed');
  } catch {
    return false;
  }
}

/** Packages of `wanted` that dpkg does not list as installed. */
export async function missingDebianPackages(wanted: readonly string[]): Promise<string[]> {
  const installed = await Promise.all(wanted.map(isInstalled));
  return wanted.filter((_, i) => !installed[i]);
}

/**
 * Installs Debian packages that are missing, with apt-get (as root, or through passwordless sudo).
 * A no-op when all are there, so every caller may ask for what it needs.
 */
export async function ensureDebianPackages(ctx: InstallContext, packages: readonly string[]): Promise<void> {
  if ((await missingDebianPackages(packages)).length === 0) return;
  const dir = join(ctx.cacheRoot, 'debian');
  await withInstallLock(dir, ctx.progress, async () => {
    const missing = await missingDebianPackages(packages);
    if (missing.length === 0) return;
    const asRoot = process.getuid?.() === 0;
    const prefix = asRoot ? [] : ['sudo', '-n'];
    const hint = `install them yourself: sudo apt-get install ${missing.join(' ')}`;
    if (!asRoot) {
      try {
        await execFileAsync('sudo', ['-n', 'true']);
      } catch {
        throw new DevstackError(
          'MEKONG_DEVSTACK_INSTALL_FAILED',
          'install Debian packages',
          `${missing.join(', ')} missing and this user cannot run apt-get`,
          { hint },
        );
      }
    }
    const run = (step: string, args: string[]) =>
      runStep({
        step,
        command: prefix[0] ?? 'apt-get',
        args: prefix.length > 0 ? [...prefix.slice(1), 'apt-get', ...args] : args,
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        logFile: join(dir, 'apt.log'),
        progress: ctx.progress,
        hint,
      });
    const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
    await run('apt-get update', [...lockWait, 'update']);
    await run(`apt-get install ${missing.join(' ')}`, [
      ...lockWait,
      'install',
      '-y',
      '--no-install-recommends',
      ...missing,
    ]);
  });
}
