/**
 * `npx tsx bench/pg-exports.ts [--invoices 100000] [--dir <work dir>] [--reuse] [--reuse-copy]`
 *
 * The FEC of an open fiscal year streamed from PostgreSQL against the same FEC from SQLite: the
 * generator's data set (bench/generate.ts, a SQLite file) is copied into a fresh PostgreSQL database
 * (COPY, every table, the same rows and keys), then a server on each engine (from the sources, one
 * fresh process per export, so its peak RSS is that export's) writes the FEC of the last generated
 * year, no period locked: every entry computed from the documents, read through the PostgreSQL
 * reader's cursors. The servers are the bundle `npm start` runs (dist/server.mjs, built first). Reported: time, throughput, the server's peak RSS (budget 200 MB) and whether
 * the two files are the same bytes.
 *
 * The server: PASSERELLE_BENCH_POSTGRES_URL, by default the local role of docs/postgresql.md; the
 * database `passerelle_bench_exports` on it is dropped and made again (kept with `--reuse-copy`; the
 * SQLite data set is kept with `--reuse`). Written to bench/results/pg-exports.md (+ .json).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import postgres from "postgres";
import { API_DIR } from "../src/paths.js";
import { openDatabase } from "../src/db/connection.js";
import { generateCompany, type Generated } from "./generate.js";
import { benchServer, login, machine, mb, memoryOf, ratio, stopServer } from "./support.js";

const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const INVOICES = Number(arg("invoices", "100000"));
const WORK = path.resolve(arg("dir", path.join(os.tmpdir(), "passerelle-pg-exports"))!);
const REUSE = process.argv.includes("--reuse");
const REUSE_COPY = process.argv.includes("--reuse-copy");
const SERVER = process.env.PASSERELLE_BENCH_POSTGRES_URL ?? "postgres://passerelle:passerelle@localhost/postgres";
const DATABASE = "passerelle_bench_exports";
const MEMORY_BUDGET = 200 * 1024 * 1024;

const withDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function dataSet(): Promise<Generated> {
  const file = path.join(WORK, `exports-${INVOICES}.db`);
  const meta = `${file}.json`;
  if (REUSE && fs.existsSync(file) && fs.existsSync(meta)) return JSON.parse(fs.readFileSync(meta, "utf8")) as Generated;
  fs.mkdirSync(WORK, { recursive: true });
  log(`generating ${INVOICES.toLocaleString("en")} invoices into ${file}`);
  const g = await generateCompany({ file, invoices: INVOICES });
  fs.writeFileSync(meta, JSON.stringify(g));
  return g;
}

/** A value in COPY's text format. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString("hex")}`;
  if (typeof value === "string") return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return String(value);
}

/** Copies every table of the SQLite file into the fresh, migrated PostgreSQL database; returns rows per table. */
async function copyToPostgres(file: string, url: string): Promise<{ rows: Record<string, number>; seconds: number }> {
  const started = performance.now();
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${DATABASE} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`);
  await admin.end();
  log("database made");
  openDatabase(url).close(); // migrated by opening it
  log("database migrated");
  const source = new Database(file, { readonly: true });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const tables = (await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name != 'schema_version'`).map((r) => r.table_name as string);
  const rows: Record<string, number> = {};
  await sql.begin(async (tx) => {
    await tx.unsafe("SET LOCAL session_replication_role = replica"); // the rows are a consistent copy: foreign keys checked by the source
    await tx.unsafe(`TRUNCATE ${tables.join(", ")}`); // what the migrations seeded, replaced by the copy
    for (const table of tables) {
      const columns = (await tx`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table} ORDER BY ordinal_position`).map((r) => r.column_name as string);
      const known = new Set((source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]));
      const shared = columns.filter((c) => known.has(c));
      if (shared.length === 0) continue;
      const writable = await tx.unsafe(`COPY ${table} (${shared.map((c) => `"${c}"`).join(", ")}) FROM STDIN`).writable();
      let count = 0;
      let chunk: string[] = [];
      const flush = async () => {
        if (chunk.length === 0) return;
        const text = chunk.join("");
        chunk = [];
        if (!writable.write(text)) await new Promise((resolve) => writable.once("drain", resolve));
      };
      for (const row of source.prepare(`SELECT ${shared.map((c) => `"${c}"`).join(", ")} FROM "${table}"`).raw(true).iterate() as IterableIterator<unknown[]>) {
        chunk.push(row.map(copyText).join("\t") + "\n");
        if (++count % 5000 === 0) await flush();
      }
      await flush();
      await new Promise<void>((resolve, reject) => writable.end((error?: Error | null) => (error ? reject(error) : resolve())));
      rows[table] = count;
      if (count > 1000) log(`${table}: ${count.toLocaleString("en")} rows`);
    }
  });
  // the identity columns go on after the copied keys
  for (const { table_name: table, column_name: column } of await sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'`) {
    await sql.unsafe(`SELECT setval(pg_get_serial_sequence('${table}', '${column}'), GREATEST(1, (SELECT COALESCE(MAX("${column}"), 0) FROM ${table})))`);
  }
  await sql.unsafe("ANALYZE");
  await sql.end();
  source.close();
  return { rows, seconds: (performance.now() - started) / 1000 };
}

