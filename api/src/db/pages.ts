/**
 * Rows of a long ordered query, a page at a time, the same way on both engines for the code that
 * reads them: `page(last)` gives the keyset query of the page after row `last` (null: the first),
 * its `LIMIT @limit` filled in here.
 *
 * - On SQLite (and on PostgreSQL's main connection) each page is a plain query starting after the
 *   previous page's last row: no statement stays open between pages, so a stream may run inside a
 *   write transaction that inserts as it reads (freezing a period).
 * - On a PostgreSQL reader (`openReader`, an export's own snapshot) the first page's query is run
 *   once, without a limit, as a server-side cursor, and each page is the next `size` rows fetched
 *   from it: one statement planned once instead of one per page, in the reader's snapshot.
 */
import type Database from "better-sqlite3";
import type { Db } from "./connection.js";
import type { PostgresStatement } from "./postgres/database.js";

type Statement = Database.Statement<unknown[], unknown>;

export interface KeysetPage {
  statement: Statement;
  params: Record<string, unknown>;
}

/** Whether `db` reads long queries through cursors: a PostgreSQL reader (PostgresDatabase.openReader). */
export function readsWithCursors(db: Db): boolean {
  return (db as unknown as { streams?: boolean }).streams === true;
}

/** The query's rows in pages of `size` (the last one shorter; no empty page). */
export function* keysetPages<R>(db: Db, size: number, page: (last: R | null) => KeysetPage): Generator<R[], void, void> {
  if (readsWithCursors(db)) {
    const { statement, params } = page(null);
    // `LIMIT NULL`: no limit, on PostgreSQL
    const cursor = (statement as unknown as PostgresStatement).cursor({ ...params, limit: null });
    try {
      for (;;) {
        const rows = cursor.fetch(size) as R[];
        if (rows.length > 0) yield rows;
        if (rows.length < size) return;
      }
    } finally {
      cursor.close();
    }
  }
  let last: R | null = null;
  for (;;) {
    const { statement, params } = page(last);
    const rows = statement.all({ ...params, limit: size }) as R[];
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    last = rows.at(-1)!;
  }
}
