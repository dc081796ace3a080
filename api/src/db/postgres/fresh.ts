/**
 * New, migrated PostgreSQL databases on a server, one per test app: each a copy of a migrated
 * template (`CREATE DATABASE … TEMPLATE`, about 0.1 s on the server, far quicker than applying the
 * migrations again, about 2 s). The test run makes one template before its test files start
 * (api/test/postgres-run.ts) and names it in PASSERELLE_TEST_TEMPLATE; without one, each process
 * makes its own. Every name starts with the run's (`passerelle_t<run>_`), so that the run drops
 * them all when it ends (dropTestDatabases) and runs at the same time on one server do not meet.
 */
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
  // kept open for the process's life: its last connection closing would end the database thread,
  // which the next test app would then start again
  admin ??= PostgresDatabase.connect(serverUrl);
  const name = `${processPrefix()}${++made}`;
  admin.exec(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return withDatabase(serverUrl, name);
}

/** Drops the databases whose names start with `prefix` (`passerelle_t` for those of every run). */
export function dropTestDatabases(serverUrl: string, prefix = "passerelle_t"): number {
  const server = PostgresDatabase.connect(serverUrl);
  try {
    const names = server.prepare("SELECT datname FROM pg_database WHERE starts_with(datname, ?)").pluck().all(prefix) as string[];
    for (const name of names) server.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    return names.length;
  } finally {
    server.close();
  }
}
