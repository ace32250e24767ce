export const runtimeErrorCodes = [
  'MEKONG_CONFIG_INVALID',
  'MEKONG_SHUTDOWN_TIMEOUT',
  'MEKONG_SHUTDOWN_HOOK_FAILED',
] as const;

export type RuntimeErrorCode = (typeof runtimeErrorCodes)[number];

/** A failure of the shared service runtime; callers branch on `code`. */
export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RuntimeError';
    this.code = code;
  }
}
