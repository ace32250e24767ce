/**
 * Every failure the contracts can report. A DLQ record, an HTTP 4xx body, a PUBACK reason and a log
 * line all carry one of these codes; callers branch on the code, never on the message text.
 */
export const MEKONG_ERROR_CODES = [
  'MEKONG_INVALID_JSON',
  'MEKONG_INVALID_UTF8',
  'MEKONG_INVALID_PAYLOAD',
  'MEKONG_INVALID_TOPIC',
  'MEKONG_UNKNOWN_KIND',
  'MEKONG_PAYLOAD_TOO_LARGE',
  'MEKONG_TOPIC_NOT_ALLOWED',
  'MEKONG_INVALID_LINE_PROTOCOL',
] as const;

export type MekongErrorCode = (typeof MEKONG_ERROR_CODES)[number];

/** One segment of the path to the offending field: an object key or an array index. */
export type IssuePathSegment = string | number;

/**
 * The plain, JSON-serialisable description of a rejection. `path` names the offending field, e.g.
 * `['readings', 2, 'value']`; it is empty when the whole payload is at fault.
 */
export interface MekongIssue {
  code: MekongErrorCode;
  path: IssuePathSegment[];
  message: string;
}

export function isMekongErrorCode(value: unknown): value is MekongErrorCode {
  return typeof value === 'string' && (MEKONG_ERROR_CODES as readonly string[]).includes(value);
}

/** Thrown for programming mistakes (an invalid address or point built in code), never for bad device input. */
export class MekongError extends Error {
  readonly code: MekongErrorCode;
  readonly path: IssuePathSegment[];

  constructor(
    code: MekongErrorCode,
    message: string,
    options: { path?: IssuePathSegment[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'MekongError';
    this.code = code;
    this.path = options.path ?? [];
  }

  toIssue(): MekongIssue {
    return { code: this.code, path: [...this.path], message: this.message };
  }
}
