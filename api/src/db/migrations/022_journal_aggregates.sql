-- The sales journal's running sums, so that a period's totals read a row per day instead of every
-- document: per company, day of issue and document type, what its issued documents add up to
-- (journal_days) and their VAT per rate (journal_day_rates), unsigned as the documents store them
-- (the journal takes credit notes off when it reads them). `documents` counts the documents of the
-- row (a rate is listed in a period's totals when a document of the period has it). Kept in the
-- transaction of every write that changes a journal figure (db/journal-aggregates.ts); the integrity
-- check compares them with a recomputation. Filled here from the documents already issued.
CREATE TABLE journal_days (
  company_id TEXT NOT NULL REFERENCES companies(id),
  day TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('invoice', 'credit_note')),
  documents INTEGER NOT NULL,
  ht_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  ttc_cents INTEGER NOT NULL,
  paid_cents INTEGER NOT NULL,
  PRIMARY KEY (company_id, day, type)
) WITHOUT ROWID;

CREATE TABLE journal_day_rates (
  company_id TEXT NOT NULL REFERENCES companies(id),
  day TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('invoice', 'credit_note')),
  vat_rate_bp INTEGER NOT NULL,
  documents INTEGER NOT NULL,
  base_cents INTEGER NOT NULL,
  vat_cents INTEGER NOT NULL,
  PRIMARY KEY (company_id, day, type, vat_rate_bp)
) WITHOUT ROWID;

INSERT INTO journal_days (company_id, day, type, documents, ht_cents, vat_cents, ttc_cents, paid_cents)
SELECT company_id, issue_date, type, COUNT(*), SUM(ht_cents), SUM(vat_cents), SUM(ttc_cents), SUM(paid_cents)
FROM invoices WHERE status != 'draft' GROUP BY company_id, issue_date, type;

INSERT INTO journal_day_rates (company_id, day, type, vat_rate_bp, documents, base_cents, vat_cents)
SELECT i.company_id, i.issue_date, i.type, v.vat_rate_bp, COUNT(*), SUM(v.base_cents), SUM(v.vat_cents)
FROM invoices i JOIN invoice_vat v ON v.invoice_id = i.id WHERE i.status != 'draft'
GROUP BY i.company_id, i.issue_date, i.type, v.vat_rate_bp;
