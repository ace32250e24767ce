/** How fast simulated time runs: as fast as possible, or ×N of real time (1 = real time). */
export type Speed = { kind: 'max' } | { kind: 'factor'; factor: number };

/** `max`, `realtime`, or a factor such as `60` or `x60`. Undefined when not understood. */
export function parseSpeed(text: string): Speed | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'max') return { kind: 'max' };
  if (trimmed === 'realtime' || trimmed === 'original') return { kind: 'factor', factor: 1 };
  const factor = Number(trimmed.replace(/^x/, ''));
  return Number.isFinite(factor) && factor > 0 ? { kind: 'factor', factor } : undefined;
}

/**
 * Maps simulated send times to wall-clock deadlines. Pure: the caller supplies the wall clock and
 * waits; `delayFor` says how long to wait before sending a message due at `simMs`.
 */
export class Pacer {
  private wallStart: number | undefined;
  private simStart: number | undefined;

  constructor(private readonly speed: Speed) {}

  delayFor(simMs: number, wallNow: number): number {
    if (this.speed.kind === 'max') return 0;
    if (this.wallStart === undefined || this.simStart === undefined) {
      this.wallStart = wallNow;
      this.simStart = simMs;
      return 0;
    }
    const due = this.wallStart + (simMs - this.simStart) / this.speed.factor;
    return Math.max(0, due - wallNow);
  }
}
