import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

export interface LoggerSettings {
  /** The service name, on every line as `service`. */
  service: string;
  level?: LoggerOptions['level'];
  /** Where lines go; stdout by default (one JSON event per line). */
  destination?: NodeJS.WritableStream;
}

/** A structured logger: one JSON event per line, `code` and line path as fields, never free text only. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}
