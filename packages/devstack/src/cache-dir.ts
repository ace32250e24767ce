import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where installs (jars, binaries) are cached: `$XDG_CACHE_HOME/mekong`, default `~/.cache/mekong`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MEKONG_CACHE_DIR) return env.MEKONG_CACHE_DIR;
  const xdg =
    env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.length > 0 ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(xdg, 'mekong');
}
