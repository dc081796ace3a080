-- Sending issued invoices and credit notes to customers by e-mail.

-- The company's own subject and message for each kind of e-mail; the French default applies until
-- the owner saves one. `kind` is open (no CHECK): other e-mails a company sends keep theirs here too.
CREATE TABLE mail_templates (
  company_id TEXT NOT NULL REFERENCES companies(id),
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (company_id, kind)
) WITHOUT ROWID;

-- Each sending of a document: to whom, what, by whom, and where its delivery stands. The
-- Message-ID is decided here before the first attempt. An attempt claims the row by setting
-- `claim` and `lease_until` in one statement, so two processes never attempt it at once, and a
-- row once `sent` is never attempted again; an attempt cut short (a crash) is retried after its lease.
CREATE TABLE invoice_sendings (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
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
CREATE INDEX invoice_sendings_by_invoice ON invoice_sendings(company_id, invoice_id, created_at);
CREATE INDEX invoice_sendings_due ON invoice_sendings(next_attempt_at) WHERE status = 'retrying';
CREATE INDEX invoice_sendings_leased ON invoice_sendings(lease_until) WHERE status = 'sending';
