-- PostgreSQL translation of migrations/020_one_order_per_quote.sql: an accepted quote becomes one
-- order at most, and a quote's order is found by index.
CREATE UNIQUE INDEX orders_quote ON orders(quote_id) WHERE quote_id IS NOT NULL;
