/**
 * One backup: an online copy of the live database (SQLite's backup API, a hundred pages a step, so
 * the thread serving requests is never held long), made a single file (journal_mode DELETE), checked,
 * optionally gzipped, written under a temporary name and renamed only once complete and synced.
 */
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import Database from "better-sqlite3";
import type { Db } from "../db/connection.js";
import { describeCheck, type DatabaseCheck } from "./check.js";

export interface Backup {
  file: string;
  bytes: number;
  /** From the start of the copy to the rename. */
  ms: number;
  check: DatabaseCheck;
}

/** The copy failed its check: nothing was kept. */
export class BackupRefused extends Error {
  constructor(readonly check: DatabaseCheck) {
    super(`the copy failed its check, nothing was kept: ${describeCheck(check, "the copy").join("; ")}`);
  }
}

export async function writeBackup(db: Db, file: string, options: { gzip: boolean; check: (file: string) => DatabaseCheck | Promise<DatabaseCheck> }): Promise<Backup> {
  const started = performance.now();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  const copy = `${partial}.db`;
  try {
    await db.backup(copy);
    const single = new Database(copy);
    single.pragma("journal_mode = DELETE"); // no -wal or -shm beside it: the file alone is the backup
    single.close();
    const check = await options.check(copy);
    if (!check.ok) throw new BackupRefused(check);
    if (options.gzip) await pipeline(fs.createReadStream(copy), createGzip(), fs.createWriteStream(partial));
    else fs.renameSync(copy, partial);
    syncFile(partial);
    if (fs.existsSync(file)) throw new Error(`${file} already exists`);
    fs.renameSync(partial, file);
    syncFile(path.dirname(file)); // the rename itself survives a power cut
    return { file, bytes: fs.statSync(file).size, ms: performance.now() - started, check };
  } finally {
    for (const f of [copy, `${copy}-journal`, partial]) fs.rmSync(f, { force: true });
  }
}

/** Flushes a written file to the disk before it is named a backup. */
export function syncFile(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
