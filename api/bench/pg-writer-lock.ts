/**
 * Where the writers' time goes on PostgreSQL while a benchmark writes: `pg_locks` and
 * `pg_stat_activity` sampled every few milliseconds. Each sample tells whether a transaction holds
 * the writer lock (pg_advisory_xact_lock, database.ts), what its connection is doing — running a
 * statement in PostgreSQL, waiting for its commit to reach the disk (WAL), or idle in its transaction,
 * that is waiting for the API process to send its next statement — and how many others wait for the
 * lock. Writers serialize on that lock: more API processes help only with what happens outside it.
 */
import postgres from "postgres";

export interface WriterLockSamples {
  samples: number;
  /** Share of samples where a transaction held the writer lock. */
  held: number;
  /** Of the samples where it was held: the holder running a statement (not its commit's WAL flush). */
  running: number;
  /** … its commit waiting for the WAL to reach the disk. */
  flushing: number;
  /** … idle in its transaction: waiting for the API process's next statement. */
  waitingForApi: number;
  /** Mean number of transactions waiting for the lock. */
  waiters: number;
}

/** The same fields counted while sampling (each sample, each sample with the lock held, …); summary() makes them shares. */
export type Tally = WriterLockSamples;

export interface LockRow {
  granted: boolean;
  state: string | null;
  wait_event_type: string | null;
}

/** One sample's rows (the advisory locks of the database with their sessions' state) added to a tally. */
export function tallySample(tally: Tally, rows: LockRow[]): void {
  tally.samples++;
  tally.waiters += rows.filter((r) => !r.granted).length;
  const holder = rows.find((r) => r.granted);
  if (!holder) return;
  tally.held++;
  if (holder.state === "idle in transaction") tally.waitingForApi++;
  else if (holder.wait_event_type === "IO" || holder.wait_event_type === "LWLock") tally.flushing++;
  else tally.running++;
}

export function summary(t: Tally): WriterLockSamples {
  const of = (n: number, d: number) => (d === 0 ? 0 : n / d);
  return { samples: t.samples, held: of(t.held, t.samples), running: of(t.running, t.held), flushing: of(t.flushing, t.held), waitingForApi: of(t.waitingForApi, t.held), waiters: of(t.waiters, t.samples) };
}

/** Samples the database at `url` every `intervalMs` until `stop()`. */
export function sampleWriterLock(url: string, intervalMs = 10): { stop: () => Promise<WriterLockSamples> } {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const tally: Tally = { samples: 0, held: 0, running: 0, flushing: 0, waitingForApi: 0, waiters: 0 };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rows = await sql<LockRow[]>`
        SELECT l.granted, a.state, a.wait_event_type
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
      tallySample(tally, rows);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      await sql.end();
      return summary(tally);
    },
  };
}

export function describeWriterLock(s: WriterLockSamples): string {
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return (
    `writer lock held in ${pct(s.held)} of ${s.samples} samples of pg_locks; while held, its transaction was running a statement ${pct(s.running)}, ` +
    `flushing its commit ${pct(s.flushing)}, idle waiting for the API process's next statement ${pct(s.waitingForApi)}; ${s.waiters.toFixed(1)} transactions waiting for it on average`
  );
}
