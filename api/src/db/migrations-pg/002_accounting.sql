-- PostgreSQL translation of migrations/002_accounting.sql: the accountant's layer (account codes,
-- entries frozen by locks, lettering codes, deleted payments). Nothing here is read by the
-- owner's side, and nothing here changes the owner's rows.

-- The accountant's account codes (JSON validated by the shared schema), one row per company.
CREATE TABLE accounting_settings (
  company_id text PRIMARY KEY REFERENCES companies(id),
  settings_json text NOT NULL,
  updated_by text NOT NULL REFERENCES users(id),
  updated_at text NOT NULL
);

-- Entries of locked periods, as they were when the lock was set: later account codes never alter
-- them. Rows leave only when a soft lock is reopened before their date.
CREATE TABLE frozen_entries (
  company_id text NOT NULL REFERENCES companies(id),
  journal text NOT NULL CHECK (journal IN ('sales', 'bank')),
  sequence bigint NOT NULL,
  entry_date text NOT NULL,
  source_kind text NOT NULL CHECK (source_kind IN ('invoice', 'credit_note', 'payment')),
  source_id text NOT NULL,
  entry_json text NOT NULL,
  -- what the entry did to the VAT waiting for payment, per rate (replayed for later payments)
  waiting_json text NOT NULL,
  lock_id text NOT NULL REFERENCES period_locks(id),
  validated_on text NOT NULL,
  PRIMARY KEY (company_id, journal, sequence),
  UNIQUE (company_id, source_kind, source_id)
);
CREATE INDEX frozen_entries_date ON frozen_entries(company_id, entry_date);
CREATE TRIGGER frozen_entries_no_update BEFORE UPDATE ON frozen_entries FOR EACH ROW EXECUTE FUNCTION refuse_change('frozen entries never change');

-- Lettering codes: an invoice gets the next position (AA, AB, …) the first time it is settled and
-- keeps it, so a code never moves to another invoice.
CREATE TABLE lettering (
  company_id text NOT NULL REFERENCES companies(id),
  invoice_id text NOT NULL REFERENCES invoices(id),
  position integer NOT NULL,
  assigned_at text NOT NULL,
  PRIMARY KEY (company_id, invoice_id),
  UNIQUE (company_id, position)
);
CREATE TRIGGER lettering_no_update BEFORE UPDATE ON lettering FOR EACH ROW EXECUTE FUNCTION refuse_change('lettering codes never move');
CREATE TRIGGER lettering_no_delete BEFORE DELETE ON lettering FOR EACH ROW EXECUTE FUNCTION refuse_change('lettering codes never move');

-- A deleted payment stays in `payments` and in the record chain (both append-only); this row
-- takes it out of balances, lists and entries.
CREATE TABLE payment_deletions (
  payment_id text PRIMARY KEY REFERENCES payments(id),
  company_id text NOT NULL REFERENCES companies(id),
  deleted_by text NOT NULL REFERENCES users(id),
  deleted_at text NOT NULL,
  reason text
);
CREATE INDEX payment_deletions_company ON payment_deletions(company_id);
CREATE TRIGGER payment_deletions_no_update BEFORE UPDATE ON payment_deletions FOR EACH ROW EXECUTE FUNCTION refuse_change('payment deletions are final');
CREATE TRIGGER payment_deletions_no_delete BEFORE DELETE ON payment_deletions FOR EACH ROW EXECUTE FUNCTION refuse_change('payment deletions are final');

-- The audit log is read by actor and by period.
CREATE INDEX activity_company_actor ON activity(company_id, actor_id, seq);
CREATE INDEX activity_company_at ON activity(company_id, at);

-- Invoices already settled when this layer arrived get their codes, in invoice order. The instant
-- is written as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', 'now') writes it.
INSERT INTO lettering (company_id, invoice_id, position, assigned_at)
SELECT i.company_id, i.id,
       ROW_NUMBER() OVER (PARTITION BY i.company_id ORDER BY i.issue_date COLLATE "C", i.series_counter) - 1,
       to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
FROM invoices i
WHERE i.type = 'invoice' AND i.status != 'draft' AND i.ttc_cents = i.paid_cents + i.credited_cents;
