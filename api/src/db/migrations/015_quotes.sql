-- Quotes: offers made to a customer before a sale. Not accounting documents: nothing here is read
-- by the journal, the entries, the FEC or the record chain. Their own gapless series (D2026-00001…)
-- takes its counters from number_series under the key D<year>, given when a draft is issued.
CREATE TABLE quotes (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'accepted', 'refused')),
  number TEXT,
  series_key TEXT,
  series_counter INTEGER,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  issue_date TEXT,
  valid_until TEXT,
  notes TEXT,
  vat_exemption TEXT,
  -- identities as printed on the issued quote, frozen when it is issued
  customer_identity_id INTEGER REFERENCES frozen_identities(id),
  seller_identity_id INTEGER REFERENCES frozen_identities(id),
  ht_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  ttc_cents INTEGER NOT NULL,
  decided_on TEXT,
  -- the invoice made from the accepted quote; deleting that draft invoice frees the quote again
  invoice_id TEXT REFERENCES invoices(id) ON DELETE SET NULL,
  duplicated_from_id TEXT REFERENCES quotes(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  issued_at TEXT,
  CHECK ((number IS NULL) = (status = 'draft')),
  CHECK ((decided_on IS NOT NULL) = (status IN ('accepted', 'refused'))),
  CHECK (invoice_id IS NULL OR status = 'accepted')
);
CREATE UNIQUE INDEX quotes_number ON quotes(company_id, number) WHERE number IS NOT NULL;
CREATE UNIQUE INDEX quotes_series ON quotes(company_id, series_key, series_counter) WHERE series_key IS NOT NULL;
CREATE INDEX quotes_company_date ON quotes(company_id, issue_date);
CREATE INDEX quotes_customer ON quotes(customer_id);
CREATE INDEX quotes_invoice ON quotes(invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX quotes_duplicated ON quotes(duplicated_from_id) WHERE duplicated_from_id IS NOT NULL;

CREATE TABLE quote_lines (
  id TEXT NOT NULL UNIQUE,
  quote_id TEXT NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  product_id TEXT REFERENCES products(id),
  description TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit_price_cents INTEGER NOT NULL,
  vat_rate_bp INTEGER NOT NULL,
  discount_cents INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('goods', 'services')),
  net_cents INTEGER NOT NULL,
  PRIMARY KEY (quote_id, position)
) WITHOUT ROWID;

CREATE TABLE quote_vat (
  quote_id TEXT NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
  vat_rate_bp INTEGER NOT NULL,
  base_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  PRIMARY KEY (quote_id, vat_rate_bp)
) WITHOUT ROWID;

-- Each e-mail sending of an issued quote, delivered as invoice_sendings are (same columns, same states).
CREATE TABLE quote_sendings (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  quote_id TEXT NOT NULL REFERENCES quotes(id),
  recipients_json TEXT NOT NULL,
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  attachment_name TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  sent_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'retrying', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  next_attempt_at TEXT,
  claim TEXT,
  lease_until TEXT,
  sent_at TEXT,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK ((status = 'retrying') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX quote_sendings_by_quote ON quote_sendings(company_id, quote_id, created_at);
CREATE INDEX quote_sendings_due ON quote_sendings(next_attempt_at) WHERE status = 'retrying';
CREATE INDEX quote_sendings_leased ON quote_sendings(lease_until) WHERE status = 'sending';
