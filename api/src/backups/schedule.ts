/**
 * The server backs its database up itself: every BACKUP_INTERVAL_SECONDS (hourly by default) into
 * BACKUP_DIR, keeping the newest BACKUP_KEEP, each checked on a worker thread before it is kept, and
 * each said in the log. The first one is due an interval after the newest backup already there (or
 * after start), so restarts neither skip nor repeat one.
 */
import path from "node:path";
import type { Deps } from "../context.js";
import { checkDatabaseFileOffThread } from "./check-thread.js";
import { backupName, listBackups, pruneBackups } from "./files.js";
import { writeBackup } from "./write.js";

export interface BackupSchedule {
  stop(): Promise<void>;
}

export function startBackupSchedule(deps: Deps, log: Pick<Console, "log" | "error"> = console): BackupSchedule {
  const { intervalSeconds, keep, dir, gzip } = deps.config.backups;
  if (intervalSeconds === 0 || deps.config.databasePath === ":memory:") return { stop: async () => {} };
  const intervalMs = intervalSeconds * 1000;
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const backUp = async () => {
    const file = path.join(dir, backupName(deps.clock.now(), gzip));
    try {
      const b = await writeBackup(deps.db, file, { gzip, check: (copy) => checkDatabaseFileOffThread(copy, stopping.signal) });
      const removed = pruneBackups(dir, keep);
      const companies = b.check.companies.length;
      log.log(
        `[backup] ${b.file}: ${(b.bytes / 1024 / 1024).toFixed(1)} MB in ${(b.ms / 1000).toFixed(1)} s; checked: SQLite integrity ok, ` +
          `${companies} compan${companies === 1 ? "y" : "ies"} with valid chains and continuous numbering; ` +
          `keeping the newest ${keep}${removed.length ? `, removed ${removed.map((f) => path.basename(f)).join(", ")}` : ""}`,
      );
    } catch (error) {
      if (stopping.signal.aborted) return;
      log.error(`[backup] FAILED ${file}: ${(error as Error).message}`);
    }
  };
  const next = (delayMs: number) => {
    timer = setTimeout(() => {
      running = backUp().finally(() => {
        running = undefined;
        if (!stopping.signal.aborted) next(intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  const newest = listBackups(dir).at(-1);
  const sinceNewest = newest ? deps.clock.now().getTime() - newest.takenAt.getTime() : 0;
  next(Math.min(intervalMs, Math.max(0, intervalMs - sinceNewest)));

  return {
    async stop() {
      stopping.abort(new Error("the server is stopping"));
      clearTimeout(timer);
      await running;
    },
  };
}
