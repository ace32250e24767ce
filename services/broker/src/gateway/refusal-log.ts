import type { Logger } from '@mekong/runtime';
import { type RefusalReason, refusals } from '../refusals.js';

const QUIET_MS = 10_000;

/**
 * Logs refusals with their error code without letting a flooding client flood the log: the first of
 * each reason is logged, then at most one line per reason every 10 s, carrying how many were skipped.
 */
export class RefusalLog {
  private readonly last = new Map<RefusalReason, { at: number; skipped: number }>();

  constructor(private readonly logger: Logger) {}

  refused(reason: RefusalReason, fields: Record<string, unknown>, now = Date.now()): void {
    const entry = this.last.get(reason);
    if (entry && now - entry.at < QUIET_MS) {
      entry.skipped++;
      return;
    }
    const skipped = entry?.skipped ?? 0;
    this.last.set(reason, { at: now, skipped: 0 });
    this.logger.warn(
      {
        event: 'refused',
        reason,
        code: refusals[reason].code,
        ...fields,
        ...(skipped > 0 ? { skipped } : {}),
      },
      `refused: ${reason.replaceAll('_', ' ')}`,
    );
  }
}
