import { type Logger, type LoggerOptions, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerSettings {
  /** The service name, on every line as `service`. */
  service: string;
  level?: LoggerOptions['level'];
  /** Where lines go; stdout by default (one JSON event per line). */
  destination?: NodeJS.WritableStream;
  /**
   * `json` (one event per line, for machines), `pretty` (readable lines), or `auto`: pretty on a
   * terminal, JSON otherwise. Default: MEKONG_LOG_FORMAT, else `auto`.
   */
  format?: LogFormat;
}

export const logFormats = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof logFormats)[number];

/** The format in effect: `auto` is pretty only when stdout is a terminal. */
export function resolveLogFormat(format: string | undefined, isTerminal: boolean): 'json' | 'pretty' {
  if (format === 'json' || format === 'pretty') return format;
  return isTerminal ? 'pretty' : 'json';
}

/** A structured logger: one JSON event per line, `code` and line path as fields, never free text only. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (settings.destination) return pino(options, settings.destination);
  const format = resolveLogFormat(
    settings.format ?? process.env.MEKONG_LOG_FORMAT,
    process.stdout.isTTY === true,
  );
  if (format === 'json') return pino(options);
  // Readable lines for a person at a terminal; the fields stay, the error codes stay on the line.
  return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
