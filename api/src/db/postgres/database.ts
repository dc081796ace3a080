/**
 * A PostgreSQL database behind the same synchronous interface as better-sqlite3's: `prepare(sql)`
 * with `get`, `all`, `run`, `iterate`, `pluck` and `raw`; `exec`; `transaction(fn)` with its
 * `immediate()`; `inTransaction`. The services keep one text per statement (SQLite's), rewritten
 * once by dialect.ts, and one set of use-cases for both engines.
 *
 * Transactions keep SQLite's guarantees across processes:
 * - `immediate()` (every use-case's `inTransaction`) takes the database's writer lock first
 *   (`pg_advisory_xact_lock`), so writers run one at a time as they do on SQLite with `BEGIN
 *   IMMEDIATE`, whichever API process they run in: numbering stays gapless and in date order,
 *   payments are checked against what is due, a lock and an issue never cross;
 * - a deferred transaction (reads that must agree with each other) is `REPEATABLE READ`: one
 *   snapshot, as SQLite's read transaction;
 * - a transaction inside another is a savepoint.
 *
 * A long read (an export streaming over many turns of the event loop) gets a reader of its own
 * (`openReader()`): on a server, a second connection inside a `REPEATABLE READ READ ONLY`
 * transaction, so the stream reads one snapshot while the main connection goes on serving other
 * requests, and its big queries are read through server-side cursors (`PostgresStatement.cursor`,
 * `DECLARE … CURSOR` then `FETCH n`), batch after batch, instead of page queries. PGlite has one
 * connection per database: its reader shares it, outside any transaction, as SQLite's in-memory
 * database is read through its own connection; its cursors are `WITH HOLD` (each one materialized
 * when declared, the snapshot of that query, and closed when read to its end or when the reader closes).
 */
import { toPostgres, type KeyColumns, type ParameterSource, type PostgresText } from "./dialect.js";
import { PostgresError, postgresChannel, type PostgresChannel } from "./channel.js";
import { redactedUrl } from "./urls.js";

/** The number of the writer lock (`pg_advisory_xact_lock`): any constant, the same in every process. */
const WRITER_LOCK = 0x5041_5353; // "PASS"

type Mode = "objects" | "pluck" | "raw";
let cursorCount = 0;
type RunResult = { changes: number; lastInsertRowid: number };

export class PostgresDatabase {
  readonly engine = "postgres";
  readonly memory: boolean;
  readonly readonly: boolean;
  /** A reader (openReader): its long queries are read through cursors (keysetPages, db/pages.ts). */
  readonly streams: boolean;
  open = true;
  private depth = 0;
  /** The cursors a reader has open, closed with it. */
  private readonly cursors = new Set<PostgresCursor>();
  private readonly texts = new Map<string, PostgresText>();
  private keys: KeyColumns = new Map();

  private constructor(
    readonly name: string,
    private readonly channel: PostgresChannel,
    private readonly id: number,
    private readonly url: string,
    /** The database whose connection a PGlite reader shares (and whose transactions are its own). */
    private readonly parent?: PostgresDatabase,
    reader = false,
  ) {
    this.memory = name.startsWith("pglite:");
    this.readonly = reader;
    this.streams = reader;
  }

  /** Connects to `url` (`postgres://…`, or `pglite:` for an in-memory PGlite, optionally a copy of `from`). */
  static connect(url: string, from?: PostgresDatabase): PostgresDatabase {
    const channel = postgresChannel();
    const id = channel.connectionId();
    channel.ask({ op: "open", id, url, from: from?.id });
    return new PostgresDatabase(redactedUrl(url), channel, id, url);
  }

  /**
   * A reader for one long read: on a server, a connection of its own in a read-only snapshot
   * (`REPEATABLE READ`) until `close()`; on PGlite, this database's one connection (see above).
   */
  openReader(): { db: PostgresDatabase; close(): void } {
    if (this.memory) {
      const view = new PostgresDatabase(this.name, this.channel, this.id, this.url, this.parent ?? this, true);
      view.keys = this.keys;
      return { db: view, close: () => view.closeCursors() };
    }
    const id = this.channel.connectionId();
    let reader: PostgresDatabase;
    try {
      this.channel.ask({ op: "open", id, url: this.url });
      reader = new PostgresDatabase(this.name, this.channel, id, this.url, undefined, true);
      reader.keys = this.keys;
      reader.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      reader.depth = 1;
    } catch (error) {
      try {
        this.channel.ask({ op: "close", id });
      } catch {
        // never opened
      }
      throw error;
    }
    return {
      db: reader,
      close: () => {
        if (!reader.open) return;
        try {
          reader.exec("COMMIT"); // read only: ends the snapshot (and its cursors)
        } catch {
          // the connection is gone: so is its transaction
        } finally {
          reader.close();
        }
      },
    };
  }

  private closeCursors(): void {
    for (const cursor of [...this.cursors]) cursor.close();
  }

  /** Reads which tables PostgreSQL numbers, so that an INSERT into one returns its key (after migrations). */
  learnSchema(): void {
    const rows = this.query("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'", [], "arrays");
    this.keys = new Map(rows.rows.map((r) => [String((r as unknown[])[0]), String((r as unknown[])[1])]));
    this.texts.clear();
  }

