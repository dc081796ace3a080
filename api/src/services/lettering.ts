/**
 * Lettering (lettrage): an invoice settled exactly by its payments and credit notes gets the next
 * code of its company (AA, AB, …) the first time, and keeps it if it is unsettled and settled again.
 * Whether the code shows is decided when entries are read: only while the 411 lines balance.
 */
import { letteringCode } from "@passerelle/shared";
import type { Db } from "../db/connection.js";

/** Runs in the transaction that changed what was paid or credited on `invoiceId`. */
export function syncLettering(db: Db, companyId: string, invoiceId: string, now: Date): void {
  const row = db
    .prepare("SELECT type, status, ttc_cents, paid_cents, credited_cents FROM invoices WHERE company_id = ? AND id = ?")
    .get(companyId, invoiceId) as { type: string; status: string; ttc_cents: number; paid_cents: number; credited_cents: number } | undefined;
  if (!row || row.type !== "invoice" || row.status === "draft" || row.ttc_cents !== row.paid_cents + row.credited_cents) return;
  db.prepare(
    `INSERT INTO lettering (company_id, invoice_id, position, assigned_at)
     SELECT @companyId, @invoiceId, COALESCE(MAX(position) + 1, 0), @now FROM lettering WHERE company_id = @companyId
     ON CONFLICT (company_id, invoice_id) DO NOTHING`,
  ).run({ companyId, invoiceId, now: now.toISOString() });
}

/** Invoice id → its lettering code. */
export function letteringCodes(db: Db, companyId: string): Map<string, string> {
  const rows = db.prepare("SELECT invoice_id, position FROM lettering WHERE company_id = ?").all(companyId) as { invoice_id: string; position: number }[];
  return new Map(rows.map((r) => [r.invoice_id, letteringCode(r.position)]));
}
