-- Three mentions of French invoices (accounting.md §2): the date of the sale or service when it
-- differs from the issue date (with, for services, the period they cover), the delivery address
-- when it is not the billing address, and the seller's option to pay VAT on services "d'après les
-- débits". The invoice columns are frozen at issue like the rest of the document; existing rows
-- keep NULL, which the record chain leaves out, so chains built before this migration still verify.

ALTER TABLE invoices ADD COLUMN delivery_date TEXT;
ALTER TABLE invoices ADD COLUMN service_period_from TEXT;
ALTER TABLE invoices ADD COLUMN service_period_to TEXT;
ALTER TABLE invoices ADD COLUMN delivery_line1 TEXT;
ALTER TABLE invoices ADD COLUMN delivery_line2 TEXT;
ALTER TABLE invoices ADD COLUMN delivery_postal_code TEXT;
ALTER TABLE invoices ADD COLUMN delivery_city TEXT;
ALTER TABLE invoices ADD COLUMN delivery_country TEXT;

-- The option is the company's; each issued document keeps it in its seller snapshot.
ALTER TABLE companies ADD COLUMN vat_on_debits INTEGER NOT NULL DEFAULT 0 CHECK (vat_on_debits IN (0, 1));
