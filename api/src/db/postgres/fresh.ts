/**
 * New, migrated PostgreSQL databases on a server, one per test app: each a copy of a migrated
 * template (`CREATE DATABASE … TEMPLATE`, about 0.1 s on the server, far quicker than applying the
 * migrations again, about 2 s). The test run makes one template before its test files start
 * (api/test/postgres-run.ts) and names it in PASSERELLE_TEST_TEMPLATE; without one, each process
 * makes its own. Every name starts with the run's (`passerelle_t<run>_<pid>_<n>`), so that the run
 * drops them (dropTestDatabases) and runs at the same time on one server do not meet.
 */
import postgres from "postgres";
import { PostgresDatabase } from "./database.js";
import { openDatabase } from "../connection.js";

let admin: PostgresDatabase | undefined;
let template: string | undefined;
let made = 0;

function withDatabase(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** The prefix of every database of the test run PASSERELLE_TEST_RUN names (of this process's, without one). */
export const runPrefix = (run = process.env.PASSERELLE_TEST_RUN) => `passerelle_t${run ? `${run}_` : ""}`;

/** The prefix of this process's databases. */
const processPrefix = () => `${runPrefix()}${process.pid}_`;

/**
 * Makes the database `name`, migrated, to copy test databases from. Migrated by opening it
 * (connection.ts), then closed: a template must have no connection.
 */
export function makeTemplate(serverUrl: string, name: string): void {
  const server = PostgresDatabase.connect(serverUrl);
  try {
    server.exec(`DROP DATABASE IF EXISTS ${name}`);
    server.exec(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`);
  } finally {
    server.close();
  }
  openDatabase(withDatabase(serverUrl, name)).close();
}

export function freshDatabase(serverUrl: string): string {
  if (!template) {
    template = process.env.PASSERELLE_TEST_TEMPLATE || `${processPrefix()}template`;
    if (!process.env.PASSERELLE_TEST_TEMPLATE) makeTemplate(serverUrl, template);
  }
  // one connection for the process's test apps, kept open
  admin ??= PostgresDatabase.connect(serverUrl);
  const name = `${processPrefix()}${++made}`;
  admin.exec(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return withDatabase(serverUrl, name);
}

/**
 * Drops the databases `names` (all at once: each DROP DATABASE waits for a checkpoint, which
 * concurrent drops share — 20 drops took 58 s one after another, 4 s at once, on this machine).
 */
export async function dropDatabases(serverUrl: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const sql = postgres(serverUrl, { max: Math.min(names.length, 32), onnotice: () => {} });
  try {
    await Promise.all(names.map((name) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The databases of the server whose names start with `prefix`. */
export async function testDatabases(serverUrl: string, prefix = "passerelle_t"): Promise<string[]> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return (await sql`SELECT datname FROM pg_database WHERE starts_with(datname, ${prefix}) ORDER BY datname`).map((r) => r.datname as string);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Drops the databases whose names start with `prefix` (`passerelle_t` for those of every run); answers how many. */
export async function dropTestDatabases(serverUrl: string, prefix = "passerelle_t"): Promise<number> {
  const names = await testDatabases(serverUrl, prefix);
  await dropDatabases(serverUrl, names);
  return names.length;
}
