/** What a database error means, whichever engine raised it. */

/** A UNIQUE (or primary key) constraint refused the write: SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}

/** The message each engine gives a UNIQUE refusal, for tests that check the database itself refuses. */
export const UNIQUE_REFUSAL = /UNIQUE constraint failed|duplicate key value violates unique constraint/;