interface Export {
  seconds: number;
  bytes: Buffer;
  peak: number;
  idle: number;
}

/** The FEC of `period` downloaded from a fresh server on `env`'s database. */
async function fecFrom(g: Generated, env: Record<string, string>, period: { from: string; to: string }): Promise<Export> {
  const server = await benchServer(g.file, env);
  try {
    const token = await login(server.url, g.ownerEmail, g.password);
    const idle = memoryOf(server.child.pid!).peak;
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/companies/${g.companyId}/exports/fec?from=${period.from}&to=${period.to}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`FEC: ${res.status} ${await res.text()}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const seconds = (performance.now() - started) / 1000;
    return { seconds, bytes, peak: memoryOf(server.child.pid!).peak, idle };
  } finally {
    await stopServer(server, "SIGKILL");
  }
}

async function main() {
  const before = machine();
  const g = await dataSet();
  const url = withDatabase(SERVER, DATABASE);
  let copy: { rows: Record<string, number>; seconds: number } | null = null;
  if (!REUSE_COPY || !(await databaseExists())) {
    log(`copying ${path.basename(g.file)} into ${DATABASE}`);
    copy = await copyToPostgres(g.file, url);
    log(`copied in ${copy.seconds.toFixed(1)} s: ${Object.entries(copy.rows).filter(([, n]) => n > 1000).map(([t, n]) => `${t} ${n.toLocaleString("en")}`).join(", ")}`);
  }
  const year = g.lastDate.slice(0, 4);
  const period = { from: `${year}-01-01`, to: `${year}-12-31` };
  log(`FEC ${period.from}…${period.to} from SQLite`);
  const sqlite = await fecFrom(g, {}, period);
  log(`FEC ${period.from}…${period.to} from PostgreSQL`);
  const pg = await fecFrom(g, { PASSERELLE_DATABASE_URL: url }, period);
  const load = os.loadavg().map((x) => x.toFixed(1)).join(" ");
  const lines = pg.bytes.toString("utf8").split("\r\n").filter(Boolean).length - 1;
  const same = pg.bytes.equals(sqlite.bytes);
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex").slice(0, 16);
  const row = {
    benchmark: `FEC of an open year (${year}, ${INVOICES.toLocaleString("en")} invoices generated), PostgreSQL against SQLite`,
    passerelle: `PostgreSQL: ${pg.seconds.toFixed(1)} s, ${(pg.bytes.length / 1024 / 1024 / pg.seconds).toFixed(1)} MB/s, ${lines.toLocaleString("en")} lines, server peak RSS ${mb(pg.peak)} (idle ${mb(pg.idle)})`,
    reference: `SQLite: ${sqlite.seconds.toFixed(1)} s, ${(sqlite.bytes.length / 1024 / 1024 / sqlite.seconds).toFixed(1)} MB/s, server peak RSS ${mb(sqlite.peak)} (idle ${mb(sqlite.idle)})`,
    ratio: ratio(pg.seconds, sqlite.seconds),
    notes: `${same ? "byte-identical" : "FILES DIFFER"} (sha256 ${sha(pg.bytes)}…, ${mb(pg.bytes.length)}); ${pg.peak <= MEMORY_BUDGET ? "memory met" : "memory missed"} (budget ${mb(MEMORY_BUDGET)}); load average ${load}`,
  };
  console.log(`\n| Benchmark | Passerelle | Reference | Ratio | Notes |\n|---|---|---|---|---|\n| ${row.benchmark} | ${row.passerelle} | ${row.reference} | ${row.ratio} | ${row.notes} |`);
  const results = path.join(API_DIR, "bench", "results");
  const name = `pg-exports${INVOICES === 100000 ? "" : `-${INVOICES}`}`;
  fs.writeFileSync(path.join(results, `${name}.json`), JSON.stringify({ at: new Date().toISOString(), machine: before, loadAverage: load, invoices: INVOICES, counts: g.counts, copy, period, row, same }, null, 2) + "\n");
  fs.writeFileSync(
    path.join(results, `${name}.md`),
    `# FEC from PostgreSQL (\`npx tsx bench/pg-exports.ts --invoices ${INVOICES}\`)\n\n${new Date().toISOString()}, ${before.cpu}, load average ${load}\n\n| Benchmark | Passerelle | Reference | Ratio | Notes |\n|---|---|---|---|---|\n| ${row.benchmark} | ${row.passerelle} | ${row.reference} | ${row.ratio} | ${row.notes} |\n`,
  );
  if (!same) process.exitCode = 1;
}

async function databaseExists(): Promise<boolean> {
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  try {
    return (await admin`SELECT 1 FROM pg_database WHERE datname = ${DATABASE}`).length > 0;
  } finally {
    await admin.end();
  }
}

await main();
