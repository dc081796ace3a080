-- Deposits (acomptes) and balance invoices. An order is what the customer ordered, as the owner
-- states it (lines, priced like an invoice's); deposits are invoices asked on it, the balance
-- invoice closes it and deducts them. `quote_id` names the quote the order comes from, once
-- quotes exist (no quote: the owner typed the order).
CREATE TABLE orders (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  customer_id TEXT NOT NULL REFERENCES customers(id),
  quote_id TEXT,
  reference TEXT,
  order_date TEXT NOT NULL,
  ht_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  ttc_cents INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id)
);
CREATE INDEX orders_company ON orders(company_id, created_at);

CREATE TABLE order_lines (
  order_id TEXT NOT NULL REFERENCES orders(id),
  position INTEGER NOT NULL,
  product_id TEXT REFERENCES products(id),
  description TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit_price_cents INTEGER NOT NULL,
  vat_rate_bp INTEGER NOT NULL,
  discount_cents INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('goods', 'services')),
  net_cents INTEGER NOT NULL,
  PRIMARY KEY (order_id, position)
) WITHOUT ROWID;

CREATE TABLE order_vat (
  order_id TEXT NOT NULL REFERENCES orders(id),
  vat_rate_bp INTEGER NOT NULL,
  base_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  PRIMARY KEY (order_id, vat_rate_bp)
) WITHOUT ROWID;

-- A deposit invoice, a credit note of a deposit, and the balance invoice name their order and
-- their part in it. A deposit's (and its credit notes') net goes to the deposits account (4191)
-- in the entries; a balance invoice's lines are the whole order, its per-rate totals what is left
-- once the deposits are deducted, and `deposits_ht_cents` the deposits' net it takes back from 4191.
ALTER TABLE invoices ADD COLUMN order_id TEXT REFERENCES orders(id);
ALTER TABLE invoices ADD COLUMN order_role TEXT CHECK (order_role IN ('deposit', 'balance'));
ALTER TABLE invoices ADD COLUMN deposits_ht_cents INTEGER NOT NULL DEFAULT 0;
CREATE INDEX invoices_order ON invoices(order_id) WHERE order_id IS NOT NULL;
-- One balance invoice per order, draft or issued.
CREATE UNIQUE INDEX invoices_order_balance ON invoices(order_id) WHERE order_role = 'balance' AND type = 'invoice';

-- What a balance invoice deducts, deposit by deposit and rate by rate (each deposit net of its
-- credit notes), as it printed them.
CREATE TABLE invoice_deductions (
  invoice_id TEXT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
  deposit_invoice_id TEXT NOT NULL REFERENCES invoices(id),
  vat_rate_bp INTEGER NOT NULL,
  base_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  PRIMARY KEY (invoice_id, deposit_invoice_id, vat_rate_bp)
) WITHOUT ROWID;
