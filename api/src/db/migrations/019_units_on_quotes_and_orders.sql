-- A quote's and an order's lines count in the same units as an invoice's (shared/src/units.ts):
-- the invoice made from a quote, and the balance invoice of an order, keep them.
ALTER TABLE quote_lines ADD COLUMN unit TEXT;
ALTER TABLE order_lines ADD COLUMN unit TEXT;
