/**
 * The PostgreSQL thread: holds the connections of one API process and runs, one at a time, the
 * statements the request thread sends it (channel.ts), answering each on the request's port. The
 * request thread waits for the answer, so its code stays synchronous on both engines.
 *
 * A connection is a server's (`postgres://…`, postgres.js, one socket each) or an in-memory PGlite
 * database (`pglite:`, PostgreSQL compiled to WebAssembly: the tests' engine where no server runs);
 * a PGlite database may be opened as a copy of another (`from`), which is how the tests get a
 * migrated database in a few milliseconds instead of migrating each one.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import type { Request, Answer } from "./protocol.js";

interface Connection {
  /** `prepare: false` for statements run once (a cursor's DECLARE, FETCH, CLOSE): not kept as prepared statements. */
  query(text: string, params: unknown[], rows: "objects" | "arrays", prepare?: boolean): Promise<{ rows: unknown[]; count: number }>;
  exec(text: string): Promise<void>;
  listen(channel: string, onMessage: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
  copy?(): Promise<Connection>;
  abandon?(): void;
}

const { port, signal } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
const ready = new Int32Array(signal);
const connections = new Map<number, Connection>();

const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const JSON_TYPES = [114, 3802]; // json, jsonb: read as their text, as SQLite's JSON functions give it
const asText = (x: string) => x;
const asNumber = (x: string) => Number(x);
const asFlag = (x: string | boolean) => (x === true || x === "t" ? 1 : 0);

/** Texts that open and end a transaction (database.ts sends them alone, as `exec`). */
const BEGINS = /^\s*BEGIN\b/i;
const ENDS = /^\s*(COMMIT|END|ROLLBACK|ABORT)\s*;?\s*$/i;
const ROLLBACK = /^\s*(ROLLBACK|ABORT)\s*;?\s*$/i;

/**
 * A server's connection. The transaction a request thread runs is a BEGIN, statements and a COMMIT
 * sent one by one; postgres.js, finding its socket closed between two of them (the server stopped
 * or restarted, the network broke), would run the next ones on a new connection, each committed on
 * its own: half a use-case. So once the socket of an open transaction closes, the transaction is
 * lost: every statement is refused as "unavailable" until the request thread's ROLLBACK, which
 * ends it (the server rolled it back when the connection went).
 *
 * `abandon()` (a request that waited longer than PASSERELLE_DATABASE_TIMEOUT_MS) closes the
 * connection at once: what it was running and what was queued behind it fail, an open transaction
 * is lost (the server rolls it back), and the next request connects again.
 */
async function server(url: string): Promise<Connection & { abandon(): void }> {
  const { default: postgres } = await import("postgres");
  let transaction: "none" | "open" | "lost" = "none";
  const listening: Array<[string, (payload: string) => void]> = [];
  const connect = () => {
    const client = postgres(url, {
      max: 1,
      onnotice: () => {},
      connect_timeout: 10,
      // while the server is away each request is refused at once until the next attempt to connect:
      // attempts at most a second apart, so that requests are served again within a second of its
      // return (postgres.js's own backoff grows to 20 s between attempts some ten seconds into an outage)
      backoff: (attempt: number) => Math.min(0.01 * 2 ** attempt, 1),
      // a connection retired at the end of its lifetime between two statements would lose the transaction
      max_lifetime: null,
      onclose: () => {
        if (client === sql && transaction === "open") transaction = "lost";
      },
      types: {
        bigint: { to: INT8, from: [INT8], serialize: (x: number) => String(x), parse: asNumber },
        numeric: { to: NUMERIC, from: [NUMERIC], serialize: (x: number) => String(x), parse: asNumber },
        flag: { to: BOOL, from: [BOOL], serialize: (x: unknown) => (x ? "t" : "f"), parse: asFlag },
        jsonText: { to: 114, from: JSON_TYPES, serialize: asText, parse: asText },
      } as never,
    });
    return client;
  };
  let sql = connect();
  /** Runs one request's text in the transaction's state, and moves the state on. */
  const run = async <T>(text: string, send: () => Promise<T>): Promise<T | undefined> => {
    if (transaction === "lost") {
      if (ROLLBACK.test(text)) return void (transaction = "none");
      throw Object.assign(new Error("The connection to PostgreSQL closed during the transaction, which PostgreSQL rolled back"), { code: "CONNECTION_CLOSED" });
    }
    try {
      const result = await send();
      if (BEGINS.test(text)) transaction = "open";
      return result;
    } finally {
      if (ENDS.test(text) && transaction === "open") transaction = "none";
    }
  };
  return {
    async query(text, params, rows, prepare = true) {
      const result = await run(text, async () => {
        const statement = sql.unsafe(text, params as never[], { prepare });
        return rows === "arrays" ? await statement.values() : await statement;
      });
      return result ? { rows: [...result], count: result.count } : { rows: [], count: 0 };
    },
    exec: async (text) => void (await run(text, () => sql.unsafe(text))),
    listen: async (channel, onMessage) => {
      listening.push([channel, onMessage]);
      await sql.listen(channel, onMessage);
    },
    close: () => sql.end({ timeout: 5 }),
    abandon() {
      if (transaction === "open") transaction = "lost";
      const old = sql;
      sql = connect();
      void old.end({ timeout: 0 }).catch(() => undefined);
      // LISTEN again on the new connection (postgres.js connects when it is first used)
      for (const [channel, onMessage] of listening) void sql.listen(channel, onMessage).catch((error: unknown) => console.error(`[postgres] LISTEN ${channel} failed:`, error));
    },
  };
}

