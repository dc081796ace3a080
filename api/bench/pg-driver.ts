/**
 * `node --import tsx bench/pg-driver.ts [--invoices 20000] [--rounds 5]`
 *
 * The PostgreSQL driver for Passerelle: postgres (postgres.js) against pg (node-postgres), on a
 * real PostgreSQL server, on the schema of src/db/migrations-pg applied to an empty database, with
 * better-sqlite3 (what the API uses today) on the same rows as the reference. Measured, each on one
 * connection, as the API's use-cases would use them:
 *
 * - point read: one invoice by id (`SELECT * … WHERE id = ?`), one after the other;
 * - journal page: 1,000 issued invoices with their customer, in journal order from a keyset cursor;
 * - batch insert: 1,000 activity rows in one transaction, one INSERT per row (as the API writes
 *   today), the same INSERTs pipelined (postgres.js sends them all before the first answer; pg
 *   cannot), and as one INSERT of the rows unnested from arrays;
 * - pipelined reads: 1,000 point reads asked at once (what concurrent requests on one connection do).
 *
 * pg runs each query as an unnamed statement (parsed and planned on every run) unless it is given a
 * name, so it is measured both ways. Every driver reads bigint (cents, counters) as a JavaScript
 * number, as the API needs. The server: PASSERELLE_BENCH_POSTGRES_URL, by default the local role and
 * database made by docs/postgresql.md's steps. The database's schema `public` is dropped and made
 * again. The table is printed and written to bench/results/pg-driver.md (+ .json).
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import postgres from "postgres";
import { API_DIR } from "../src/paths.js";
import { machine, ms, packageVersion, ratio, stats, type Stats } from "./support.js";

const URL = process.env.PASSERELLE_BENCH_POSTGRES_URL ?? "postgres://passerelle_bench:passerelle_bench@127.0.0.1:5432/passerelle_bench";
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const INVOICES = arg("invoices", 20_000);
const ROUNDS = arg("rounds", 5);
const PAGE = 1_000;
const BATCH = 1_000;
const POINT_READS = 1_000;
const PG_MIGRATIONS_DIR = path.join(API_DIR, "src", "db", "migrations-pg");

/** A seeded generator, so each driver reads the same ids and pages. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const invoiceId = (n: number) => `inv_${pad(n, 8)}`;

/** The rows every engine holds: one company, 200 customers, INVOICES issued invoices over a year. */
function rows() {
  const customers = Array.from({ length: 200 }, (_, i) => ({ id: `cus_${pad(i + 1, 4)}`, code: `C${pad(i + 1, 4)}`, name: `Client ${i + 1}` }));
  const invoices = Array.from({ length: INVOICES }, (_, i) => {
    const n = i + 1;
    const day = new Date(Date.UTC(2026, 0, 1) + Math.floor((i * 365) / INVOICES) * 86_400_000).toISOString().slice(0, 10);
    const ht = 10_000 + ((n * 7919) % 500_000);
    const vat = Math.round(ht / 5);
    return { id: invoiceId(n), number: `F2026-${pad(n, 6)}`, counter: n, customer: customers[n % 200]!.id, day, ht, vat, ttc: ht + vat, paid: n % 3 === 0 ? ht + vat : 0 };
  });
  return { customers, invoices };
}

const JOURNAL_COLUMNS = "i.id, i.number, i.issue_date, i.type, i.status, c.code AS customer_code, c.name AS customer_name, i.ht_cents, i.vat_cents, i.ttc_cents, i.paid_cents";
const JOURNAL_FROM = "FROM invoices i JOIN customers c ON c.id = i.customer_id";
const JOURNAL_ORDER = "ORDER BY i.issue_date, i.series_key, i.series_counter";
const SQL = {
  point: "SELECT * FROM invoices WHERE id = $1",
  page: `SELECT ${JOURNAL_COLUMNS} ${JOURNAL_FROM} WHERE i.company_id = $1 AND i.number IS NOT NULL AND (i.issue_date, i.series_key, i.series_counter) > ($2, $3, $4) ${JOURNAL_ORDER} LIMIT ${PAGE}`,
  insertOne: "INSERT INTO activity (company_id, seq, at, actor_id, action, record_kind, record_id, after_json, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
  insertMany:
    "INSERT INTO activity (company_id, seq, at, actor_id, action, record_kind, record_id, after_json, hash) " +
    "SELECT 'cmp_bench', seq, at, 'usr_bench', 'create', 'invoice', record_id, after_json, hash FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS r(seq, at, record_id, after_json, hash)",
};

