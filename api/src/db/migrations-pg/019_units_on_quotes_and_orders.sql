-- PostgreSQL translation of migrations/019_units_on_quotes_and_orders.sql: a quote's and an
-- order's lines count in the same units as an invoice's.
ALTER TABLE quote_lines ADD COLUMN unit text;
ALTER TABLE order_lines ADD COLUMN unit text;
