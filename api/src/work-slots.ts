/**
 * At most `size` jobs of one kind run at once and at most `maxWaiting` more wait in line, in
 * arrival order; beyond that a job is refused at once, so memory stays bounded whatever arrives.
 */
export class WorkSlots {
  private running = 0;
  private readonly line: (() => void)[] = [];
  /** Counters, for tests and operators: the most jobs ever running at once, and jobs refused. */
  peakRunning = 0;
  refused = 0;

  constructor(
    readonly size: number,
    readonly maxWaiting: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get waiting(): number {
    return this.line.length;
  }

  /** Runs `job` in a free slot, after the jobs ahead of it; throws `refuse()` without running it when the line is full. */
  async run<T>(job: () => Promise<T>, refuse: () => Error): Promise<T> {
    if (this.running >= this.size) {
      if (this.line.length >= this.maxWaiting) {
        this.refused++;
        throw refuse();
      }
      // the slot is handed over by the job that frees it, so no newcomer can take it first
      await new Promise<void>((resolve) => this.line.push(resolve));
    } else {
      this.running++;
    }
    this.peakRunning = Math.max(this.peakRunning, this.running);
    try {
      return await job();
    } finally {
      const next = this.line.shift();
      if (next) next();
      else this.running--;
    }
  }
}
