/**
 * New, migrated PostgreSQL databases on a server, one per test app: each a copy of a template
 * migrated once per test run (`CREATE DATABASE … TEMPLATE`, a file copy on the server, far quicker
 * than applying the migrations again). Their names start with the run's (`passerelle_t<pid>_…`), so
 * that the run can drop them all when it ends (dropTestDatabases).
 */
import { PostgresDatabase } from "./database.js";
import { openDatabase } from "../connection.js";

let template: string | undefined;
let made = 0;

function withDatabase(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** The prefix of this process's databases. */
export const runPrefix = () => `passerelle_t${process.env.PASSERELLE_TEST_RUN ?? ""}${process.pid}_`;

export function freshDatabase(serverUrl: string): string {
  const admin = PostgresDatabase.connect(serverUrl);
  try {
    if (!template) {
      const name = `${runPrefix()}template`;
      admin.exec(`DROP DATABASE IF EXISTS ${name}`);
      admin.exec(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`);
      // migrated by opening it (connection.ts), then closed: a template must have no connection
      const url = withDatabase(serverUrl, name);
      openDatabase(url).close();
      template = name;
    }
    const name = `${runPrefix()}${++made}`;
    admin.exec(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    return withDatabase(serverUrl, name);
  } finally {
    admin.close();
  }
}

/** Drops the databases made by runs whose names start with `prefix` (`passerelle_t` for all). */
export function dropTestDatabases(serverUrl: string, prefix = "passerelle_t"): number {
  const admin = PostgresDatabase.connect(serverUrl);
  try {
    const names = admin.prepare("SELECT datname FROM pg_database WHERE starts_with(datname, ?)").pluck().all(prefix) as string[];
    for (const name of names) admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    return names.length;
  } finally {
    admin.close();
  }
}

