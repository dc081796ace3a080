/**
 * The generator's data set (a SQLite file, bench/generate.ts) copied into a fresh PostgreSQL
 * database: every table, the same rows and keys, by COPY, so that a benchmark can run on either
 * engine over the same data.
 */
import Database from "better-sqlite3";
import postgres from "postgres";
import { openDatabase } from "../src/db/connection.js";

/** The server the benchmarks use: PASSERELLE_BENCH_POSTGRES_URL, by default the local role of docs/postgresql.md. */
export const BENCH_POSTGRES_SERVER = process.env.PASSERELLE_BENCH_POSTGRES_URL ?? "postgres://passerelle:passerelle@localhost/postgres";

/** `url` with its database replaced by `name`. */
export const withDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

export interface Copy {
  /** Rows copied per table. */
  rows: Record<string, number>;
  /** From the database's creation to its statistics (ANALYZE) included. */
  seconds: number;
  /** The COPY of the rows alone (the transaction that writes them). */
  copySeconds: number;
}

/** A value in COPY's text format. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString("hex")}`;
  if (typeof value === "string") return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return String(value);
}

/**
 * Copies every table of the SQLite `file` into the database `name` on `server`, dropped and made
 * again, then migrated (by opening it) before the copy; returns rows per table.
 */
export async function copyToPostgres(file: string, server: string, name: string, log: (line: string) => void = () => {}): Promise<Copy> {
  const started = performance.now();
  const url = withDatabase(server, name);
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`);
  await admin.end();
  log("database made");
  openDatabase(url).close(); // migrated by opening it
  log("database migrated");
  const source = new Database(file, { readonly: true });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const tables = (await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name != 'schema_version'`).map((r) => r.table_name as string);
  const rows: Record<string, number> = {};
  const copyStarted = performance.now();
  await sql.begin(async (tx) => {
    await tx.unsafe("SET LOCAL session_replication_role = replica"); // the rows are a consistent copy: foreign keys checked by the source
    await tx.unsafe(`TRUNCATE ${tables.join(", ")}`); // what the migrations seeded, replaced by the copy
    for (const table of tables) {
      const columns = (await tx`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table} ORDER BY ordinal_position`).map((r) => r.column_name as string);
      const known = new Set(source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
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
  const copySeconds = (performance.now() - copyStarted) / 1000;
  // the identity columns go on after the copied keys
  for (const { table_name: table, column_name: column } of await sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'`) {
    await sql.unsafe(`SELECT setval(pg_get_serial_sequence('${table}', '${column}'), GREATEST(1, (SELECT COALESCE(MAX("${column}"), 0) FROM ${table})))`);
  }
  await sql.unsafe("ANALYZE");
  await sql.end();
  source.close();
  return { rows, seconds: (performance.now() - started) / 1000, copySeconds };
}

/** Whether the database `name` exists on `server`. */
export async function databaseExists(server: string, name: string): Promise<boolean> {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    return (await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`).length > 0;
  } finally {
    await admin.end();
  }
}
