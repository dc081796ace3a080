/** Fixed-window attempt counter kept in memory (one process serves a company's users). */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Seconds to wait when `key` has used up its attempts, otherwise 0. */
  retryAfter(key: string): number {
    const w = this.windows.get(key);
    if (!w) return 0;
    const elapsed = this.now() - w.start;
    if (elapsed >= this.windowMs) {
      this.windows.delete(key);
      return 0;
    }
    return w.count >= this.limit ? Math.ceil((this.windowMs - elapsed) / 1000) : 0;
  }

  /** Counts one attempt; returns the start of the window it was counted in (for `giveBack`). */
  record(key: string): number {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) this.windows.set(key, (w = { start: now, count: 1 }));
    else w.count++;
    if (this.windows.size > 100_000) this.prune(now);
    return w.start;
  }

  /** Uncounts an attempt recorded in the window that started at `windowStart`; a later window is left alone. */
  giveBack(key: string, windowStart: number): void {
    const w = this.windows.get(key);
    if (w && w.start === windowStart && w.count > 0) w.count--;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