interface Workload {
  pointIds: string[][];
  pageStarts: { day: string; counter: number }[][];
}

function workload(): Workload {
  const next = random(2026);
  const pointIds = Array.from({ length: ROUNDS }, () => Array.from({ length: POINT_READS }, () => invoiceId(1 + Math.floor(next() * INVOICES))));
  const pageStarts = Array.from({ length: ROUNDS }, () =>
    Array.from({ length: 20 }, () => {
      const n = 1 + Math.floor(next() * Math.max(1, INVOICES - PAGE));
      return { day: new Date(Date.UTC(2026, 0, 1) + Math.floor(((n - 1) * 365) / INVOICES) * 86_400_000).toISOString().slice(0, 10), counter: n };
    }),
  );
  return { pointIds, pageStarts };
}

/** 1,000 activity rows after `from`, as the API would append them. */
function activityRows(from: number) {
  return Array.from({ length: BATCH }, (_, i) => {
    const seq = from + i;
    return { seq, at: "2026-06-01T10:00:00.000Z", recordId: invoiceId(1 + (seq % INVOICES)), afterJson: `{"id":"${invoiceId(1 + (seq % INVOICES))}","status":"issued","ttcCents":${1000 + seq}}`, hash: `h${pad(seq, 63)}` };
  });
}

/** What one driver does, each call timed alone. */
interface Driver {
  name: string;
  point(id: string): Promise<unknown>;
  page(day: string, counter: number): Promise<unknown[]>;
  insertEach(rows: ReturnType<typeof activityRows>): Promise<void>;
  insertMany(rows: ReturnType<typeof activityRows>): Promise<void>;
  /** One INSERT per row, all sent before the first answer comes back (a driver that pipelines). */
  insertPipelined?(rows: ReturnType<typeof activityRows>): Promise<void>;
  pointsAtOnce(ids: string[]): Promise<unknown[]>;
  close(): Promise<void>;
}

const columnsOf = (rows: ReturnType<typeof activityRows>) => [rows.map((r) => r.seq), rows.map((r) => r.at), rows.map((r) => r.recordId), rows.map((r) => r.afterJson), rows.map((r) => r.hash)];

/** int8 as a number (cents and counters stay far below 2^53), read from the bytes without a string. */
const int8AsNumber = {
  to: 20,
  from: [20],
  serialize: (x: number) => String(x),
  parse: (x: string) => Number(x),
};

function postgresJs(): Driver {
  const sql = postgres(URL, { max: 1, onnotice: () => {}, types: { bigint: int8AsNumber } });
  return {
    name: "postgres (postgres.js)",
    point: async (id) => (await sql.unsafe(SQL.point, [id], { prepare: true }))[0],
    page: (day, counter) => sql.unsafe(SQL.page, ["cmp_bench", day, "F2026", counter], { prepare: true }),
    insertEach: async (rows) => {
      await sql.begin(async (tx) => {
        for (const r of rows) await tx.unsafe(SQL.insertOne, ["cmp_bench", r.seq, r.at, "usr_bench", "create", "invoice", r.recordId, r.afterJson, r.hash], { prepare: true });
      });
    },
    insertMany: async (rows) => {
      await sql.begin(async (tx) => {
        await tx.unsafe(SQL.insertMany, columnsOf(rows) as never[], { prepare: true });
      });
    },
    insertPipelined: async (rows) => {
      await sql.begin(async (tx) => {
        await Promise.all(rows.map((r) => tx.unsafe(SQL.insertOne, ["cmp_bench", r.seq, r.at, "usr_bench", "create", "invoice", r.recordId, r.afterJson, r.hash], { prepare: true })));
      });
    },
    pointsAtOnce: (ids) => Promise.all(ids.map(async (id) => (await sql.unsafe(SQL.point, [id], { prepare: true }))[0])),
    close: () => sql.end(),
  };
}

