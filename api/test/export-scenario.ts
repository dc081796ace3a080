/** A company with two months of sales for the export tests (see `scenario`). */
import { expect } from "vitest";
import { createTestApp, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { accountantOf } from "./export-support.js";
import type { Config } from "../src/config.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

async function pay(t: TestApp, o: Owner, invoiceId: string, amountCents: number, date: string) {
  const res = await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId, amountCents, date, method: "transfer", reference: "VIR SEPA | 42" } });
  if (res.status !== 201) throw new Error(`payment failed: ${res.text}`);
}

async function credit(t: TestApp, o: Owner, invoiceId: string, date: string, lines?: { lineId: string; quantity?: string }[]) {
  const res = await t.call("POST", `/companies/${o.companyId}/invoices/${invoiceId}/credit-note`, { token: o.token, body: { issueDate: date, ...(lines ? { lines } : {}) } });
  if (res.status !== 201) throw new Error(`credit note failed: ${res.text}`);
  return res.json;
}

/**
 * October (locked on 1 November) and November (open): four VAT rates, a credit note that settles an
 * invoice and a partial one, lettered and unlettered invoices, and texts holding tabs, pipes and
 * line breaks (customer name, journal labels, an account label) — the API refuses control
 * characters, so those are written to the database as data stored before that rule would be.
 * `config` chooses, for one, the database (`databasePath`).
 */
export async function scenario(config: Partial<Config> = {}) {
  const t = createTestApp({ now: "2026-11-01T09:00:00Z", config: { sessionTtlHours: 24 * 90, ...config } });
  const o = await ownerWithCompany(t);
  const accountant = await accountantOf(t, o.companyId);
  const tricky = await t.call("POST", `/companies/${o.companyId}/customers`, {
    token: o.token,
    body: { name: "Café", address: "8 rue Oberkampf, 75011 Paris", category: "Cafés" },
  });
  expect(tricky.status).toBe(201);
  t.deps.db.prepare("UPDATE customers SET name = ? WHERE id = ?").run('Café "Le Zinc" | Paris\tNord\nBis', tricky.json.id);
  const trickyOwner = { ...o, customerId: tricky.json.id as string };
  const settings = await t.call("PUT", `/companies/${o.companyId}/accounting/settings`, {
    token: accountant.token,
    body: {
      journals: { sales: { code: "VE", label: "Ventes | France" }, bank: { code: "BQ", label: "Banque" } },
      accountLabels: { "706000": "Prestations" },
    },
  });
  expect(settings.status).toBe(200);
  const stored = JSON.parse(t.deps.db.prepare("SELECT settings_json FROM accounting_settings WHERE company_id = ?").pluck().get(o.companyId) as string);
  stored.journals.bank.label = "Banque\tprincipale";
  stored.accountLabels["706000"] = "Prestations\r\nde services | FR";
  t.deps.db.prepare("UPDATE accounting_settings SET settings_json = ? WHERE company_id = ?").run(JSON.stringify(stored), o.companyId);

  // October
  const a = await issuedInvoice(t, o, "2026-10-05", [
    { description: "Étude", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" },
    { description: "Livres", quantity: "2", unitPriceCents: 2350, vatRateBp: 550, kind: "goods" },
  ]);
  await pay(t, o, a.id, a.totals.ttcCents, "2026-10-20"); // settled: lettered
  const b = await issuedInvoice(t, trickyOwner, "2026-10-12", [
    { description: "Pose", quantity: "1.5", unitPriceCents: 6800, vatRateBp: 1000, kind: "services" },
    { description: "Suspension", quantity: "1", unitPriceCents: 18900, vatRateBp: 2000, kind: "goods" },
  ]);
  await pay(t, o, b.id, 10000, "2026-10-25"); // partly paid: not lettered
  const lock = await t.call("POST", `/companies/${o.companyId}/locks`, { token: accountant.token, body: { until: "2026-10-31", kind: "soft" } });
  expect(lock.status).toBe(201);

  // November
  t.clock.set("2026-11-20T10:00:00Z");
  const c = await issuedInvoice(t, o, "2026-11-03", [{ description: "Revue", quantity: "4", unitPriceCents: 850, vatRateBp: 210, kind: "goods" }]);
  await credit(t, o, c.id, "2026-11-05"); // settled by a credit note: lettered
  const d = await issuedInvoice(t, trickyOwner, "2026-11-10", [{ description: "Conseil", quantity: "2", unitPriceCents: 25000, vatRateBp: 2000, kind: "services" }]);
  const partial = await credit(t, o, d.id, "2026-11-12", [{ lineId: d.lines[0].id, quantity: "1" }]);
  await pay(t, o, d.id, d.totals.ttcCents - partial.totals.ttcCents, "2026-11-15"); // credit note + payment settle it
  return { t, o, accountant, a, b, c, d, tricky: tricky.json as { id: string; code: string } };
}