let pgliteTemplate: Promise<typeof import("@electric-sql/pglite")> | undefined;

async function pglite(from?: Connection & { db?: unknown }): Promise<Connection> {
  const lib = await (pgliteTemplate ??= import("@electric-sql/pglite"));
  const { citext } = await import("@electric-sql/pglite/contrib/citext");
  type Db = InstanceType<typeof lib.PGlite>;
  const parsers = { [INT8]: asNumber, [NUMERIC]: asNumber, [BOOL]: asFlag, [JSON_TYPES[0]!]: asText, [JSON_TYPES[1]!]: asText };
  const source = (from as { db?: Db } | undefined)?.db;
  const db: Db = source ? ((await source.clone()) as Db) : await lib.PGlite.create({ extensions: { citext }, parsers });
  const listeners: Array<() => Promise<void>> = [];
  return {
    db,
    async query(text, params, rows) {
      const result = await db.query(text, params, { rowMode: rows === "arrays" ? "array" : "object", parsers });
      return { rows: result.rows, count: result.affectedRows ?? 0 };
    },
    exec: async (text) => void (await db.exec(text)),
    listen: async (channel, onMessage) => void listeners.push(await db.listen(channel, onMessage)),
    close: async () => {
      for (const stop of listeners) await stop();
      await db.close();
    },
  } as Connection & { db: Db };
}

async function handle(request: Request): Promise<Answer> {
  switch (request.op) {
    case "open": {
      const from = request.from === undefined ? undefined : connections.get(request.from);
      connections.set(request.id, request.url.startsWith("pglite:") ? await pglite(from) : await server(request.url));
      return { ok: true };
    }
    case "query": {
      const result = await connection(request.id).query(request.text, request.params, request.rows);
      return { ok: true, rows: result.rows, count: result.count };
    }
    case "exec":
      await connection(request.id).exec(request.text);
      return { ok: true };
    case "listen":
      await connection(request.id).listen(request.channel, (payload) => parentPort!.postMessage({ connection: request.id, channel: request.channel, payload }));
      return { ok: true };
    case "abandon":
      return { ok: true };
    case "declare": {
      // named per stream and never prepared: a cursor lives for one stream
      await connection(request.id).query(`DECLARE ${cursorName(request.cursor)} NO SCROLL CURSOR ${request.hold ? "WITH HOLD " : ""}FOR ${request.text}`, request.params, "arrays", false);
      return { ok: true };
    }
    case "fetch": {
      const on = connection(request.id);
      const name = cursorName(request.cursor);
      const result = request.count > 0 ? await on.query(`FETCH FORWARD ${Math.floor(request.count)} FROM ${name}`, [], request.rows, false) : { rows: [] };
      // the last batch closes the cursor in the same round trip (a WITH HOLD one would stay until the session ends)
      if (result.rows.length < request.count || request.count === 0) await on.query(`CLOSE ${name}`, [], "arrays", false);
      return { ok: true, rows: result.rows };
    }
    case "close": {
      const closing = connections.get(request.id);
      connections.delete(request.id);
      await closing?.close();
      return { ok: true };
    }
  }
}

/** Cursor names come from the request thread; only plain identifiers reach SQL. */
function cursorName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid cursor name ${JSON.stringify(name)}`);
  return name;
}

function connection(id: number): Connection {
  const found = connections.get(id);
  if (!found) throw Object.assign(new Error(`no PostgreSQL connection ${id}`), { code: "CONNECTION_CLOSED" });
  return found;
}

port.on("message", (request: Request & { seq: number }) => {
  // at once, before the requests queued behind it: the request thread gave up waiting (no answer)
  if (request.op === "abandon") return connections.get(request.id)?.abandon?.();
  void handle(request).then(
    (answer) => reply({ ...answer, seq: request.seq }),
    (error: unknown) => reply({ ok: false, seq: request.seq, error: describe(error) }),
  );
});

/** Posts the answer, then counts it: the request thread waits for the count to change (channel.ts). */
function reply(answer: Answer & { seq: number }): void {
  port.postMessage(answer);
  Atomics.add(ready, 0, 1);
  Atomics.notify(ready, 0);
}

function describe(error: unknown): { message: string; code?: string; detail?: string; constraint?: string } {
  const e = error as { message?: string; code?: string; detail?: string; constraint_name?: string; constraint?: string };
  return { message: e?.message ?? String(error), code: e?.code, detail: e?.detail, constraint: e?.constraint_name ?? e?.constraint };
}
