/**
 * The benchmark data set: one company with N invoices over three fiscal years (2023–2025), 1–5 lines
 * each at several VAT rates, 5 % credited in full, 90 % paid (one in ten in two instalments), with
 * the record chain, the activity log and the lettering exactly as the API leaves them.
 *
 * The owner, company, customers and products are created through the API itself. The documents come
 * from `simulate` (the services' own domain and hashing functions), handed over in batches and
 * written by prepared INSERTs, all in one transaction (see `batchWriter`), the indexes kept up as
 * they go, the journal's sums per day added up from the same rows (`journalSums`); foreign keys
 * are checked once after it, on two threads (counted).
 *
 * Ids are UUIDv7 made at each record's simulated moment, as the API makes them, so every key lands
 * at the end of its index, and the other indexes' keys (dates, numbers, the last weeks' invoices)
 * near theirs: pages the cache holds. Kept up during the load, the indexes cost the writing thread
 * more (INSERTs 47–51 µs per invoice against 27–33) but it works while the simulation thread does,
 * where a rebuild after the load (about 16 s at a million) ran alone. At a million invoices:
 * 13,279, 14,066 and 14,651 invoices/s kept up (three runs), 12,978 dropped and rebuilt (one).
 * (Measured in WAL mode, before the load really ran without a journal, the rebuild had won: 91 s
 * against 116.)
 *
 * By default (`threads: 2`) the simulation runs on a worker thread while this one writes. The rows
 * cost some 22 µs per invoice to copy between threads (measured: 9 to serialize, 13 to read back),
 * less than the simulation's ~50 µs taken off the writing thread: at a million invoices, 10,938
 * invoices/s against 8,246 with one thread (the same day, one run each).
 *
 * Batches of about 1,000 invoices (two or three simulated days at a million): a batch's rows live
 * until the writing thread has them, and batches of 10,000 kept some 30 MB alive through the young
 * generation's collections. At a million invoices, four runs alternating (in WAL, each batch size
 * once with 4 KB and once with 16 KB pages): simulation thread 43.0 and 43.8 µs of CPU per invoice
 * with 1,000, against 50.2 and 46.4 µs with 10,000; the writing thread's INSERTs the same (34.0 and
 * 36.6 against 33.9 and 32.8 µs). Once the load became one transaction, 500 and 2,000 did no
 * better (19,962 and 20,436; 20,737 and 19,405 invoices/s).
 *
 * Both threads' young generations (where V8 allocates) are larger than V8's defaults: the worker's
 * by its resource limits (WORKER_YOUNG_GENERATION_MB), this thread's by `npm run bench`'s
 * `--max-semi-space-size=128`. A collection copies what is still alive — about a batch — however
 * large the space, so a larger one costs as much less as it runs less often. V8 runs them on helper
 * threads, which took the CPU the two working threads then waited for: at a million invoices, perf
 * counted 17.6 s of those threads with the defaults here and 96 MB for the worker, 10.2 s with 128
 * and 192; the generator went from 14,759 invoices/s (defaults) to 15,457 and 15,809 (96 MB for the
 * worker), and from 16,052 (64 and 96) to 16,818 (128 and 192).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { configFromEnv } from "../src/config.js";
import { fixedClock } from "../src/clock.js";
import { openDatabase, type Db } from "../src/db/connection.js";
import type { CompanyRow } from "../src/db/rows.js";
import { customerIdentity, freezeIdentity, sellerIdentity } from "../src/services/identities.js";
import { signUpThroughMail } from "../test/signup-flow.js";
import { since, threadTimes, type ThreadTimes } from "./thread-times.js";
import { foreignKeyViolations } from "./foreign-keys.js";
import { constantColumns, DAYS, FIRST_DAY, simulate, TABLE_COLUMNS, type Batch, type SimulationInput, type TableName } from "./simulate.js";
import { addDays } from "@passerelle/shared";

export type { ThreadTimes } from "./thread-times.js";

export interface GenerateOptions {
  file: string;
  invoices: number;
  seed?: number;
  customers?: number;
  batchInvoices?: number;
  /** 2 (default): the simulation runs on a worker thread while this one writes; 1: one thread simulates and writes. */
  threads?: 1 | 2;
  onProgress?: (done: number, total: number) => void;
}

