-- Reminders of overdue invoices, disputes, and the company's automatic reminders.

-- A reminder is a sending of the invoice at a level: 1 courtesy reminder, 2 second reminder,
-- 3 formal notice. Automatic reminders are sent at most once per level and invoice, which the
-- unique index enforces: of two processes recording the same one, the second records nothing.
ALTER TABLE invoice_sendings ADD COLUMN reminder_level INTEGER CHECK (reminder_level IN (1, 2, 3));
ALTER TABLE invoice_sendings ADD COLUMN automatic INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1) AND (automatic = 0 OR reminder_level IS NOT NULL));
CREATE UNIQUE INDEX invoice_sendings_automatic_reminder ON invoice_sendings(invoice_id, reminder_level) WHERE automatic = 1;
CREATE INDEX invoice_sendings_reminders ON invoice_sendings(company_id, invoice_id, reminder_level) WHERE reminder_level IS NOT NULL;

-- Each time an invoice was marked disputed (the customer contests it) and when that was lifted.
-- At most one open dispute per invoice; an open one stops automatic reminders.
CREATE TABLE invoice_disputes (
  pk INTEGER PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES companies(id),
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  reason TEXT,
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL REFERENCES users(id),
  lifted_at TEXT,
  lifted_by TEXT REFERENCES users(id),
  CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
);
CREATE UNIQUE INDEX invoice_disputes_open ON invoice_disputes(invoice_id) WHERE lifted_at IS NULL;
CREATE INDEX invoice_disputes_by_invoice ON invoice_disputes(company_id, invoice_id, pk);

-- The company's automatic reminders: on or off, and the days after the due date of each level.
-- They are sent in the name of the owner who last saved these settings.
CREATE TABLE reminder_settings (
  company_id TEXT PRIMARY KEY REFERENCES companies(id),
  automatic INTEGER NOT NULL CHECK (automatic IN (0, 1)),
  level1_days INTEGER NOT NULL,
  level2_days INTEGER NOT NULL,
  level3_days INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id),
  CHECK (0 < level1_days AND level1_days < level2_days AND level2_days < level3_days)
) WITHOUT ROWID;
