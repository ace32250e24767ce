import { randomBytes } from 'node:crypto';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { passwd } from '@mekong/broker';
import { makeSecretDir, writeSecretFile } from '@mekong/runtime';

/** The MQTT service account `mekong start` gives its MQTT → Kafka bridge. */
export const PLATFORM_BRIDGE_USER = 'mekong-bridge';

export interface PlatformCredentials {
  /** The broker's credentials file; add devices to it with `mekong broker passwd`. */
  credentialsFile: string;
  /** Holds the bridge's password (mode 0600); the password itself is never printed. */
  bridgePasswordFile: string;
  bridgePassword: string;
}

/**
 * The secrets of a `mekong start` platform, kept in `dir` (mode 0700): a service account for the
 * bridge in the broker's credentials file (by default one in `dir`), whose random password is made
 * on the first start and kept for the next ones. There is no default password, and nothing of it
 * lives in the repository.
 */
export async function platformCredentials(
  dir: string,
  credentialsFile = join(dir, 'credentials.json'),
): Promise<PlatformCredentials> {
  await makeSecretDir(dir);
  const bridgePasswordFile = join(dir, `${PLATFORM_BRIDGE_USER}.password`);
  let bridgePassword: string;
  try {
    bridgePassword = (await readFile(bridgePasswordFile, 'utf8')).trim();
    await chmod(bridgePasswordFile, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    bridgePassword = randomBytes(24).toString('base64url');
    await writeSecretFile(bridgePasswordFile, `${bridgePassword}\n`);
  }
  // Written at every start, so a credentials file deleted or edited by hand heals itself.
  await passwd(credentialsFile, {
    username: PLATFORM_BRIDGE_USER,
    password: bridgePassword,
    role: 'service',
  });
  return { credentialsFile, bridgePasswordFile, bridgePassword };
}
