-- The sales journal lists documents by date, then series, then place in the series
-- (services/journal.ts): credit notes (AV…) before invoices (F…) on a day, counters compared as
-- numbers. With that order in the index a page reads only its own rows; with (date, number) SQLite
-- read and sorted the whole day a page starts in (some 900 documents a day with a million over
-- three years: 3.9 ms for a page of 100). Queries by date alone use it as they used the old one.
DROP INDEX invoices_company_date;
CREATE INDEX invoices_journal_order ON invoices(company_id, issue_date, series_key, series_counter);
