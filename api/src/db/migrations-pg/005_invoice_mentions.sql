-- PostgreSQL translation of migrations/005_invoice_mentions.sql: the date of the sale or service,
-- the delivery address, and the seller's option to pay VAT on services "d'après les débits"
-- (accounting.md §2). Existing rows keep NULL, as in SQLite.

ALTER TABLE invoices ADD COLUMN delivery_date text;
ALTER TABLE invoices ADD COLUMN service_period_from text;
ALTER TABLE invoices ADD COLUMN service_period_to text;
ALTER TABLE invoices ADD COLUMN delivery_line1 text;
ALTER TABLE invoices ADD COLUMN delivery_line2 text;
ALTER TABLE invoices ADD COLUMN delivery_postal_code text;
ALTER TABLE invoices ADD COLUMN delivery_city text;
ALTER TABLE invoices ADD COLUMN delivery_country text;

-- The option is the company's; each issued document keeps it in its seller snapshot. A 0/1
-- integer, as the API reads it.
ALTER TABLE companies ADD COLUMN vat_on_debits integer NOT NULL DEFAULT 0 CHECK (vat_on_debits IN (0, 1));
