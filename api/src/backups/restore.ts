/**
 * Restoring a backup over the database: the file (gzipped or not) is copied beside the database and
 * checked (check.ts) before anything is touched; then the database is replaced only if no process has
 * it open. That is asked of SQLite itself: a server keeps its connection open for as long as it runs,
 * and an open connection in WAL mode holds a shared lock on the file, so an exclusive lock
 * (locking_mode EXCLUSIVE, BEGIN EXCLUSIVE, no waiting) is refused while any server or command uses
 * it — and granted after a crash, since the system drops a dead process's locks. Holding that lock,
 * the old database takes in its WAL (a crashed server's last commits included) and is kept aside.
 */
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import Database from "better-sqlite3";
import { checkDatabaseFile, describeCheck, type DatabaseCheck } from "./check.js";

export interface Restored {
  check: DatabaseCheck;
  /** Where the database that was replaced now is (null: there was none). */
  keptAside: string | null;
}

/** Nothing was replaced: the reason, and the check's lines when the file failed it. */
export class RestoreRefused extends Error {}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export async function restoreBackup(source: string, database: string, now: Date): Promise<Restored> {
  if (database === ":memory:") throw new RestoreRefused("PASSERELLE_DB is :memory:: there is no database file to restore into.");
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new RestoreRefused(`${source}: no such file.`);
  fs.mkdirSync(path.dirname(database), { recursive: true });
  // beside the database, so the final rename stays on one file system
  const staging = path.join(path.dirname(database), `.${path.basename(database)}.restoring-${process.pid}`);
  try {
    try {
      if (isGzip(source)) await pipeline(fs.createReadStream(source), createGunzip(), fs.createWriteStream(staging));
      else fs.copyFileSync(source, staging);
    } catch (error) {
      throw new RestoreRefused(`${source} cannot be read whole (${(error as Error).message}); nothing was replaced.`);
    }
    const check = checkDatabaseFile(staging);
    if (!check.ok) throw new RestoreRefused([...describeCheck(check, source), `${source} failed its check; nothing was replaced.`].join("\n"));
    const keptAside = replace(database, staging, `${database}.replaced-${now.toISOString().slice(0, 19).replaceAll(":", "-")}Z`);
    return { check, keptAside };
  } finally {
    for (const f of [staging, `${staging}-journal`, `${staging}-wal`, `${staging}-shm`]) fs.rmSync(f, { force: true });
  }
}

function isGzip(file: string): boolean {
  const head = Buffer.alloc(2);
  const fd = fs.openSync(file, "r");
  try {
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head.equals(GZIP_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

function replace(database: string, staging: string, aside: string): string | null {
  if (!fs.existsSync(database)) {
    fs.renameSync(staging, database);
    return null;
  }
  const current = new Database(database, { timeout: 0 });
  try {
    current.pragma("locking_mode = EXCLUSIVE");
    try {
      current.exec("BEGIN EXCLUSIVE; COMMIT"); // kept after the commit: locking_mode EXCLUSIVE
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
      throw new RestoreRefused(`${database} is in use (SQLite refuses an exclusive lock while a process has it open): stop the server first; nothing was replaced.`);
    }
    current.pragma("wal_checkpoint(TRUNCATE)");
    current.pragma("journal_mode = DELETE"); // the file aside holds everything, without a -wal beside it
    // the old database's shared-memory index must not meet the new file
    for (const f of [`${database}-wal`, `${database}-shm`]) fs.rmSync(f, { force: true });
    fs.renameSync(database, aside);
    fs.renameSync(staging, database);
    const dir = fs.openSync(path.dirname(database), "r");
    fs.fsyncSync(dir);
    fs.closeSync(dir);
    return aside;
  } finally {
    current.close();
  }
}
