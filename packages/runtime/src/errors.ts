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

/** The code of any error: ours, a client library's (`code`, or `type` where a library names it so), node's errno code. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, type } = error as { code?: unknown; type?: unknown };
  if (typeof code === 'string') return code;
  if (typeof type === 'string') return type;
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