async function nodePostgres(named: boolean): Promise<Driver> {
  const types = { getTypeParser: (oid: number, format?: string) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as "text")) };
  // A pool of one connection: queries asked while it is busy wait in the pool's queue (a bare
  // client queues them too, but that use is deprecated).
  const pool = new pg.Pool({ connectionString: URL, max: 1, types: types as pg.CustomTypesConfig });
  const q = (on: pg.Pool | pg.PoolClient, name: string, text: string, values: unknown[]) => on.query(named ? { name, text, values } : { text, values });
  const inTransaction = async (fn: (client: pg.PoolClient) => Promise<void>) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await fn(client);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  };
  return {
    name: named ? "pg (named statements)" : "pg",
    point: async (id) => (await q(pool, "point", SQL.point, [id])).rows[0],
    page: async (day, counter) => (await q(pool, "page", SQL.page, ["cmp_bench", day, "F2026", counter])).rows,
    insertEach: (rows) =>
      inTransaction(async (client) => {
        for (const r of rows) await q(client, "insert_one", SQL.insertOne, ["cmp_bench", r.seq, r.at, "usr_bench", "create", "invoice", r.recordId, r.afterJson, r.hash]);
      }),
    insertMany: (rows) =>
      inTransaction(async (client) => {
        await q(client, "insert_many", SQL.insertMany, columnsOf(rows));
      }),
    pointsAtOnce: (ids) => Promise.all(ids.map(async (id) => (await q(pool, "point", SQL.point, [id])).rows[0])),
    close: () => pool.end(),
  };
}

/** The API's engine today, on a file with the API's settings, the same rows, the same statements in SQLite's words. */
function betterSqlite(file: string): Driver {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  const point = db.prepare(SQL.point.replace("$1", "?"));
  const page = db.prepare(SQL.page.replace(/\$\d/g, "?"));
  const insertOne = db.prepare(SQL.insertOne.replace(/\$\d/g, "?"));
  const insertRows = (rows: ReturnType<typeof activityRows>) => {
    for (const r of rows) insertOne.run("cmp_bench", r.seq, r.at, "usr_bench", "create", "invoice", r.recordId, r.afterJson, r.hash);
  };
  const each = db.transaction(insertRows);
  return {
    name: "better-sqlite3 (today's engine)",
    point: async (id) => point.get(id),
    page: async (day, counter) => page.all("cmp_bench", day, "F2026", counter),
    insertEach: async (rows) => each.immediate(rows),
    // SQLite has no arrays to unnest: the same prepared INSERT per row is its fastest batch.
    insertMany: async (rows) => each.immediate(rows),
    pointsAtOnce: async (ids) => ids.map((id) => point.get(id)),
    close: async () => {
      db.close();
    },
  };
}

