/**
 * Decides whether an event of a kind is worth a log line: the first one of each kind in a window is,
 * the rest are only counted and reported with the next one logged. A device flooding bad payloads
 * then costs a line per window, not a line per message.
 */
export class LogThrottle {
  private readonly windows = new Map<string, { start: number; suppressed: number }>();

  constructor(private readonly windowMs: number) {}

  /** Kinds remembered now. */
  get size(): number {
    return this.windows.size;
  }

  /** `undefined` when the event should not be logged; else how many were suppressed before it. */
  admit(kind: string, now: number): { suppressed: number } | undefined {
    const window = this.windows.get(kind);
    if (window && now - window.start < this.windowMs) {
      window.suppressed += 1;
      return undefined;
    }
    this.windows.set(kind, { start: now, suppressed: 0 });
    return { suppressed: window?.suppressed ?? 0 };
  }
}
