-- PostgreSQL translation of migrations/022_journal_aggregates.sql: the sales journal's sums per
-- company, day of issue and document type (journal_days) and their VAT per rate
-- (journal_day_rates), unsigned as the documents store them, filled from the documents already
-- issued. SQLite keeps them in their key's own b-tree (WITHOUT ROWID); here a heap with its
-- primary key beside it.
CREATE TABLE journal_days (
  company_id text NOT NULL REFERENCES companies(id),
  day text NOT NULL,
  type text NOT NULL CHECK (type IN ('invoice', 'credit_note')),
  documents bigint NOT NULL,
  ht_cents bigint NOT NULL,
  vat_cents bigint NOT NULL,
  ttc_cents bigint NOT NULL,
  paid_cents bigint NOT NULL,
  PRIMARY KEY (company_id, day, type)
);

CREATE TABLE journal_day_rates (
  company_id text NOT NULL REFERENCES companies(id),
  day text NOT NULL,
  type text NOT NULL CHECK (type IN ('invoice', 'credit_note')),
  vat_rate_bp integer NOT NULL,
  documents bigint NOT NULL,
  base_cents bigint NOT NULL,
  vat_cents bigint NOT NULL,
  PRIMARY KEY (company_id, day, type, vat_rate_bp)
);

INSERT INTO journal_days (company_id, day, type, documents, ht_cents, vat_cents, ttc_cents, paid_cents)
SELECT company_id, issue_date, type, COUNT(*), SUM(ht_cents), SUM(vat_cents), SUM(ttc_cents), SUM(paid_cents)
FROM invoices WHERE status != 'draft' GROUP BY company_id, issue_date, type;

INSERT INTO journal_day_rates (company_id, day, type, vat_rate_bp, documents, base_cents, vat_cents)
SELECT i.company_id, i.issue_date, i.type, v.vat_rate_bp, COUNT(*), SUM(v.base_cents), SUM(v.vat_cents)
FROM invoices i JOIN invoice_vat v ON v.invoice_id = i.id WHERE i.status != 'draft'
GROUP BY i.company_id, i.issue_date, i.type, v.vat_rate_bp;
