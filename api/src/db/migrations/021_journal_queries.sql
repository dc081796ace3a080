-- Saved journal queries: a company's named journal filters, each read as a feed (CSV or JSON) by a
-- spreadsheet that refreshes on its own (Excel's Data → From Web), authenticated by an API key.
-- `period` is `fixed` (the query's own from/to) or one that rolls with the calendar.
CREATE TABLE journal_queries (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  name TEXT NOT NULL,
  period TEXT NOT NULL CHECK (period IN ('fixed', 'current_month', 'previous_month', 'current_quarter', 'previous_quarter', 'current_fiscal_year', 'previous_fiscal_year')),
  from_date TEXT,
  to_date TEXT,
  customer_id TEXT REFERENCES customers(id),
  type TEXT CHECK (type IN ('invoice', 'credit_note')),
  status TEXT CHECK (status IN ('issued', 'partially_paid', 'paid')),
  category TEXT,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  CHECK (period = 'fixed' OR (from_date IS NULL AND to_date IS NULL))
);
CREATE INDEX journal_queries_company ON journal_queries(company_id, pk);
