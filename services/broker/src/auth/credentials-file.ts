import { readFile, stat } from 'node:fs/promises';
import { isValidLevelName } from '@mekong/contracts';
import { writeSecretFile } from '@mekong/runtime';
import * as z from 'zod';
import { BrokerError } from '../errors.js';
import { roles } from './identity.js';
import { hashPassword } from './password-hash.js';

const cellPath = z
  .string()
  .refine((path) => path.split('/').length === 5 && path.split('/').every(isValidLevelName), {
    message: 'a cell path is <enterprise>/<site>/<area>/<line>/<cell>, each level [a-z0-9][a-z0-9_-]{0,63}',
  });

const entrySchema = z
  .object({
    hash: z.string().startsWith('scrypt$'),
    role: z.enum(roles),
    cell: cellPath.optional(),
    labour: z.boolean().default(false),
    publish: z.array(z.string().min(1)).optional(),
    subscribe: z.array(z.string().min(1)).optional(),
  })
  .refine((entry) => entry.role !== 'device' || entry.cell !== undefined, {
    message: 'a device needs its cell',
    path: ['cell'],
  });

const fileSchema = z.object({ version: z.literal(1), users: z.record(z.string().min(1), entrySchema) });

export type CredentialEntry = z.output<typeof entrySchema>;
export type CredentialsFile = z.output<typeof fileSchema>;

/** Reads and validates a credentials file; a mistake throws MEKONG_BROKER_CREDENTIALS_FILE naming the entry. */
export async function readCredentialsFile(path: string): Promise<CredentialsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new BrokerError('MEKONG_BROKER_CREDENTIALS_FILE', `cannot read credentials file ${path}`, {
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new BrokerError('MEKONG_BROKER_CREDENTIALS_FILE', `credentials file ${path} is not JSON`, {
      cause,
    });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BrokerError(
      'MEKONG_BROKER_CREDENTIALS_FILE',
      `credentials file ${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/**
 * A credentials file kept in memory and read again when it changes, so `passwd` takes effect without
 * restarting the broker. The file is checked by a timer (every `checkEveryMs`), never on the way of a
 * CONNECT: a `stat` per login would queue behind scrypt on libuv's pool.
 */
export class CredentialStore {
  private users = new Map<string, CredentialEntry>();
  private mtimeMs = -1;
  private size_ = -1;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  /** Bumped on every reload, so caches keyed on it forget old passwords. */
  generation = 0;

  constructor(
    readonly path: string,
    private readonly onBrokenEdit: (error: unknown) => void = () => {},
  ) {}

  /** `onBrokenEdit` hears of an edit that cannot be used (once per edit); the old entries stay. */
  static async open(
    path: string,
    checkEveryMs = 1_000,
    onBrokenEdit?: (error: unknown) => void,
  ): Promise<CredentialStore> {
    const store = new CredentialStore(path, onBrokenEdit);
    await store.reload();
    store.timer = setInterval(() => void store.check(), checkEveryMs);
    store.timer.unref();
    return store;
  }

  async reload(): Promise<void> {
    const info = await stat(this.path);
    const file = await readCredentialsFile(this.path);
    this.users = new Map(Object.entries(file.users));
    this.mtimeMs = info.mtimeMs;
    this.size_ = info.size;
    this.generation++;
  }

  /** Reads the file again if it changed since the last read; a broken edit keeps the old entries. */
  check(): Promise<void> {
    this.checking ??= (async () => {
      const info = await stat(this.path).catch(() => undefined);
      if (info && (info.mtimeMs !== this.mtimeMs || info.size !== this.size_)) {
        await this.reload().catch((error: unknown) => {
          // Remember the broken version, so it is reported once and not at every check.
          this.mtimeMs = info.mtimeMs;
          this.size_ = info.size;
          this.onBrokenEdit(error);
        });
      }
    })().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /** The entry of `username` as last read; no file access. */
  lookup(username: string): CredentialEntry | undefined {
    return this.users.get(username);
  }

  /** Stops checking the file. */
  close(): void {
    clearInterval(this.timer);
  }

  get size(): number {
    return this.users.size;
  }
}

export interface PasswdEntry {
  username: string;
  password: string;
  role: CredentialEntry['role'];
  cell?: string;
  labour?: boolean;
  publish?: string[];
  subscribe?: string[];
}

/**
 * Adds a user to the credentials file (or replaces its password and rights), creating the file when
 * missing. The password is stored as an scrypt hash; the file is replaced atomically, mode 0600.
 */
export async function passwd(path: string, entry: PasswdEntry): Promise<void> {
  if (entry.username.length === 0) throw new BrokerError('MEKONG_BROKER_BAD_CONFIG', 'the username is empty');
  if (entry.password.length < 8) {
    throw new BrokerError(
      'MEKONG_BROKER_BAD_CONFIG',
      `the password of ${entry.username} must be at least 8 characters`,
    );
  }
  let file: CredentialsFile = { version: 1, users: {} };
  try {
    await stat(path);
    file = await readCredentialsFile(path);
  } catch (error) {
    if (!(error as NodeJS.ErrnoException).code?.includes('ENOENT')) throw error;
  }
  const candidate = {
    hash: await hashPassword(entry.password),
    role: entry.role,
    labour: entry.labour ?? false,
    ...(entry.cell !== undefined ? { cell: entry.cell } : {}),
    ...(entry.publish ? { publish: entry.publish } : {}),
    ...(entry.subscribe ? { subscribe: entry.subscribe } : {}),
  };
  const parsed = entrySchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BrokerError(
      'MEKONG_BROKER_BAD_CONFIG',
      `${entry.username}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid entry'}`.trim(),
    );
  }
  file.users[entry.username] = parsed.data;
  await writeSecretFile(path, `${JSON.stringify(file, null, 2)}\n`);
}
