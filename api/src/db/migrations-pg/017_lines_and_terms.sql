-- PostgreSQL translation of migrations/017_lines_and_terms.sql: lines as people write them, and
-- the payment rules the law sets.

-- The unit a line's quantity counts (shared/src/units.ts); null for a plain count.
ALTER TABLE invoice_lines ADD COLUMN unit text;

-- The bank's BIC next to the IBAN, and terms of "N jours fin de mois" (0/1).
ALTER TABLE companies ADD COLUMN bic text;
ALTER TABLE companies ADD COLUMN payment_terms_end_of_month integer NOT NULL DEFAULT 0 CHECK (payment_terms_end_of_month IN (0, 1));

-- Code de commerce L441-10: at most 60 days after the issue date; longer terms stored before the
-- rule was enforced become 60 days.
UPDATE companies SET payment_terms_days = 60 WHERE payment_terms_days > 60;
