-- PostgreSQL translation of migrations/006_entry_order.sql: accounting entries are read in journal
-- order a page at a time (by date, the sales journal before the bank journal, then number;
-- documents by date, invoices before credit notes, then place in their series).
DROP INDEX frozen_entries_date;
CREATE INDEX frozen_entries_order ON frozen_entries(company_id, entry_date, journal DESC, sequence);
CREATE INDEX invoices_issued_order ON invoices(company_id, issue_date, type DESC, series_counter) WHERE number IS NOT NULL;
