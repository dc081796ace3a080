/**
 * The request thread's side of the PostgreSQL thread (worker.ts): `ask()` sends one request and
 * waits for its answer, so a statement on PostgreSQL is as synchronous for the services as one on
 * better-sqlite3. The wait spins briefly (an answer usually comes back within tens of microseconds,
 * sooner than a sleeping thread wakes) and then sleeps until the shared count of answers changes.
 *
 * One thread per process serves every connection of the process. Notifications (LISTEN) arrive as
 * ordinary messages on the thread's parent port, handled between requests.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { Answer, DatabaseErrorDetail, Request } from "./protocol.js";

/** A request the database did not answer in time, or a database that cannot be reached: the API answers 503. */
export class DatabaseUnavailableError extends Error {
  readonly code = "DATABASE_UNAVAILABLE";
}

/** An error PostgreSQL or its driver reported, with its SQLSTATE in `code`. */
export class PostgresError extends Error {
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly constraint: string | undefined;
  /** The statement as PostgreSQL received it (after dialect.ts). */
  statement: string | undefined;
  constructor(error: DatabaseErrorDetail) {
    super(error.message);
    this.name = "PostgresError";
    this.code = error.code;
    this.detail = error.detail;
    this.constraint = error.constraint;
  }
}

/** SQLSTATE classes and driver codes that mean the server is gone or refusing, not that the request was wrong. */
const UNAVAILABLE = /^(08|53|57P0[1-3])|^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED|CONNECT_TIMEOUT|EPIPE)$/;

const SPIN = 5_000;
/** How long opening a connection may take at least, whatever PASSERELLE_DATABASE_TIMEOUT_MS says. */
const OPENING_MS = 30_000;

function workerEntry(): URL {
  if (!import.meta.url.endsWith(".ts")) return new URL("./postgres-worker.mjs", import.meta.url);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(new URL("./worker.ts", import.meta.url).href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(entry)}`);
}

type Listener = (payload: string) => void;

export class PostgresChannel {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private seq = 0;
  private nextConnection = 1;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly timeoutMs = 30_000) {
    const signal = new SharedArrayBuffer(4);
    this.flag = new Int32Array(signal);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerEntry(), { workerData: { port: port2, signal }, transferList: [port2] });
    this.worker.on("message", (m: { connection: number; channel: string; payload: string }) => {
      for (const listener of this.listeners.get(`${m.connection}:${m.channel}`) ?? []) listener(m.payload);
    });
    this.worker.on("error", (error) => console.error("[postgres] the database thread failed:", error));
    this.worker.unref(); // the thread lives as long as the process, and never keeps it alive
  }

  /** A new connection number, to open with `ask({ op: "open", … })`. */
  connectionId(): number {
    return this.nextConnection++;
  }

  /** Sends `request` and waits for its answer. */
  ask(request: Request): { rows: unknown[]; count: number } {
    const seq = ++this.seq;
    this.port.postMessage({ ...request, seq });
    let answer: (Answer & { seq: number }) | undefined;
    // opening includes the thread's own start (loading the driver), which no database answer measures
    const timeoutMs = request.op === "open" ? Math.max(this.timeoutMs, OPENING_MS) : this.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // the count of answers sent so far, read before the port: an answer sent after this read
      // changes it, so the wait below cannot sleep through it (a late answer to a request that gave
      // up counts too, and only wakes the wait for one more look at the port)
      const answers = Atomics.load(this.flag, 0);
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
        const received = m.message as Answer & { seq: number };
        if (received.seq === seq) answer = received; // an older answer came after its request gave up: dropped
      }
      if (answer) break;
      if (Date.now() >= deadline) {
        // the thread closes the connection: the statement stops, a transaction is rolled back, the next request connects again
        if (request.op === "query" || request.op === "exec" || request.op === "declare" || request.op === "fetch") this.port.postMessage({ op: "abandon", id: request.id, seq: 0 });
        throw new DatabaseUnavailableError(`PostgreSQL did not answer within ${timeoutMs} ms`);
      }
      for (let spin = 0; spin < SPIN && Atomics.load(this.flag, 0) === answers; spin++);
      Atomics.wait(this.flag, 0, answers, Math.max(1, deadline - Date.now()));
    }
    if (!answer.ok) {
      if (UNAVAILABLE.test(answer.error.code ?? "")) throw new DatabaseUnavailableError(answer.error.message);
      throw new PostgresError(answer.error);
    }
    return { rows: answer.rows ?? [], count: answer.count ?? 0 };
  }

  /** Calls `listener` with each notification on `channel` of connection `id` (between requests). */
  listen(id: number, channel: string, listener: Listener): void {
    const key = `${id}:${channel}`;
    const known = this.listeners.get(key);
    if (known) known.add(listener);
    else {
      this.listeners.set(key, new Set([listener]));
      this.ask({ op: "listen", id, channel });
    }
  }
}

let shared: PostgresChannel | undefined;

/** The process's PostgreSQL thread, started on first use. */
export function postgresChannel(): PostgresChannel {
  return (shared ??= new PostgresChannel(Number(process.env.PASSERELLE_DATABASE_TIMEOUT_MS ?? 30_000)));
}