  get inTransaction(): boolean {
    return (this.parent ?? this).depth > 0;
  }

  prepare(sql: string): PostgresStatement {
    if (!this.open) throw new TypeError("The database connection is not open");
    let text = this.texts.get(sql);
    if (!text) this.texts.set(sql, (text = toPostgres(sql, this.keys)));
    return new PostgresStatement(this, sql, text, "objects");
  }

  exec(sql: string): this {
    this.channel.ask({ op: "exec", id: this.id, text: sql });
    return this;
  }

  /** better-sqlite3's `transaction(fn)`: calling it runs `fn` in a transaction; `.immediate()` as a writer. */
  transaction<A extends unknown[], T>(fn: (...args: A) => T): ReturnType<PostgresDatabase["ownTransaction"]> {
    // a PGlite reader's transactions are those of the connection it shares
    return (this.parent ?? this).ownTransaction(fn) as never;
  }

  private ownTransaction<A extends unknown[], T>(fn: (...args: A) => T) {
    const run = (begin: string) => (...args: A): T => {
      const outer = this.depth === 0;
      const savepoint = `s${this.depth}`;
      this.exec(outer ? begin : `SAVEPOINT ${savepoint}`);
      this.depth++;
      // the depth goes back once, whether the function or the COMMIT fails: a COMMIT refused (the
      // connection lost under it, a deferred constraint) leaves the connection outside any
      // transaction, and its next transaction begins as the first one did
      let ended = false;
      const end = () => ended || ((ended = true), this.depth--);
      try {
        const result = fn(...args);
        // as better-sqlite3: a use-case that awaited would commit before its awaits ran, and let
        // other requests' statements into its transaction
        if (typeof (result as { then?: unknown } | null)?.then === "function") throw new TypeError("Transaction function cannot return a promise");
        end();
        this.exec(outer ? "COMMIT" : `RELEASE ${savepoint}`);
        return result;
      } catch (error) {
        end();
        try {
          this.exec(outer ? "ROLLBACK" : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        } catch {
          // the connection is gone: the server rolled back
        }
        throw error;
      }
    };
    const writer = run(`BEGIN; SELECT pg_advisory_xact_lock(${WRITER_LOCK})`);
    return Object.assign(run("BEGIN ISOLATION LEVEL REPEATABLE READ"), { deferred: run("BEGIN ISOLATION LEVEL REPEATABLE READ"), immediate: writer, exclusive: writer });
  }

  /** SQLite's settings have no meaning here; reading one the code relies on is a mistake to find. */
  pragma(source: string): unknown[] {
    throw new Error(`PRAGMA ${source} is SQLite's: not available on PostgreSQL`);
  }

  /** Calls `listener` with each NOTIFY on `channel` (the connection's thread holds the LISTEN). */
  listen(channel: string, listener: (payload: string) => void): void {
    this.channel.listen(this.id, channel, listener);
  }

  close(): this {
    if (!this.open) return this;
    this.open = false;
    if (this.parent) return this.closeCursors(), this; // a PGlite reader: the connection stays its database's
    this.channel.ask({ op: "close", id: this.id });
    return this;
  }

  /** @internal */
  query(text: string, params: unknown[], rows: "objects" | "arrays") {
    if (!this.open) throw new TypeError("The database connection is not open");
    try {
      return this.channel.ask({ op: "query", id: this.id, text, params, rows });
    } catch (error) {
      // which statement failed, for the server's log (a client never sees a database's message)
      if (error instanceof PostgresError) {
        error.statement = text;
        error.message += ` — in: ${text.replace(/\s+/g, " ").slice(0, 300)}`;
      }
      throw error;
    }
  }

  /** @internal */
  declare(text: string, params: unknown[], mode: Mode): PostgresCursor {
    if (!this.open) throw new TypeError("The database connection is not open");
    const name = `passerelle_cursor_${++cursorCount}`;
    // outside a transaction a cursor must be WITH HOLD to outlive the statement that declares it
    this.channel.ask({ op: "declare", id: this.id, cursor: name, text, params, hold: !this.inTransaction });
    const cursor = new PostgresCursor(this, name, mode);
    this.cursors.add(cursor);
    return cursor;
  }

  /** @internal */
  fetch(cursor: PostgresCursor, name: string, count: number, rows: "objects" | "arrays"): unknown[] {
    try {
      return this.channel.ask({ op: "fetch", id: this.id, cursor: name, count, rows }).rows;
    } catch (error) {
      this.cursors.delete(cursor);
      throw error;
    }
  }

  /** @internal */
  forget(cursor: PostgresCursor): void {
    this.cursors.delete(cursor);
  }
}

export class PostgresStatement {
  readonly reader: boolean;
  /** Not an INSERT: a NUL among its parameters can only be a key looked up (see toWire). */
  private readonly lookup: boolean;

