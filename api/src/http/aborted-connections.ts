/**
 * Clients hang up mid-request all the time (a closed tab, a dropped upload, a scanner giving up):
 * each is counted rather than logged with a stack trace. The first of a quiet spell is logged at
 * once; those that follow within the minute make one summary line when it ends.
 */
export class AbortedConnections {
  private counted = 0;
  private window: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: (line: string) => void = (line) => console.warn(line),
    private readonly windowMs = 60_000,
  ) {}

  /** A client went away during `what` (method and path). */
  record(what: string): void {
    if (this.window) {
      this.counted++;
      return;
    }
    this.log(`client connection aborted during ${what} (further aborts are summed up once a minute)`);
    this.openWindow();
  }

  /** Writes the summary of the minute so far, if any (at the end of each minute, and at shutdown). */
  flush(): void {
    if (this.window) clearTimeout(this.window);
    this.window = null;
    if (this.counted === 0) return;
    this.log(`${this.counted} more client connection${this.counted === 1 ? "" : "s"} aborted in the last minute`);
    this.counted = 0;
    // the next abort is counted too: at most one summary a minute while they go on
    this.openWindow();
  }

  private openWindow(): void {
    this.window = setTimeout(() => this.flush(), this.windowMs);
    this.window.unref();
  }
}
