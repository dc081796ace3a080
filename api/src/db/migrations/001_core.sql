-- Owners, companies and the owner's data (invoices, payments, documents), the record chain,
-- and the activity log that feeds both the audit log and the change feed.

CREATE TABLE users (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE companies (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  siren TEXT NOT NULL,
  vat_number TEXT,
  address_line1 TEXT NOT NULL,
  address_line2 TEXT,
  postal_code TEXT NOT NULL,
  city TEXT NOT NULL,
  country TEXT NOT NULL,
  legal_form TEXT,
  capital TEXT,
  rcs_city TEXT,
  fiscal_year_start TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  iban TEXT,
  payment_terms_days INTEGER NOT NULL,
  late_penalty_rate TEXT,
  early_payment_discount TEXT,
  last_seq INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE memberships (
  company_id TEXT NOT NULL REFERENCES companies(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'accountant')),
  invited_by TEXT REFERENCES users(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (company_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE customers (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  siren TEXT,
  vat_number TEXT,
  email TEXT,
  address_line1 TEXT NOT NULL,
  address_line2 TEXT,
  postal_code TEXT NOT NULL,
  city TEXT NOT NULL,
  country TEXT NOT NULL,
  category TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (company_id, code)
);
CREATE INDEX customers_company_name ON customers(company_id, name);

CREATE TABLE products (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  name TEXT NOT NULL,
  description TEXT,
  unit_price_cents INTEGER NOT NULL,
  vat_rate_bp INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('goods', 'services')),
  category TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX products_company ON products(company_id, name);

-- Invoices and credit notes. Totals are stored (computed by the shared rule) so lists and the
-- journal never recompute; paid/credited amounts are kept in step inside the payment/credit transaction.
CREATE TABLE invoices (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  type TEXT NOT NULL CHECK (type IN ('invoice', 'credit_note')),
  status TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid')),
  number TEXT,
  series_key TEXT,
  series_counter INTEGER,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  issue_date TEXT,
  due_date TEXT,
  notes TEXT,
  vat_exemption TEXT,
  credited_invoice_id TEXT REFERENCES invoices(id),
  -- identities as printed on the issued document (JSON), frozen when it is issued
  customer_snapshot TEXT,
  seller_snapshot TEXT,
  ht_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  ttc_cents INTEGER NOT NULL,
  paid_cents INTEGER NOT NULL DEFAULT 0,
  credited_cents INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  issued_at TEXT,
  CHECK ((number IS NULL) = (status = 'draft'))
);
CREATE UNIQUE INDEX invoices_number ON invoices(company_id, number) WHERE number IS NOT NULL;
CREATE UNIQUE INDEX invoices_series ON invoices(company_id, series_key, series_counter) WHERE series_key IS NOT NULL;
CREATE INDEX invoices_company_date ON invoices(company_id, issue_date, number);
CREATE INDEX invoices_company_type_date ON invoices(company_id, type, issue_date);
CREATE INDEX invoices_customer ON invoices(customer_id);
CREATE INDEX invoices_credited ON invoices(credited_invoice_id) WHERE credited_invoice_id IS NOT NULL;

CREATE TABLE invoice_lines (
  pk INTEGER PRIMARY KEY,
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
  UNIQUE (invoice_id, position)
);
CREATE INDEX invoice_lines_credited ON invoice_lines(credited_line_id) WHERE credited_line_id IS NOT NULL;

CREATE TABLE invoice_vat (
  invoice_id TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
  vat_rate_bp INTEGER NOT NULL,
  base_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  PRIMARY KEY (invoice_id, vat_rate_bp)
);

-- Gapless numbering: one counter row per company and series, bumped in the issuing transaction.
CREATE TABLE number_series (
  company_id TEXT NOT NULL REFERENCES companies(id),
  series_key TEXT NOT NULL,
  last_counter INTEGER NOT NULL,
  PRIMARY KEY (company_id, series_key)
);

CREATE TABLE payments (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  date TEXT NOT NULL,
  method TEXT NOT NULL,
  reference TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX payments_company_date ON payments(company_id, date);
CREATE INDEX payments_invoice ON payments(invoice_id);

CREATE TABLE documents (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  original_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  source_url TEXT,
  note TEXT,
  uploaded_by TEXT NOT NULL REFERENCES users(id),
  uploaded_at TEXT NOT NULL
);
CREATE INDEX documents_company ON documents(company_id, pk);

-- The record chain: issued invoices, credit notes and payments, in the order they became final.
CREATE TABLE record_chain (
  company_id TEXT NOT NULL REFERENCES companies(id),
  position INTEGER NOT NULL,
  record_kind TEXT NOT NULL CHECK (record_kind IN ('invoice', 'credit_note', 'payment')),
  record_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (company_id, position)
);

-- Every write: who, when, what. Append-only and hash-chained; `seq` is the change-feed sequence.
CREATE TABLE activity (
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
);
CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER record_chain_no_update BEFORE UPDATE ON record_chain BEGIN SELECT RAISE(ABORT, 'the record chain is append-only'); END;
CREATE TRIGGER record_chain_no_delete BEFORE DELETE ON record_chain BEGIN SELECT RAISE(ABORT, 'the record chain is append-only'); END;

-- Period locks: each lock or reopening appends a row; the latest row gives the lock in force.
CREATE TABLE period_locks (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  action TEXT NOT NULL CHECK (action IN ('lock', 'reopen')),
  until TEXT,
  kind TEXT CHECK (kind IN ('soft', 'hard')),
  hard_until TEXT,
  reason TEXT,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX period_locks_company ON period_locks(company_id, pk);