/** Drops and makes again the schema `public`, applies migrations-pg as the API will, and loads the rows. */
async function preparePostgres(data: ReturnType<typeof rows>) {
  const sql = postgres(URL, { max: 1, onnotice: () => {} });
  await sql.unsafe("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  await sql.unsafe("CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)");
  for (const file of fs.readdirSync(PG_MIGRATIONS_DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort()) {
    const text = fs.readFileSync(path.join(PG_MIGRATIONS_DIR, file), "utf8");
    await sql.begin(async (tx) => {
      await tx.unsafe(text);
      await tx.unsafe("INSERT INTO schema_version VALUES ($1, $2, $3)", [Number(file.slice(0, 3)), file, new Date().toISOString()]);
    });
  }
  await sql.begin(async (tx) => {
    await tx.unsafe(SEED_SQL);
    await tx.unsafe(
      "INSERT INTO customers (id, company_id, code, name, address_line1, postal_code, city, country, created_at, updated_at) " +
        "SELECT id, 'cmp_bench', code, name, '1 rue de la Paix', '75002', 'Paris', 'FR', '2026-01-01', '2026-01-01' FROM unnest($1::text[], $2::text[], $3::text[]) AS c(id, code, name)",
      [data.customers.map((c) => c.id), data.customers.map((c) => c.code), data.customers.map((c) => c.name)],
    );
    const i = data.invoices;
    await tx.unsafe(
      `INSERT INTO invoices (${INVOICE_COLUMNS}) SELECT id, 'cmp_bench', 'invoice', CASE WHEN paid > 0 THEN 'paid' ELSE 'issued' END, number, 'F2026', counter, customer, day, day, ht, vat, ttc, paid, 0, day, day, day ` +
        "FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[]) AS r(id, number, counter, customer, day, ht, vat, ttc, paid)",
      [i.map((x) => x.id), i.map((x) => x.number), i.map((x) => x.counter), i.map((x) => x.customer), i.map((x) => x.day), i.map((x) => x.ht), i.map((x) => x.vat), i.map((x) => x.ttc), i.map((x) => x.paid)] as never[],
    );
  });
  await sql.unsafe("VACUUM ANALYZE");
  const [{ version }] = (await sql.unsafe("SELECT current_setting('server_version') AS version")) as unknown as [{ version: string }];
  const [{ migrations }] = (await sql.unsafe("SELECT count(*)::int AS migrations FROM schema_version")) as unknown as [{ migrations: number }];
  await sql.end();
  return { version, migrations };
}

const SEED_SQL = `
  INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('usr_bench', 'bench@example.fr', 'Bench', 'x', '2026-01-01T00:00:00.000Z');
  INSERT INTO companies (id, name, siren, address_line1, postal_code, city, country, fiscal_year_start, payment_terms_days, created_at)
    VALUES ('cmp_bench', 'Atelier Bench', '123456789', '1 rue de la Paix', '75002', 'Paris', 'FR', '01-01', 30, '2026-01-01T00:00:00.000Z');`;
const INVOICE_COLUMNS =
  "id, company_id, type, status, number, series_key, series_counter, customer_id, issue_date, due_date, ht_cents, vat_cents, ttc_cents, paid_cents, credited_cents, created_at, updated_at, issued_at";

function prepareSqlite(file: string, data: ReturnType<typeof rows>) {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const dir = path.join(API_DIR, "src", "db", "migrations");
  for (const f of fs.readdirSync(dir).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort()) db.exec(fs.readFileSync(path.join(dir, f), "utf8"));
  db.transaction(() => {
    db.exec(SEED_SQL);
    const customer = db.prepare("INSERT INTO customers (id, company_id, code, name, address_line1, postal_code, city, country, created_at, updated_at) VALUES (?, 'cmp_bench', ?, ?, '1 rue de la Paix', '75002', 'Paris', 'FR', '2026-01-01', '2026-01-01')");
    for (const c of data.customers) customer.run(c.id, c.code, c.name);
    const invoice = db.prepare(`INSERT INTO invoices (${INVOICE_COLUMNS}) VALUES (?, 'cmp_bench', 'invoice', ?, ?, 'F2026', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`);
    for (const x of data.invoices) invoice.run(x.id, x.paid > 0 ? "paid" : "issued", x.number, x.counter, x.customer, x.day, x.day, x.ht, x.vat, x.ttc, x.paid, x.day, x.day, x.day);
  })();
  db.exec("ANALYZE");
  db.close();
}

interface Row {
  driver: string;
  point: Stats;
  page: Stats;
  insertEach: Stats;
  insertMany: Stats;
  insertPipelined: Stats | null;
  pointsAtOnce: Stats;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

interface Samples {
  point: number[];
  page: number[];
  insertEach: number[];
  insertMany: number[];
  insertPipelined: number[];
  pointsAtOnce: number[];
}

/** Warms a driver up (connection, statement caches, buffers) and returns what it reads, to check every driver reads the same rows. */
async function warmUp(driver: Driver, w: Workload): Promise<{ point: unknown; page: unknown[] }> {
  for (const id of w.pointIds[0]!.slice(0, 100)) await driver.point(id);
  const start = w.pageStarts[0]![0]!;
  const seen = { point: await driver.point(w.pointIds[0]![0]!), page: await driver.page(start.day, start.counter) };
  if (seen.page.length !== PAGE) throw new Error(`${driver.name} read ${seen.page.length} rows, not ${PAGE}`);
  return seen;
}

/** One round of the workload on one driver. */
async function round(driver: Driver, w: Workload, r: number, seq: { next: number }, into: Samples) {
  for (const id of w.pointIds[r]!) into.point.push((await timed(() => driver.point(id)))[0]);
  for (const s of w.pageStarts[r]!) into.page.push((await timed(() => driver.page(s.day, s.counter)))[0]);
  for (let b = 0; b < 3; b++) {
    into.insertEach.push((await timed(() => driver.insertEach(activityRows(seq.next))))[0]);
    seq.next += BATCH;
    into.insertMany.push((await timed(() => driver.insertMany(activityRows(seq.next))))[0]);
    seq.next += BATCH;
    if (driver.insertPipelined) {
      into.insertPipelined.push((await timed(() => driver.insertPipelined!(activityRows(seq.next))))[0]);
      seq.next += BATCH;
    }
  }
  const [t, answers] = await timed(() => driver.pointsAtOnce(w.pointIds[r]!));
  if (answers.length !== POINT_READS || answers.some((a) => a === undefined)) throw new Error(`${driver.name} lost reads`);
  into.pointsAtOnce.push(t);
}

async function main() {
  const data = rows();
  const w = workload();
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  const server = await preparePostgres(data);
  const sqliteFile = path.join(os.tmpdir(), `passerelle-pg-driver-${process.pid}.db`);
  prepareSqlite(sqliteFile, data);

  // Every driver open at once, and the rounds interleaved (each round runs on each driver in turn),
  // so a change in the machine's load falls on all of them alike.
  const drivers = [postgresJs(), await nodePostgres(false), await nodePostgres(true), betterSqlite(sqliteFile)];
  const reference = await warmUp(drivers.at(-1)!, w);
  for (const driver of drivers.slice(0, -1)) {
    const seen = await warmUp(driver, w);
    if (JSON.stringify(seen.point) !== JSON.stringify(reference.point)) throw new Error(`${driver.name} read ${JSON.stringify(seen.point)}, not ${JSON.stringify(reference.point)}`);
    if (JSON.stringify(seen.page) !== JSON.stringify(reference.page)) throw new Error(`${driver.name} read another journal page`);
  }
  const samples = drivers.map((): Samples => ({ point: [], page: [], insertEach: [], insertMany: [], insertPipelined: [], pointsAtOnce: [] }));
  // The PostgreSQL drivers share one database: each appends its batches after the last one's.
  const pgSeq = { next: 1 };
  const sqliteSeq = { next: 1 };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, driver] of drivers.entries()) await round(driver, w, r, i === drivers.length - 1 ? sqliteSeq : pgSeq, samples[i]!);
  }
  for (const driver of drivers) await driver.close();
  const results: Row[] = drivers.map((d, i) => {
    const s = samples[i]!;
    return { driver: d.name, point: stats(s.point), page: stats(s.page), insertEach: stats(s.insertEach), insertMany: stats(s.insertMany), insertPipelined: s.insertPipelined.length > 0 ? stats(s.insertPipelined) : null, pointsAtOnce: stats(s.pointsAtOnce) };
  });
  for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) fs.rmSync(f, { force: true });

  const base = results[0]!;
  const cell = (s: Stats | null, b: Stats | null) => (s === null || b === null ? "—" : `${ms(s.p50)} (p99 ${ms(s.p99)})${s === b ? "" : ` · ${ratio(s.p50, b.p50)}`}`);
  const m = machine();
  const lines = [
    `# PostgreSQL drivers: postgres against pg`,
    ``,
    `PostgreSQL ${server.version} on this machine (loopback TCP), ${server.migrations} migrations of migrations-pg applied; ${INVOICES.toLocaleString("en")} invoices of one company, 200 customers; ${ROUNDS} rounds, each run on every driver in turn. One connection per driver (pg: a pool of one). p50 (p99) per operation; after the dot, the ratio to postgres.js's p50 in this run.`,
    ``,
    `| driver | point read | journal page (${PAGE.toLocaleString("en")} rows) | ${BATCH.toLocaleString("en")} inserts, one per row, 1 transaction | the same, pipelined | ${BATCH.toLocaleString("en")} inserts, one unnest statement | ${POINT_READS.toLocaleString("en")} point reads at once |`,
    `|---|---|---|---|---|---|---|`,
    ...results.map((r) => `| ${r.driver} | ${cell(r.point, base.point)} | ${cell(r.page, base.page)} | ${cell(r.insertEach, base.insertEach)} | ${cell(r.insertPipelined, base.insertPipelined)} | ${cell(r.insertMany, base.insertMany)} | ${cell(r.pointsAtOnce, base.pointsAtOnce)} |`),
    ``,
    `better-sqlite3 runs in the process on a file with the API's settings (WAL, synchronous NORMAL); its batch is the prepared INSERT per row in both columns (SQLite has no arrays to unnest), and its reads "at once" run one after the other. pg sends a query only once the one before it has answered, so it has no pipelined column.`,
    ``,
    `Machine: ${m.cpu}, ${m.memory}, ${m.os}, Node ${m.node}; load average ${loadBefore} before, ${m.loadAverage} after. postgres ${packageVersion("postgres")}, pg ${packageVersion("pg")}, better-sqlite3 ${packageVersion("better-sqlite3")}.`,
  ];
  const text = lines.join("\n") + "\n";
  process.stdout.write(text);
  const out = path.join(API_DIR, "bench", "results");
  fs.writeFileSync(path.join(out, "pg-driver.md"), text);
  fs.writeFileSync(path.join(out, "pg-driver.json"), JSON.stringify({ server, invoices: INVOICES, rounds: ROUNDS, machine: m, loadBefore, results }, null, 2) + "\n");
}

await main();
