-- The accountant's layer: account codes, entries frozen by locks, lettering codes, and deleted
-- payments. Nothing here is read by the owner's side, and nothing here changes the owner's rows.

-- The accountant's account codes (JSON validated by the shared schema), one row per company.
CREATE TABLE accounting_settings (
  company_id TEXT PRIMARY KEY REFERENCES companies(id),
  settings_json TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id),
  updated_at TEXT NOT NULL
);

-- Entries of locked periods, as they were when the lock was set: later account codes never alter
-- them. Lettering is not stored here (it may be undone and redone, accounting.md §3). Rows leave
-- only when a soft lock is reopened before their date.
CREATE TABLE frozen_entries (
  company_id TEXT NOT NULL REFERENCES companies(id),
  journal TEXT NOT NULL CHECK (journal IN ('sales', 'bank')),
  sequence INTEGER NOT NULL,
  entry_date TEXT NOT NULL,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('invoice', 'credit_note', 'payment')),
  source_id TEXT NOT NULL,
  entry_json TEXT NOT NULL,
  -- what the entry did to the VAT waiting for payment, per rate (replayed for later payments)
  waiting_json TEXT NOT NULL,
  lock_id TEXT NOT NULL REFERENCES period_locks(id),
  validated_on TEXT NOT NULL,
  PRIMARY KEY (company_id, journal, sequence),
  UNIQUE (company_id, source_kind, source_id)
);
CREATE INDEX frozen_entries_date ON frozen_entries(company_id, entry_date);
CREATE TRIGGER frozen_entries_no_update BEFORE UPDATE ON frozen_entries BEGIN SELECT RAISE(ABORT, 'frozen entries never change'); END;

-- Lettering codes: an invoice gets the next position (AA, AB, …) the first time it is settled and
-- keeps it, so a code never moves to another invoice.
CREATE TABLE lettering (
  company_id TEXT NOT NULL REFERENCES companies(id),
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  position INTEGER NOT NULL,
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (company_id, invoice_id),
  UNIQUE (company_id, position)
);
CREATE TRIGGER lettering_no_update BEFORE UPDATE ON lettering BEGIN SELECT RAISE(ABORT, 'lettering codes never move'); END;
CREATE TRIGGER lettering_no_delete BEFORE DELETE ON lettering BEGIN SELECT RAISE(ABORT, 'lettering codes never move'); END;

-- A deleted payment stays in `payments` and in the record chain (both append-only); this row
-- takes it out of balances, lists and entries.
CREATE TABLE payment_deletions (
  payment_id TEXT PRIMARY KEY REFERENCES payments(id),
  company_id TEXT NOT NULL REFERENCES companies(id),
  deleted_by TEXT NOT NULL REFERENCES users(id),
  deleted_at TEXT NOT NULL,
  reason TEXT
);
CREATE INDEX payment_deletions_company ON payment_deletions(company_id);
CREATE TRIGGER payment_deletions_no_update BEFORE UPDATE ON payment_deletions BEGIN SELECT RAISE(ABORT, 'payment deletions are final'); END;
CREATE TRIGGER payment_deletions_no_delete BEFORE DELETE ON payment_deletions BEGIN SELECT RAISE(ABORT, 'payment deletions are final'); END;

-- The audit log is read by actor and by period.
CREATE INDEX activity_company_actor ON activity(company_id, actor_id, seq);
CREATE INDEX activity_company_at ON activity(company_id, at);

-- Invoices already settled when this layer arrived get their codes, in invoice order.
INSERT INTO lettering (company_id, invoice_id, position, assigned_at)
SELECT i.company_id, i.id,
       ROW_NUMBER() OVER (PARTITION BY i.company_id ORDER BY i.issue_date, i.series_counter) - 1,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM invoices i
WHERE i.type = 'invoice' AND i.status != 'draft' AND i.ttc_cents = i.paid_cents + i.credited_cents;
