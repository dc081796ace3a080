-- Tables read and written in the order of their key, stored in the key's own b-tree (WITHOUT ROWID)
-- instead of a rowid table beside a separate index of the key: a row is written once, not twice,
-- and the rows of one key range — a document's lines, a document's VAT by rate, a stretch of the
-- activity log or of the record chain, an invoice's lettering code — sit together and are read in
-- one walk of the b-tree. A document's lines are keyed by (document, position), their place on it.
-- Nothing else changes: the same columns (less invoice_lines' internal `pk`, which nothing read),
-- constraints, indexes and append-only triggers.

-- A credit note's lines refer to the credited lines in the same table: the old table steps aside
-- under another name (its self-reference follows it) and the new one takes the name, foreign keys
-- checked at commit.
PRAGMA defer_foreign_keys = ON;
ALTER TABLE invoice_lines RENAME TO invoice_lines_old;
CREATE TABLE invoice_lines (
  id TEXT NOT NULL UNIQUE,
  invoice_id TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  product_id TEXT REFERENCES products(id),
  description TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit_price_cents INTEGER NOT NULL,
  vat_rate_bp INTEGER NOT NULL,
  discount_cents INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('goods', 'services')),
  net_cents INTEGER NOT NULL,
  credited_line_id TEXT REFERENCES invoice_lines(id),
  PRIMARY KEY (invoice_id, position)
) WITHOUT ROWID;
INSERT INTO invoice_lines (id, invoice_id, position, product_id, description, quantity, unit_price_cents, vat_rate_bp, discount_cents, kind, net_cents, credited_line_id)
  SELECT id, invoice_id, position, product_id, description, quantity, unit_price_cents, vat_rate_bp, discount_cents, kind, net_cents, credited_line_id
  FROM invoice_lines_old ORDER BY invoice_id, position;
DROP TABLE invoice_lines_old;
CREATE INDEX invoice_lines_credited ON invoice_lines(credited_line_id) WHERE credited_line_id IS NOT NULL;

CREATE TABLE invoice_vat_new (
  invoice_id TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
  vat_rate_bp INTEGER NOT NULL,
  base_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  PRIMARY KEY (invoice_id, vat_rate_bp)
) WITHOUT ROWID;
INSERT INTO invoice_vat_new SELECT invoice_id, vat_rate_bp, base_cents, vat_cents FROM invoice_vat ORDER BY invoice_id, vat_rate_bp;
DROP TABLE invoice_vat;
ALTER TABLE invoice_vat_new RENAME TO invoice_vat;

CREATE TABLE record_chain_new (
  company_id TEXT NOT NULL REFERENCES companies(id),
  position INTEGER NOT NULL,
  record_kind TEXT NOT NULL CHECK (record_kind IN ('invoice', 'credit_note', 'payment')),
  record_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (company_id, position)
) WITHOUT ROWID;
INSERT INTO record_chain_new SELECT company_id, position, record_kind, record_id, hash FROM record_chain ORDER BY company_id, position;
DROP TABLE record_chain;
ALTER TABLE record_chain_new RENAME TO record_chain;
CREATE TRIGGER record_chain_no_update BEFORE UPDATE ON record_chain BEGIN SELECT RAISE(ABORT, 'the record chain is append-only'); END;
CREATE TRIGGER record_chain_no_delete BEFORE DELETE ON record_chain BEGIN SELECT RAISE(ABORT, 'the record chain is append-only'); END;

CREATE TABLE activity_new (
  company_id TEXT NOT NULL REFERENCES companies(id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor_id TEXT,
  action TEXT NOT NULL,
  record_kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  record_date TEXT,
  before_json TEXT,
  after_json TEXT,
  hash TEXT NOT NULL,
  PRIMARY KEY (company_id, seq)
) WITHOUT ROWID;
INSERT INTO activity_new SELECT company_id, seq, at, actor_id, action, record_kind, record_id, record_date, before_json, after_json, hash
  FROM activity ORDER BY company_id, seq;
DROP TABLE activity;
ALTER TABLE activity_new RENAME TO activity;
CREATE INDEX activity_company_actor ON activity(company_id, actor_id, seq);
CREATE INDEX activity_company_at ON activity(company_id, at);
CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;

CREATE TABLE lettering_new (
  company_id TEXT NOT NULL REFERENCES companies(id),
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  position INTEGER NOT NULL,
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (company_id, invoice_id),
  UNIQUE (company_id, position)
) WITHOUT ROWID;
INSERT INTO lettering_new SELECT company_id, invoice_id, position, assigned_at FROM lettering ORDER BY company_id, invoice_id;
DROP TABLE lettering;
ALTER TABLE lettering_new RENAME TO lettering;
CREATE TRIGGER lettering_no_update BEFORE UPDATE ON lettering BEGIN SELECT RAISE(ABORT, 'lettering codes never move'); END;
CREATE TRIGGER lettering_no_delete BEFORE DELETE ON lettering BEGIN SELECT RAISE(ABORT, 'lettering codes never move'); END;
