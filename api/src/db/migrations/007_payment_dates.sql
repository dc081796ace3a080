-- An invoice's lettering date is that of its last settling document (db/ledger.ts letteringSql):
-- the latest date among its payments. With the date in the index, that maximum is read from the
-- index alone, for every invoice of every page of entries; looking up payments by invoice works
-- as before.
CREATE INDEX payments_invoice_date ON payments(invoice_id, date);
DROP INDEX payments_invoice;
