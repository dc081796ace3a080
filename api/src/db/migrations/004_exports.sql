-- The export log: every file that left the system — who, when, which filters, how many rows,
-- and the SHA-256 of the exact bytes sent (accounting.md §5). Append-only, like the activity log.
CREATE TABLE exports (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  kind TEXT NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  filters_json TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  byte_count INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  -- what the file holds beyond its rows (files of a pack with their digests, journals of a FEC, …)
  detail_json TEXT,
  -- `lock=true` exports: the lock they put in place, in the same transaction
  locked_until TEXT,
  actor_id TEXT NOT NULL REFERENCES users(id),
  actor_via TEXT NOT NULL CHECK (actor_via IN ('session', 'api_key')),
  started_at TEXT NOT NULL,
  completed_at TEXT NOT NULL
);
CREATE INDEX exports_company ON exports(company_id, pk);
CREATE TRIGGER exports_no_update BEFORE UPDATE ON exports BEGIN SELECT RAISE(ABORT, 'the export log is append-only'); END;
CREATE TRIGGER exports_no_delete BEFORE DELETE ON exports BEGIN SELECT RAISE(ABORT, 'the export log is append-only'); END;
