/** The backups the server keeps in its folder: named by the time they were taken (UTC), so names sort as times. */
import fs from "node:fs";
import path from "node:path";

const NAME = /^passerelle-(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)Z\.(db(\.gz)?|pgdump)$/;

export function backupName(at: Date, gzip: boolean): string {
  return `passerelle-${at.toISOString().slice(0, 19).replaceAll(":", "-")}Z.db${gzip ? ".gz" : ""}`;
}

/** A PostgreSQL database's backup: pg_dump's custom format (compressed already). */
export function postgresBackupName(at: Date): string {
  return `passerelle-${at.toISOString().slice(0, 19).replaceAll(":", "-")}Z.pgdump`;
}

/** The backups in `dir`, oldest first (other files are not ours and are left alone). */
export function listBackups(dir: string): { file: string; takenAt: Date }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ file: path.join(dir, name), takenAt: new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) }))
    .sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime() || a.file.localeCompare(b.file));
}

/** Removes all but the newest `keep` backups; returns the files removed. */
export function pruneBackups(dir: string, keep: number): string[] {
  const all = listBackups(dir);
  const removed = all.slice(0, Math.max(0, all.length - keep)).map((b) => b.file);
  for (const file of removed) fs.rmSync(file, { force: true });
  return removed;
}
