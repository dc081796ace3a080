-- An accepted quote becomes one order at most: the database holds the rule the service states
-- (POST …/quotes/{quoteId}/order answers 409 the second time), and finds a quote's order by index.
CREATE UNIQUE INDEX orders_quote ON orders(quote_id) WHERE quote_id IS NOT NULL;