  constructor(
    private readonly db: PostgresDatabase,
    readonly source: string,
    private readonly text: PostgresText,
    private readonly mode: Mode,
  ) {
    this.reader = /^\s*(SELECT|WITH|VALUES)\b/i.test(source) || /\bRETURNING\b/i.test(source);
    this.lookup = /^\s*(SELECT|UPDATE|DELETE)\b/i.test(source);
  }

  pluck(on = true): PostgresStatement {
    return new PostgresStatement(this.db, this.source, this.text, on ? "pluck" : this.mode === "pluck" ? "objects" : this.mode);
  }

  raw(on = true): PostgresStatement {
    return new PostgresStatement(this.db, this.source, this.text, on ? "raw" : this.mode === "raw" ? "objects" : this.mode);
  }

  get(...args: unknown[]): unknown {
    return this.rows(args)[0];
  }

  all(...args: unknown[]): unknown[] {
    return this.rows(args);
  }

  *iterate(...args: unknown[]): IterableIterator<unknown> {
    yield* this.rows(args);
  }

  /** A server-side cursor over the statement's rows (`fetch(n)` reads the next n); PostgreSQL only, see keysetPages (db/pages.ts). */
  cursor(...args: unknown[]): PostgresCursor {
    return this.db.declare(this.text.text, bind(this.text.parameters, args, this.lookup), this.mode);
  }

  run(...args: unknown[]): RunResult {
    const result = this.db.query(this.text.text, bind(this.text.parameters, args, this.lookup), "arrays");
    const key = this.text.returnsKey ? (result.rows[0] as unknown[] | undefined)?.[0] : undefined;
    return { changes: result.count, lastInsertRowid: typeof key === "number" ? key : 0 };
  }

  private rows(args: unknown[]): unknown[] {
    const arrays = this.mode !== "objects";
    const { rows } = this.db.query(this.text.text, bind(this.text.parameters, args, this.lookup), arrays ? "arrays" : "objects");
    for (const row of rows) fromWire(row as Record<string, unknown>);
    return this.mode === "pluck" ? rows.map((row) => (row as unknown[])[0]) : rows;
  }
}

/** A server-side cursor: rows in statement order, `count` at a time, on the connection that declared it. */
export class PostgresCursor {
  private done = false;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly name: string,
    private readonly mode: Mode,
  ) {}

  /** The next `count` rows; fewer (then none) at the end, where the cursor has closed itself. */
  fetch(count: number): unknown[] {
    if (this.done || count <= 0) return [];
    const rows = this.db.fetch(this, this.name, count, this.mode === "objects" ? "objects" : "arrays");
    if (rows.length < count) this.finish();
    for (const row of rows) fromWire(row as Record<string, unknown>);
    return this.mode === "pluck" ? rows.map((row) => (row as unknown[])[0]) : rows;
  }

  /** Closes the cursor before its end (a stream stopped early); nothing when it is closed already. */
  close(): void {
    if (this.done) return;
    this.finish();
    try {
      this.db.fetch(this, this.name, 0, "arrays");
    } catch {
      // its transaction ended (and took the cursor with it), or its connection is gone
    }
  }

  private finish(): void {
    this.done = true;
    this.db.forget(this);
  }
}

/** Binds arguments as better-sqlite3 does: values (arrays spread) by position, plain objects by name. */
function bind(parameters: ParameterSource[], args: unknown[], lookup: boolean): unknown[] {
  const positional: unknown[] = [];
  const named: Record<string, unknown> = {};
  const take = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(take);
    else if (value !== null && typeof value === "object" && !(value instanceof Uint8Array) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) Object.assign(named, value);
    else positional.push(value);
  };
  args.forEach(take);
  return parameters.map((source) => {
    if ("name" in source) {
      if (!(source.name in named)) throw new RangeError(`Missing named parameter "${source.name}"`);
      return toWire(named[source.name], lookup);
    }
    if (source.index >= positional.length) throw new RangeError("Too few parameter values were provided");
    return toWire(positional[source.index], lookup);
  });
}

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can). Outside an INSERT it can only be a key looked
 * up (an id in a URL: SELECT, or UPDATE/DELETE … WHERE id = ?), since the API refuses control
 * characters in every text it stores (text-fields.test.ts); such a key matches no row on SQLite:
 * here it is sent as U+FFFF, a noncharacter no stored text holds, so that it matches none either and
 * the answer is SQLite's (404 or 403, not a 500). An INSERT keeps it, and PostgreSQL refuses it: a
 * copy never stores something other than what it read.
 */
const NUL = /\u0000/g;

function toWire(value: unknown, lookup: boolean): unknown {
  if (value === undefined) throw new TypeError("SQLite3 can only bind numbers, strings, bigints, buffers, and null");
  if (typeof value === "bigint") return Number(value);
  if (lookup && typeof value === "string" && value.includes("\u0000")) return value.replace(NUL, "\uffff");
  return value;
}

/** Bytes come back from the database's thread as Uint8Array: Buffers, as better-sqlite3 gives them. */
function fromWire(row: Record<string, unknown> | unknown[]): void {
  for (const key in row) {
    const value = (row as Record<string, unknown>)[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) (row as Record<string, unknown>)[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
}
