/**
 * How the API processes sharing one database learn of each other's committed writes, so that an
 * event stream or a webhook dispatcher of one process wakes when another process writes.
 *
 * - PostgreSQL: each new sequence of a company is announced with `pg_notify` inside the writing
 *   transaction, so the server sends it at commit (never for a write rolled back), and every process
 *   LISTENs on the channel and hands what it hears to its ChangeNotifier.
 * - SQLite: the processes on one file have no channel between them; the event streams look at the
 *   database every second (routes/changes.ts) and the dispatcher polls.
 */
import { isPostgres, type Db } from "./connection.js";
import type { PostgresDatabase } from "./postgres/database.js";
import type { ChangeNotifier } from "../services/change-notifier.js";

/** The channel the processes of one PostgreSQL database announce new sequences on (`companyId seq`). */
export const CHANGES_CHANNEL = "passerelle_changes";

/** Announces a company's new sequence to the other processes at commit; inside the writing transaction. */
export function announceChange(db: Db, companyId: string, seq: number): void {
  if (!isPostgres(db)) return; // SQLite: the other processes read the database (see above)
  db.prepare("SELECT pg_notify(?, ?)").get(CHANGES_CHANNEL, `${companyId} ${seq}`);
}

/** Hands every change committed by any process on `db` (this one included) to `changes`. */
export function followChanges(db: Db, changes: ChangeNotifier): void {
  if (!isPostgres(db)) return;
  (db as unknown as PostgresDatabase).listen(CHANGES_CHANNEL, (payload) => {
    const space = payload.lastIndexOf(" ");
    const seq = Number(payload.slice(space + 1));
    if (space > 0 && Number.isSafeInteger(seq)) changes.publish(payload.slice(0, space), seq);
  });
}
