/**
 * A backup of a PostgreSQL database: `pg_dump` in its custom format (compressed, restored by
 * `pg_restore`), of the very snapshot the check reads. A transaction opened here exports its
 * snapshot (`pg_export_snapshot()`), `pg_dump --snapshot` dumps that one, and the check (schema
 * version, every company's chains and numbering) runs in the same transaction meanwhile: the file
 * holds exactly the books that were checked. `pg_restore --list` then reads the whole archive's table
 * of contents back. Written under a temporary name, synced, renamed once complete, as SQLite's backups.
 */
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { PostgresDatabase } from "../db/postgres/database.js";
import { schemaVersionOf, type Db } from "../db/connection.js";
import { checkBooks, type DatabaseCheck } from "./check.js";
import { BackupRefused, syncFile, type Backup } from "./write.js";

/** `pg_dump` could not run (not installed, or refused): what it said. */
export class DumpFailed extends Error {}

export async function writePostgresBackup(url: string, file: string): Promise<Backup> {
  const started = performance.now();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file)) throw new Error(`${file} already exists`);
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  const connection = PostgresDatabase.connect(url);
  const db = connection as unknown as Db;
  try {
    connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = db.prepare("SELECT pg_export_snapshot()").pluck().get() as string;
    const dump = run("pg_dump", ["--format=custom", `--snapshot=${snapshot}`, `--file=${partial}`], url);
    let check: DatabaseCheck;
    try {
      check = checkBooks(db, schemaVersionOf(db));
    } finally {
      await dump.catch(() => undefined); // the snapshot must outlive pg_dump's start: wait for it before the transaction ends
    }
    connection.exec("COMMIT");
    await dump;
    if (!check.ok) throw new BackupRefused(check);
    await run("pg_restore", ["--list", partial], null);
    syncFile(partial);
    if (fs.existsSync(file)) throw new Error(`${file} already exists`);
    fs.renameSync(partial, file);
    syncFile(path.dirname(file));
    return { file, bytes: fs.statSync(file).size, ms: performance.now() - started, check };
  } finally {
    connection.close();
    fs.rmSync(partial, { force: true });
  }
}

/**
 * Runs a PostgreSQL client program on `url`'s database; the password goes in its environment
 * (PGPASSWORD), never on a command line others can list.
 */
function run(program: string, args: string[], url: string | null): Promise<void> {
  const env = { ...process.env };
  const fullArgs = [...args];
  if (url) {
    const target = new URL(url);
    if (target.password) env.PGPASSWORD = decodeURIComponent(target.password);
    target.password = "";
    fullArgs.push(`--dbname=${target.toString()}`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(program, fullArgs, { env, stdio: ["ignore", "ignore", "pipe"] });
    let said = "";
    child.stderr.on("data", (chunk: Buffer) => (said += chunk.toString("utf8")));
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(new DumpFailed(error.code === "ENOENT" ? `${program} was not found: install PostgreSQL's client programs (Debian: postgresql-client-15) to back up a PostgreSQL database` : `${program}: ${error.message}`)),
    );
    child.once("close", (code) => (code === 0 ? resolve() : reject(new DumpFailed(`${program} stopped (exit code ${code}): ${said.trim()}`))));
  });
}
