/**
 * The foreign-key check after a bulk load (`PRAGMA foreign_key_check`, table by table), on two
 * threads: this one checks some tables on its connection while a worker thread checks the others on
 * a read-only connection of its own. Every row of every table is checked, as one
 * `PRAGMA foreign_key_check` would; the machine's second core, idle once the load is over, takes
 * half of it. At a million invoices the check took 6.2 s on one thread (a full run before this),
 * 2.4–3.0 s on two (the switch back to WAL included).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Db } from "../src/db/connection.js";

export interface Violation {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

/**
 * The generated tables the worker checks: about half of the check's time at a million invoices
 * (each table alone, in seconds: invoices 1.50, lines 1.39, VAT 0.56, payments 0.55, activity 0.56,
 * lettering 0.32, chain 0.21; this thread's connection has the pages the load left in its cache).
 */
export const CHECKED_BY_WORKER = new Set(["invoice_lines", "payments", "record_chain"]);

/** Runs in the worker (CommonJS, no TypeScript): the driver's path, the file and the tables come as workerData. */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  db.pragma("cache_size = -262144");
  const violations = [];
  for (const table of workerData.tables) violations.push(...db.prepare("SELECT * FROM pragma_foreign_key_check(?)").all(table));
  parentPort.postMessage(violations);
} finally {
  db.close();
}
`;

function checkInWorker(file: string, tables: string[]): Promise<Violation[]> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, file, tables } });
  return new Promise((resolve, reject) => {
    let answered = false;
    worker.once("message", (violations: Violation[]) => {
      answered = true;
      resolve(violations);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`the foreign-key check's thread stopped (exit code ${code}) without an answer`));
    });
  });
}

/**
 * Every foreign-key violation in the database `db` has open on `file`. `db` must not hold an
 * exclusive lock (the worker reads the file through its own connection).
 */
export async function foreignKeyViolations(db: Db, file: string): Promise<Violation[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const elsewhere = checkInWorker(
    file,
    tables.filter((t) => CHECKED_BY_WORKER.has(t)),
  );
  // the worker's answer is awaited even when this thread's part throws, so no thread is left behind
  const here = (() => {
    try {
      return tables.filter((t) => !CHECKED_BY_WORKER.has(t)).flatMap((t) => db.prepare("SELECT * FROM pragma_foreign_key_check(?)").all(t) as Violation[]);
    } catch (error) {
      return error as Error;
    }
  })();
  const there = await elsewhere;
  if (here instanceof Error) throw here;
  return [...here, ...there];
}
