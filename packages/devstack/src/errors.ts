export const devstackErrorCodes = [
  'MEKONG_DEVSTACK_INSTALL_FAILED',
  'MEKONG_DEVSTACK_START_FAILED',
  'MEKONG_DEVSTACK_NOT_READY',
  'MEKONG_DEVSTACK_PORT_BUSY',
  'MEKONG_DEVSTACK_NOT_RUNNING',
  'MEKONG_DEVSTACK_BAD_CONFIG',
] as const;

export type DevstackErrorCode = (typeof devstackErrorCodes)[number];

/**
 * Every devstack failure names the step that failed and what to do about it, and points to the
 * log file that holds the details.
 */
export class DevstackError extends Error {
  readonly code: DevstackErrorCode;
  readonly step: string;
  readonly logFile: string | undefined;
  readonly hint: string | undefined;

  constructor(
    code: DevstackErrorCode,
    step: string,
    message: string,
    options: { logFile?: string; hint?: string; cause?: unknown } = {},
  ) {
    const parts = [`${step}: ${message}`];
    if (options.logFile) parts.push(`log: ${options.logFile}`);
    if (options.hint) parts.push(`what to do: ${options.hint}`);
    super(parts.join('\n  '), { cause: options.cause });
    this.name = 'DevstackError';
    this.code = code;
    this.step = step;
    this.logFile = options.logFile;
    this.hint = options.hint;
  }
}
