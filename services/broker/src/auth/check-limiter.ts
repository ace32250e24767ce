/**
 * Bounds the password checks running at once (scrypt takes a libuv pool thread for tens of
 * milliseconds, and the pool also serves file I/O and DNS) and how many may wait for a turn.
 */
export class CheckLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number,
  ) {}

  /**
   * Runs `task` when a slot is free; undefined, without running it, when `maxQueued` tasks already
   * wait (the caller refuses: the server is busy).
   */
  run<T>(task: () => Promise<T>): Promise<T> | undefined {
    if (this.running >= this.concurrency && this.waiting.length >= this.maxQueued) return undefined;
    return (async () => {
      if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
      else this.running++;
      try {
        return await task();
      } finally {
        const next = this.waiting.shift();
        if (next) next();
        else this.running--;
      }
    })();
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }
}
