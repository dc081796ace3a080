-- PostgreSQL translation of migrations/007_payment_dates.sql: an invoice's lettering date (the
-- latest date among its payments) is read from the index alone.
CREATE INDEX payments_invoice_date ON payments(invoice_id, date);
DROP INDEX payments_invoice;