export interface Generated {
  file: string;
  companyId: string;
  ownerEmail: string;
  password: string;
  counts: Record<string, number>;
  firstDate: string;
  lastDate: string;
  setupSeconds: number;
  loadSeconds: number;
  /** Of the load: time spent inserting batches and committing (the rest is waiting for the simulation: domain functions and hashing). */
  writeSeconds?: number;
  /** Of the load: adding up the journal's sums per day from the rows and writing them (`journalSums`). */
  aggregateSeconds?: number;
  /** The main thread's CPU seconds doing it. */
  aggregateCpuSeconds?: number;
  /** Threads that did the load: 2 = simulation on a worker thread, INSERTs on the main one. */
  threads?: number;
  /**
   * Per thread over the load and the foreign-key check (Linux schedstat): seconds on a
   * CPU, and seconds ready to run but waiting for one (other work on the machine). CPU time is what
   * a loaded machine distorts least.
   */
  main?: ThreadTimes;
  worker?: ThreadTimes;
  /** Main thread's CPU seconds inserting batches and committing. */
  writeCpuSeconds?: number;
  /** The foreign-key check after the load, on two threads (and the switch back to WAL). */
  checkSeconds: number;
  totalSeconds: number;
  invoicesPerSecond: number;
  fileBytes: number;
  method: string;
}

export const BENCH_OWNER = { email: "bench@passerelle.example", password: "benchmark passerelle 2026" };

