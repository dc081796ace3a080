-- PostgreSQL translation of migrations/008_journal_order.sql: the sales journal lists documents by
-- date, then series, then place in the series; the index holds that order.
DROP INDEX invoices_company_date;
CREATE INDEX invoices_journal_order ON invoices(company_id, issue_date, series_key, series_counter);
