-- PostgreSQL translation of migrations/009_clustered_tables.sql. In SQLite the tables read in the
-- order of their key moved into the key's own b-tree (WITHOUT ROWID). PostgreSQL keeps every table
-- in a heap beside its indexes, so invoice_vat, record_chain, activity and lettering keep the
-- tables and keys they have (the same as SQLite's). What changes in the schema is invoice_lines:
-- its internal `pk`, which nothing read, goes, and (document, position), its place on the
-- document, becomes its primary key instead of a unique constraint.
ALTER TABLE invoice_lines DROP COLUMN pk;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_invoice_id_position_key;
ALTER TABLE invoice_lines ADD PRIMARY KEY (invoice_id, position);