/** Owner, company, customers and products through the API (a few thousand calls on app.request()). */
async function setUp(file: string, customers: number) {
  const config = { ...configFromEnv({ PASSERELLE_DB: file, PASSERELLE_DATA: `${file}.data` }), scryptCost: 2 ** 14 };
  const deps = createDeps(config, { clock: fixedClock("2022-12-15T09:00:00Z") });
  const app = createApp(deps);
  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: any = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const post = async (path: string, body: unknown) => {
    const res = await app.request(`/api/v1${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  };
  const { token } = await signUpThroughMail(post, config.dataDir, { ...BENCH_OWNER, name: "Banc d'essai" });
  const company = await call("POST", "/companies", token, {
    name: "Menuiserie Banc d'Essai SAS",
    siren: "853904811",
    vatNumber: "FR26853904811",
    address: { line1: "14 rue des Tanneurs", postalCode: "69002", city: "Lyon", country: "FR" },
    legalForm: "SAS",
    capital: "50 000 €",
    rcsCity: "Lyon",
    fiscalYearStart: "01-01",
    email: "contact@banc-essai.example",
    iban: "FR7630006000011234567890189",
  });
  const cities = ["69002 Lyon", "75011 Paris", "13001 Marseille", "33000 Bordeaux", "59000 Lille"];
  const categories = ["Particuliers", "Professionnels", "Collectivités", "Export"];
  for (let i = 0; i < customers; i++) {
    await call("POST", `/companies/${company.id}/customers`, token, {
      name: `Client ${String(i + 1).padStart(5, "0")} ${["SARL", "SAS", "EURL", "SA"][i % 4]}`,
      email: `client${i + 1}@example.fr`,
      address: `${(i % 120) + 1} rue de la République, ${cities[i % cities.length]}`,
      category: categories[i % categories.length],
    });
  }
  const products: SimulationInput["products"] = [];
  const rates = [2000, 2000, 1000, 550, 210];
  for (let i = 0; i < 60; i++) {
    const kind = i % 3 === 0 ? "services" : "goods";
    const p = await call("POST", `/companies/${company.id}/products`, token, {
      name: `${kind === "services" ? "Prestation" : "Article"} ${i + 1}`,
      unitPriceCents: 500 + ((i * 7919) % 250_000),
      vatRateBp: rates[i % rates.length],
      kind,
      category: ["Mobilier", "Agencement", "Pose", "Conseil"][i % 4],
    });
    products.push({ id: p.id, name: p.name, unitPriceCents: p.unitPriceCents, vatRateBp: p.vatRateBp, kind });
  }
  return { deps, companyId: company.id as string, products };
}

export function simulationInput(
  db: Db,
  companyId: string,
  products: SimulationInput["products"],
  options: Pick<GenerateOptions, "invoices" | "seed" | "batchInvoices">,
  actorEmail = BENCH_OWNER.email,
): SimulationInput {
  const company = db.prepare("SELECT * FROM companies WHERE id = ?").get(companyId) as CompanyRow;
  // the identities issuing freezes on a document, from the services' own functions (frozen here
  // once and for all: the identities do not change during the three years)
  const customers = (db.prepare("SELECT id FROM customers WHERE company_id = ? ORDER BY code").pluck().all(companyId) as string[]).map((id) => {
    const snapshot = customerIdentity(db, companyId, id);
    return { id, identityId: freezeIdentity(db, companyId, snapshot), snapshot: { ...snapshot } };
  });
  const seller = sellerIdentity(db, companyId);
  return {
    invoices: options.invoices,
    seed: options.seed ?? 20_260_101,
    batchInvoices: options.batchInvoices ?? 1_000,
    companyId,
    actorId: db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(actorEmail) as string,
    paymentTermsDays: company.payment_terms_days,
    seller: { ...seller },
    sellerIdentityId: freezeIdentity(db, companyId, seller),
    customers,
    products,
    start: {
      seq: company.last_seq,
      activityHash: (db.prepare("SELECT hash FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 1").pluck().get(companyId) as string | undefined) ?? "",
      chainPosition: db.prepare("SELECT COALESCE(MAX(position), 0) FROM record_chain WHERE company_id = ?").pluck().get(companyId) as number,
      chainHash: (db.prepare("SELECT hash FROM record_chain WHERE company_id = ? ORDER BY position DESC LIMIT 1").pluck().get(companyId) as string | undefined) ?? "",
    },
  };
}

type Statement = { run(...params: unknown[]): unknown };
/** Runs `statement` with the `width` values of `rows` from `at` as separate arguments (better-sqlite3 binds those faster than an array). */
type Binder = (statement: Statement, rows: unknown[], at: number) => unknown;
const binders = new Map<number, Binder>();
function binder(width: number): Binder {
  let bind = binders.get(width);
  if (!bind) {
    const args = Array.from({ length: width }, (_, i) => `rows[at + ${i}]`).join(", ");
    bind = new Function("statement", "rows", "at", `return statement.run(${args});`) as Binder;
    binders.set(width, bind);
  }
  return bind;
}

/** Rows per multi-row INSERT (the remainder of a batch goes in one row at a time). */
const ROWS_PER_INSERT = 32;

/**
 * Two prepared INSERTs per table, compiled once: one of ROWS_PER_INSERT rows (VALUES (…), (…), …)
 * for the bulk of a batch, one of a single row for its remainder; parents before children. With
 * ids in creation order every key lands at the end of its index, and SQLite's work per row is small
 * enough that the statement's own cost shows: 32 rows a statement took 20–25 % less time per row
 * than one (measured on 300,000 rows of the activity log, invoices and lines; 64 did no better).
 *
 * The load is one transaction, its batches inserted as they come. Without a journal, a commit only
 * writes the changed pages out; committing every batch wrote the pages the load keeps changing
 * (the customer index, the recent invoices' payments and lettering) a thousand times over. At a
 * million invoices: 18,965 invoices/s committing every batch, 19,832 every 8, 19,434 and 19,440
 * every 64, 18,945 and 20,637 every 100, 19,980 to 21,231 (four runs) once.
 */
export function batchWriter(db: Db, constants: Record<TableName, Record<string, string | number>>, options: { ownTransaction?: boolean } = {}) {
  const own = options.ownTransaction ?? true;
  const literal = (value: string | number) => (typeof value === "number" ? String(value) : `'${value.replaceAll("'", "''")}'`);
  const insert = (table: TableName, rows: number) => {
    const fixed = Object.entries(constants[table]);
    const columns = [...fixed.map(([column]) => column), ...TABLE_COLUMNS[table]];
    const row = `(${[...fixed.map(([, value]) => literal(value)), ...TABLE_COLUMNS[table].map(() => "?")].join(", ")})`;
    return db.prepare<unknown[]>(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => row).join(", ")}`);
  };
  const statements = Object.fromEntries(
    (Object.keys(TABLE_COLUMNS) as TableName[]).map((table) => [table, { many: insert(table, ROWS_PER_INSERT), one: insert(table, 1) }]),
  ) as unknown as Record<TableName, { many: Statement; one: Statement }>;
  const counts = Object.fromEntries(Object.keys(TABLE_COLUMNS).map((t) => [t, 0])) as Record<TableName, number>;
  const order: TableName[] = ["invoices", "invoice_lines", "invoice_vat", "payments", "record_chain", "activity", "lettering"];
  let seconds = 0;
  let cpuSeconds = 0;
  const insertBatch = (rows: Batch["rows"]) => {
    for (const table of order) {
      const { many, one } = statements[table];
      const values = rows[table];
      const width = TABLE_COLUMNS[table].length;
      if (values.length % width !== 0) throw new Error(`${table}: ${values.length} values are not rows of ${width}`);
      const bindMany = binder(width * ROWS_PER_INSERT);
      const bindOne = binder(width);
      let at = 0;
      for (const whole = values.length - (values.length % (width * ROWS_PER_INSERT)); at < whole; at += width * ROWS_PER_INSERT) bindMany(many, values, at);
      for (; at < values.length; at += width) bindOne(one, values, at);
      counts[table] += values.length / width;
    }
  };
  let open = false;
  const write = (rows: Batch["rows"]) => {
    const at = performance.now();
    const cpu = threadTimes();
    if (!open && own) db.exec("BEGIN");
    open = true;
    insertBatch(rows);
    cpuSeconds += since(cpu)?.cpuSeconds ?? 0;
    seconds += (performance.now() - at) / 1000;
  };
  /** Commits the load. */
  const end = () => {
    const at = performance.now();
    const cpu = threadTimes();
    if (open && own) db.exec("COMMIT");
    cpuSeconds += since(cpu)?.cpuSeconds ?? 0;
    seconds += (performance.now() - at) / 1000;
  };
  return { write, end, counts, seconds: () => seconds, cpuSeconds: () => cpuSeconds };
}

/**
 * The journal's sums per day (migration 022), added up from the rows as they are handed over —
 * what the services add as each document is issued and paid: the rows carry what the documents'
 * future left on them (paid amounts) — and written once the load is in: 1.3 µs of the writing
 * thread's CPU per invoice (129 ms at 100,000), where summing the tables after the load
 * (`rebuildJournalAggregates`: a GROUP BY over the documents and their VAT by rate) took 2.6–3.0 µs
 * (255 and 297 ms on the same data set; 14.3 s of wall time at a million, load average 15).
 * bench-data.test.ts checks the sums equal the documents'.
 */
function journalSums(companyId: string) {
  const column = <T extends readonly string[]>(columns: T, name: T[number]) => columns.indexOf(name);
  const I = TABLE_COLUMNS.invoices;
  const [id, type, status, date, ht, vat, ttc, paid] = (["id", "type", "status", "issue_date", "ht_cents", "vat_cents", "ttc_cents", "paid_cents"] as const).map((c) => column(I, c));
  const V = TABLE_COLUMNS.invoice_vat;
  const [invoice, rate, base, rateVat] = (["invoice_id", "vat_rate_bp", "base_cents", "vat_cents"] as const).map((c) => column(V, c));
  /** day and type → documents, ht, vat, ttc, paid */
  const days = new Map<string, [string, string, number, number, number, number, number]>();
  /** day, type and rate → documents, base, vat */
  const rates = new Map<string, [string, string, number, number, number, number]>();
  let seconds = 0;
  let cpuSeconds = 0;
  const add = (rows: Batch["rows"]) => {
    const started = performance.now();
    const cpu = threadTimes();
    const dayOf = new Map<unknown, [string, string]>();
    const docs = rows.invoices;
    const text = (at: number) => docs[at] as string;
    const cents = (at: number) => docs[at] as number;
    for (let r = 0; r < docs.length; r += I.length) {
      if (text(r + status!) === "draft") continue;
      const day = text(r + date!);
      const kind = text(r + type!);
      dayOf.set(docs[r + id!], [day, kind]);
      const key = `${day} ${kind}`;
      const sums = days.get(key) ?? days.set(key, [day, kind, 0, 0, 0, 0, 0]).get(key)!;
      sums[2]++;
      sums[3] += cents(r + ht!);
      sums[4] += cents(r + vat!);
      sums[5] += cents(r + ttc!);
      sums[6] += cents(r + paid!);
    }
    const vatRows = rows.invoice_vat;
    for (let r = 0; r < vatRows.length; r += V.length) {
      const of = dayOf.get(vatRows[r + invoice!]);
      if (!of) throw new Error(`the VAT of ${String(vatRows[r + invoice!])} came without its document in its batch`);
      const vatRate = vatRows[r + rate!] as number;
      const key = `${of[0]} ${of[1]} ${vatRate}`;
      const sums = rates.get(key) ?? rates.set(key, [of[0], of[1], vatRate, 0, 0, 0]).get(key)!;
      sums[3]++;
      sums[4] += vatRows[r + base!] as number;
      sums[5] += vatRows[r + rateVat!] as number;
    }
    cpuSeconds += since(cpu)?.cpuSeconds ?? 0;
    seconds += (performance.now() - started) / 1000;
  };
  const write = (db: Db) => {
    const started = performance.now();
    const cpu = threadTimes();
    const day = db.prepare(`INSERT INTO journal_days (company_id, day, type, documents, ht_cents, vat_cents, ttc_cents, paid_cents) VALUES ('${companyId}', ?, ?, ?, ?, ?, ?, ?)`);
    const perRate = db.prepare(`INSERT INTO journal_day_rates (company_id, day, type, vat_rate_bp, documents, base_cents, vat_cents) VALUES ('${companyId}', ?, ?, ?, ?, ?, ?)`);
    for (const sums of days.values()) day.run(...sums);
    for (const sums of rates.values()) perRate.run(...sums);
    cpuSeconds += since(cpu)?.cpuSeconds ?? 0;
    seconds += (performance.now() - started) / 1000;
  };
  return { add, write, seconds: () => seconds, cpuSeconds: () => cpuSeconds };
}

/**
 * During the load only: no journal at all and an exclusive lock (nobody else has the file yet;
 * a crash leaves a data set to generate again), no sync, a 256 MB page cache, foreign keys checked
 * once at the end (`foreignKeyViolations`, on two threads, counted in the load) instead of row by
 * row. The cache holds the pages the load keeps coming back to (the last pages of each index, the
 * customer index, the recent invoices that payments and lettering point to) and writes the others
 * out as it fills, while the simulation thread works; what is still in it at the commit is written
 * then, alone: 1.7–2.0 s with 1 GiB, 0.3–0.4 s with 256 MB (at a million invoices).
 *
 * Leaving WAL takes two steps. SQLite keeps the journal mode it has when it cannot switch, without
 * an error: WAL goes to DELETE, not straight to OFF; and better-sqlite3 runs SQLite in defensive
 * mode, which refuses OFF (its `unsafeMode` lifts that for the one pragma). Until this was checked,
 * the load ran in WAL: every page written twice, to the log then by the checkpoints to the file.
 */
export function bulkLoadMode(db: Db, file: string): () => Promise<void> {
  db.pragma("journal_mode = DELETE");
  db.unsafeMode(true);
  db.pragma("journal_mode = OFF");
  db.unsafeMode(false);
  const mode = db.pragma("journal_mode", { simple: true });
  if (mode !== "off") throw new Error(`the bulk load needs journal_mode OFF, SQLite kept ${String(mode)}`);
  db.pragma("locking_mode = EXCLUSIVE");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  db.pragma("temp_store = MEMORY");
  db.pragma("foreign_keys = OFF");
  return async () => {
    db.pragma("locking_mode = NORMAL");
    db.prepare("SELECT COUNT(*) FROM schema_version").get(); // a read releases the exclusive lock
    const violations = await foreignKeyViolations(db, file);
    if (violations.length > 0) throw new Error(`generated rows break ${violations.length} foreign keys (first: ${violations[0]!.table} → ${violations[0]!.parent})`);
    db.pragma("foreign_keys = ON");
    db.pragma("temp_store = DEFAULT");
    db.pragma("cache_size = -2000");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL"); // after the switch, which would otherwise wait for the whole file to reach the disk
  };
}

/** The simulation thread's young generation, in MB (see the note at the top of this file). */
export const WORKER_YOUNG_GENERATION_MB = 192;

/**
 * The simulation on a worker thread (simulate-worker.ts), each batch handed to `onBatch` here as it
 * arrives. The worker's entry registers tsx, then imports simulate-worker.ts (Node 20 does not apply
 * a parent's `--import` hooks to a worker's TypeScript entry).
 */
export function simulateInWorker(
  input: SimulationInput | SimulationInput[],
  onBatch: (batch: Batch & { company: number }) => void,
): Promise<ThreadTimes | undefined> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(new URL("./simulate-worker.ts", import.meta.url).href)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(entry)}`), {
    workerData: Array.isArray(input) ? { simulations: input } : { simulation: input },
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  return new Promise((resolve, reject) => {
    let finished = false;
    worker.on("message", (batch: Batch & { company: number; last?: boolean; thread?: ThreadTimes }) => {
      try {
        onBatch(batch);
        if (batch.last) {
          finished = true;
          void worker.terminate().then(() => resolve(batch.thread));
        } else worker.postMessage("ack");
      } catch (error) {
        finished = true;
        void worker.terminate();
        reject(error);
      }
    });
    worker.on("error", (error) => {
      finished = true;
      reject(error);
    });
    worker.on("exit", (code) => {
      if (!finished) reject(new Error(`the simulation thread stopped (exit code ${code}) before its final batch`));
    });
  });
}

export interface Floor {
  invoices: number;
  /** Copy, index rebuild and foreign-key check. */
  seconds: number;
  cpuSeconds: number;
  invoicesPerSecond: number;
}

/**
 * The floor of the load: SQLite alone putting the same rows into the same empty schema — each table
 * copied row by row in the order of its key, the order they were made but for the lettering
 * (`INSERT … SELECT … ORDER BY` the primary key, from the generated file, no JavaScript per row),
 * with the same settings and foreign-key check, in one transaction; its indexes are dropped for the
 * copy and rebuilt after it, the faster way for SQLite alone (one thread, where the generator keeps
 * them up while its other thread simulates). Slightly optimistic: a table's rows go in all at once,
 * where the generator interleaves tables by batch.
 */
export async function insertFloor(generated: string, scratch: string): Promise<Floor> {
  for (const f of [scratch, `${scratch}-wal`, `${scratch}-shm`]) fs.rmSync(f, { force: true });
  const db = openDatabase(scratch);
  try {
    const end = bulkLoadMode(db, scratch);
    const tables = ["invoices", "invoice_lines", "invoice_vat", "payments", "record_chain", "activity", "lettering", "journal_days", "journal_day_rates"];
    db.prepare("ATTACH ? AS generated").run(generated);
    const invoices = db.prepare("SELECT COUNT(*) FROM generated.invoices WHERE type = 'invoice'").pluck().get() as number;
    // the parents the documents refer to, then the documents without the secondary indexes
    for (const table of ["users", "companies", "memberships", "customers", "products", "frozen_identities"]) db.exec(`INSERT INTO main.${table} SELECT * FROM generated.${table}`);
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(tables)) as { name: string; sql: string }[];
    for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
    const started = performance.now();
    const cpu = threadTimes();
    db.exec("BEGIN");
    for (const table of tables) {
      const columns = (db.prepare("SELECT name FROM pragma_table_info(?, 'generated')").pluck().all(table) as string[]).join(", ");
      const key = (db.prepare("SELECT name FROM pragma_table_info(?, 'generated') WHERE pk > 0 ORDER BY pk").pluck().all(table) as string[]).join(", ");
      db.exec(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM generated.${table} ORDER BY ${key}`);
    }
    db.exec("COMMIT");
    for (const i of indexes) db.exec(i.sql);
    db.exec("DETACH generated");
    await end();
    const seconds = (performance.now() - started) / 1000;
    return { invoices, seconds, cpuSeconds: since(cpu)?.cpuSeconds ?? Number.NaN, invoicesPerSecond: invoices / seconds };
  } finally {
    db.close();
    for (const f of [scratch, `${scratch}-wal`, `${scratch}-shm`]) fs.rmSync(f, { force: true });
  }
}

export async function generateCompany(options: GenerateOptions): Promise<Generated> {
  for (const f of [options.file, `${options.file}-wal`, `${options.file}-shm`]) fs.rmSync(f, { force: true });
  const started = performance.now();
  const setup = await setUp(options.file, options.customers ?? 2000);
  const db = setup.deps.db;
  const input = simulationInput(db, setup.companyId, setup.products, options);
  const setupSeconds = (performance.now() - started) / 1000;

  const endBulkLoad = bulkLoadMode(db, options.file);
  const writer = batchWriter(db, constantColumns(input));
  let final: Batch["final"];
  const loadStarted = performance.now();
  const loadCpu = threadTimes();
  let worker: ThreadTimes | undefined;
  const threads = options.threads ?? 2;
  const sums = journalSums(input.companyId);
  const onBatch = (batch: Batch) => {
    writer.write(batch.rows);
    sums.add(batch.rows);
    final = batch.final ?? final;
    options.onProgress?.(batch.done, options.invoices);
  };
  if (threads === 2) worker = await simulateInWorker(input, onBatch);
  else await simulate(input, onBatch);
  if (!final) throw new Error("the simulation ended without its final batch");
  writer.end();
  const upsert = db.prepare(
    "INSERT INTO number_series (company_id, series_key, last_counter) VALUES (?, ?, ?) ON CONFLICT (company_id, series_key) DO UPDATE SET last_counter = excluded.last_counter",
  );
  db.transaction(() => {
    for (const [key, counter] of final!.series) upsert.run(input.companyId, key, counter);
    db.prepare("UPDATE companies SET last_seq = ? WHERE id = ?").run(final!.lastSeq, input.companyId);
  })();
  db.transaction(() => sums.write(db))();
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  const checkStarted = performance.now();
  await endBulkLoad();
  const checkSeconds = (performance.now() - checkStarted) / 1000;
  const totalLoad = loadSeconds + checkSeconds;
  const main = since(loadCpu);

  db.exec("ANALYZE");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  // reopen the way the server does: migrations already applied, nothing to do
  openDatabase(options.file).close();
  const counts = { ...writer.counts, customers: input.customers.length, products: input.products.length };
  return {
    file: options.file,
    companyId: input.companyId,
    ownerEmail: BENCH_OWNER.email,
    password: BENCH_OWNER.password,
    counts,
    firstDate: FIRST_DAY,
    lastDate: addDays(FIRST_DAY, DAYS - 1),
    setupSeconds,
    loadSeconds,
    writeSeconds: writer.seconds(),
    aggregateSeconds: sums.seconds(),
    aggregateCpuSeconds: sums.cpuSeconds(),
    threads,
    ...(main ? { main } : {}),
    ...(worker ? { worker } : {}),
    writeCpuSeconds: writer.cpuSeconds(),
    checkSeconds,
    totalSeconds: (performance.now() - started) / 1000,
    invoicesPerSecond: options.invoices / totalLoad,
    fileBytes: fs.statSync(options.file).size,
    method:
      (threads === 2 ? "simulation on a worker thread (at most 2 batches ahead), INSERTs on the main thread; " : "one thread: simulate a day, write it; ") +
      `batches of ${input.batchInvoices} invoices, 32 rows per INSERT, the load one transaction; ` +
      `indexes kept up during the load, foreign keys checked after it on two threads (counted); during the load no journal, exclusive lock, synchronous=OFF, cache 256 MB; WAL after`,
  };
}
