-- Lines as people write them, and the payment rules the law sets.

-- The unit a line's quantity counts (shared/src/units.ts: hour, day, kg, m2, flat_rate, piece…),
-- printed after the quantity and sent as its UN/ECE Rec 20 code; null for a plain count, as before.
ALTER TABLE invoice_lines ADD COLUMN unit TEXT;

-- The bank's BIC next to the IBAN, and terms of "N jours fin de mois" (the due date is the last day
-- of the month N days after the issue date).
ALTER TABLE companies ADD COLUMN bic TEXT;
ALTER TABLE companies ADD COLUMN payment_terms_end_of_month INTEGER NOT NULL DEFAULT 0 CHECK (payment_terms_end_of_month IN (0, 1));

-- Code de commerce L441-10: at most 60 days after the issue date; longer terms stored before the
-- rule was enforced become 60 days, so no invoice issued from now on carries an unlawful due date.
UPDATE companies SET payment_terms_days = 60 WHERE payment_terms_days > 60;
