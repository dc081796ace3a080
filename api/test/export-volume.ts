/**
 * Volume for the streaming tests: a year of paid invoices written straight into the tables in one
 * transaction — totals, line nets and numbers from the shared domain functions — far faster than
 * going through HTTP, with the same rows the services write (an invoice settled in full gets the
 * next lettering position, as services/lettering.ts assigns it).
 */
import { formatNumber, invoiceTotals, lineNetCents, seriesKey, addDays } from "@passerelle/shared";
import type { Db } from "../src/db/connection.js";
import { inTransaction } from "../src/db/connection.js";
import { newId } from "../src/db/ids.js";

const LINES = [
  { description: "Étude", quantity: "1", vatRateBp: 2000, kind: "services" as const },
  { description: "Fournitures", quantity: "2", vatRateBp: 2000, kind: "goods" as const },
  { description: "Livres", quantity: "3", vatRateBp: 550, kind: "goods" as const },
  { description: "Pose", quantity: "1.5", vatRateBp: 1000, kind: "services" as const },
];

/**
 * `count` invoices spread over `year`, each with four lines at three rates (six entry lines) and
 * paid in full the same day (two entry lines): 8 entry lines per invoice.
 */
export function seedPaidInvoices(db: Db, companyId: string, customerId: string, count: number, year: number): void {
  const now = new Date(`${year + 1}-01-05T10:00:00Z`);
  const snapshot = db.prepare("SELECT code, name FROM customers WHERE id = ?").get(customerId) as { code: string; name: string };
  const freeze = (json: string) => db.prepare("INSERT INTO frozen_identities (company_id, json) VALUES (?, ?) RETURNING id").pluck().get(companyId, json) as number;
  const customerIdentity = freeze(JSON.stringify({ code: snapshot.code, name: snapshot.name }));
  const sellerIdentity = freeze("{}");
  const insertInvoice = db.prepare(
    `INSERT INTO invoices (id, company_id, type, status, number, series_key, series_counter, customer_id, issue_date, due_date,
       customer_identity_id, seller_identity_id, ht_cents, vat_cents, ttc_cents, paid_cents, created_at, updated_at, issued_at)
     VALUES (?, ?, 'invoice', 'paid', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLine = db.prepare(
    `INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit_price_cents, vat_rate_bp, discount_cents, kind, net_cents)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  const insertVat = db.prepare("INSERT INTO invoice_vat (invoice_id, vat_rate_bp, base_cents, vat_cents) VALUES (?, ?, ?, ?)");
  const insertLettering = db.prepare("INSERT INTO lettering (company_id, invoice_id, position, assigned_at) VALUES (?, ?, ?, ?)");
  const insertPayment = db.prepare(
    "INSERT INTO payments (id, company_id, invoice_id, amount_cents, date, method, reference, created_at) VALUES (?, ?, ?, ?, ?, 'transfer', NULL, ?)",
  );
  inTransaction(db, () => {
    const key = seriesKey("invoice", `${year}-01-01`);
    for (let i = 1; i <= count; i++) {
      const date = addDays(`${year}-01-01`, Math.floor(((i - 1) * 365) / count));
      const lines = LINES.map((l, k) => ({ ...l, unitPriceCents: 1000 + ((i * 7 + k * 13) % 9000) }));
      const totals = invoiceTotals(lines);
      const id = newId();
      const at = now.toISOString();
      insertInvoice.run(id, companyId, formatNumber(key, i), key, i, customerId, date, addDays(date, 30), customerIdentity, sellerIdentity, totals.htCents, totals.vatCents, totals.ttcCents, totals.ttcCents, at, at, at);
      lines.forEach((l, k) => insertLine.run(newId(), id, k + 1, l.description, l.quantity, l.unitPriceCents, l.vatRateBp, l.kind, lineNetCents(l.quantity, l.unitPriceCents, 0)));
      for (const r of totals.byRate) insertVat.run(id, r.vatRateBp, r.baseCents, r.vatCents);
      insertPayment.run(newId(), companyId, id, totals.ttcCents, date, at);
      insertLettering.run(companyId, id, i - 1, at);
    }
    db.prepare(
      `INSERT INTO number_series (company_id, series_key, last_counter) VALUES (?, ?, ?)
       ON CONFLICT (company_id, series_key) DO UPDATE SET last_counter = excluded.last_counter`,
    ).run(companyId, key, count);
  });
}
