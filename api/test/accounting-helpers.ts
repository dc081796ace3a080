/** Test helpers for the accountant's layer: an accountant member, owner-data snapshots, entry arithmetic. */
import type { Db } from "../src/db/connection.js";
import { signupOwner, type TestApp } from "./helpers.js";

/**
 * A signed-in accountant of `companyId`. Memberships are normally created by accepting an
 * invitation; here the row is written directly so these tests do not depend on that flow.
 */
export async function accountantOf(t: TestApp, companyId: string) {
  const user = await signupOwner(t, "Comptable");
  t.deps.db
    .prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'accountant', ?)")
    .run(companyId, user.user.id, t.clock.now().toISOString());
  return user;
}

/**
 * Every row of the owner's data for a company, as JSON text (byte-for-byte comparisons). The
 * company's change-feed counter moves with every write of either layer, so it can be left out.
 */
export function ownerDataSnapshot(db: Db, companyId: string, options: { withSeq?: boolean } = {}): string {
  const tables: [string, string][] = [
    ["companies", options.withSeq === false ? "SELECT *, NULL AS last_seq FROM companies WHERE id = @c" : "SELECT * FROM companies WHERE id = @c"],
    ["customers", "SELECT * FROM customers WHERE company_id = @c ORDER BY pk"],
    ["products", "SELECT * FROM products WHERE company_id = @c ORDER BY pk"],
    ["invoices", "SELECT * FROM invoices WHERE company_id = @c ORDER BY pk"],
    ["invoice_lines", "SELECT l.* FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.company_id = @c ORDER BY i.pk, l.position"],
    ["invoice_vat", "SELECT v.* FROM invoice_vat v JOIN invoices i ON i.id = v.invoice_id WHERE i.company_id = @c ORDER BY v.invoice_id, v.vat_rate_bp"],
    ["invoice_deductions", "SELECT d.* FROM invoice_deductions d JOIN invoices i ON i.id = d.invoice_id WHERE i.company_id = @c ORDER BY i.pk, d.deposit_invoice_id, d.vat_rate_bp"],
    ["orders", "SELECT * FROM orders WHERE company_id = @c ORDER BY pk"],
    ["order_lines", "SELECT l.* FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.company_id = @c ORDER BY o.pk, l.position"],
    ["order_vat", "SELECT v.* FROM order_vat v JOIN orders o ON o.id = v.order_id WHERE o.company_id = @c ORDER BY o.pk, v.vat_rate_bp"],
    ["number_series", "SELECT * FROM number_series WHERE company_id = @c ORDER BY series_key"],
    ["payments", "SELECT * FROM payments WHERE company_id = @c ORDER BY pk"],
    ["payment_deletions", "SELECT * FROM payment_deletions WHERE company_id = @c ORDER BY payment_id"],
    ["record_chain", "SELECT * FROM record_chain WHERE company_id = @c ORDER BY position"],
  ];
  return JSON.stringify(Object.fromEntries(tables.map(([name, sql]) => [name, db.prepare(sql).all({ c: companyId })])));
}

export interface EntryJson {
  journalCode: string;
  journalLabel: string;
  entryNumber: string;
  date: string;
  pieceRef: string;
  pieceDate: string;
  label: string;
  validatedOn: string | null;
  source: { kind: string; id: string; invoiceId: string };
  lines: { account: string; accountLabel: string; auxAccount?: string; auxLabel?: string; label: string; debitCents: number; creditCents: number; lettering?: string; letteringDate?: string }[];
}

/** All entries of a company, following cursors. */
export async function allEntries(t: TestApp, token: string, companyId: string, query = ""): Promise<EntryJson[]> {
  const out: EntryJson[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? "&" : "";
    const res = await t.call("GET", `/companies/${companyId}/entries?${query}${sep}limit=200${cursor ? `&cursor=${cursor}` : ""}`, { token });
    if (res.status !== 200) throw new Error(`entries: ${res.status} ${res.text}`);
    out.push(...res.json.items);
    cursor = res.json.nextCursor;
  } while (cursor);
  return out;
}

/** Σ credit − Σ debit on accounts starting with `prefix` (what a credit-side account holds). */
export function creditBalance(entries: EntryJson[], prefix: string): number {
  let total = 0;
  for (const e of entries) for (const l of e.lines) if (l.account.startsWith(prefix)) total += l.creditCents - l.debitCents;
  return total;
}
