import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const SECRET_FILE_MODE = 0o600;
const SECRET_DIR_MODE = 0o700;

/**
 * Makes `dir` (and missing parents) and sets it to 0700, also when it existed with another mode:
 * for folders that are ours alone and hold secrets (a stack's state, `mekong start`'s platform
 * folder, the broker's data). Never call it on a folder others share.
 */
export async function makeSecretDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: SECRET_DIR_MODE });
  await chmod(dir, SECRET_DIR_MODE);
}

/**
 * Writes a file only its owner may read, atomically, and sets its mode on every write: the data goes
 * to a new temporary file beside it (created 0600 with `wx`, so no leftover file and its mode are
 * reused), is synced to disk and renamed over `path`, which is then set to 0600 whatever mode an
 * earlier file had. Missing parent folders are created 0700; existing ones are left as they are.
 */
export async function writeSecretFile(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: SECRET_DIR_MODE });
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temporary, 'wx', SECRET_FILE_MODE);
    try {
      await handle.chmod(SECRET_FILE_MODE);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await chmod(path, SECRET_FILE_MODE);
}
