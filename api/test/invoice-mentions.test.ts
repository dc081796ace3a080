/**
 * Three mentions of French invoices (accounting.md §2): the date of the sale or service when it
 * differs from the issue date (and the period of the services), the delivery address when it is not
 * the billing address, and the option for paying VAT "d'après les débits". Entered on drafts, frozen
 * at issue, copied by credit notes, printed on the PDF, chained without disturbing older records.
 */
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@passerelle/shared";
import { createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { accountantOf, download } from "./export-support.js";
import { pdfText } from "./pdf-text.js";
import { invoiceRow, linesOf, vatOf } from "../src/db/invoices.js";
import { linkHash } from "../src/services/chain.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

const ADDRESS = { line1: "Chantier Part-Dieu", line2: "Bâtiment B, 3e étage", postalCode: "69003", city: "Lyon", country: "FR" };
const PERIOD = { from: "2026-10-01", to: "2026-10-31" };
const SERVICES = [{ description: "Maintenance de l'éclairage", quantity: "1", unitPriceCents: 48000, vatRateBp: 2000, kind: "services" as const }];

const url = (o: Owner, path = "") => `/companies/${o.companyId}/invoices${path}`;
const get = async (t: TestApp, o: Owner, id: string) => (await t.call("GET", url(o, `/${id}`), { token: o.token })).json;
const count = (t: TestApp, o: Owner) => t.deps.db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ?").pluck().get(o.companyId) as number;
const activity = (t: TestApp, o: Owner) => t.deps.db.prepare("SELECT COUNT(*) FROM activity WHERE company_id = ?").pluck().get(o.companyId) as number;

async function draft(t: TestApp, o: Owner, extra: Record<string, unknown> = {}) {
  const res = await t.call("POST", url(o), { token: o.token, body: { ...draftBody(o.customerId, SERVICES), ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function pdfItems(t: TestApp, o: Owner, id: string): Promise<string[]> {
  const res = await download(t, url(o, `/${id}/pdf`), o.token);
  expect(res.status).toBe(200);
  return (await pdfText(res.bytes)).flat();
}

describe("date, period and address of the supply on drafts", () => {
  it("are stored as given, changed by PATCH (absent stays, null clears) and read back", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const created = await draft(t, o, { deliveryDate: "2026-10-28", servicePeriod: PERIOD, deliveryAddress: { line1: " Chantier Part-Dieu ", postalCode: "69003", city: "Lyon" } });
    expect(created).toMatchObject({
      deliveryDate: "2026-10-28",
      servicePeriod: { from: "2026-10-01", to: "2026-10-31" },
      deliveryAddress: { line1: "Chantier Part-Dieu", postalCode: "69003", city: "Lyon", country: "FR" },
    });
    expect(await get(t, o, created.id)).toEqual(created);

    const moved = await t.call("PATCH", url(o, `/${created.id}`), { token: o.token, body: { deliveryDate: "2026-10-30", deliveryAddress: ADDRESS } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json).toMatchObject({ deliveryDate: "2026-10-30", servicePeriod: PERIOD, deliveryAddress: ADDRESS });
    // a PATCH about something else leaves them alone
    const notes = await t.call("PATCH", url(o, `/${created.id}`), { token: o.token, body: { notes: "Contrat annuel" } });
    expect(notes.json).toMatchObject({ deliveryDate: "2026-10-30", servicePeriod: PERIOD, deliveryAddress: ADDRESS, notes: "Contrat annuel" });
    const cleared = await t.call("PATCH", url(o, `/${created.id}`), { token: o.token, body: { deliveryAddress: null, servicePeriod: null } });
    expect(cleared.json).toMatchObject({ deliveryDate: "2026-10-30", servicePeriod: null, deliveryAddress: null });
    const none = await t.call("PATCH", url(o, `/${created.id}`), { token: o.token, body: { deliveryDate: null } });
    expect(none.json).toMatchObject({ deliveryDate: null, servicePeriod: null, deliveryAddress: null });
    const row = t.deps.db.prepare("SELECT delivery_date, service_period_from, delivery_line1, delivery_country FROM invoices WHERE id = ?").get(created.id);
    expect(row).toEqual({ delivery_date: null, service_period_from: null, delivery_line1: null, delivery_country: null });
  });

  it("refuses a date that does not exist, a reversed period and a half-filled address: 422 naming the field, nothing stored", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const invoices = count(t, o);
    const log = activity(t, o);
    const cases: [Record<string, unknown>, { path: string; message: string }[]][] = [
      [{ deliveryDate: "2026-02-30" }, [{ path: "deliveryDate", message: "must be a real calendar date written YYYY-MM-DD" }]],
      [{ deliveryDate: "28/10/2026" }, [{ path: "deliveryDate", message: "must be a real calendar date written YYYY-MM-DD" }]],
      [{ deliveryDate: "1999-12-31" }, [{ path: "deliveryDate", message: "must be a date between 2000-01-01 and 2099-12-31" }]],
      [{ servicePeriod: { from: "2026-10-31", to: "2026-10-01" } }, [{ path: "servicePeriod.to", message: "must not end before it starts" }]],
      [{ servicePeriod: { from: "2026-10-01" } }, [{ path: "servicePeriod.to", message: "must be a real calendar date written YYYY-MM-DD" }]],
      [
        { deliveryAddress: { line1: "Chantier Part-Dieu" } },
        [
          { path: "deliveryAddress.postalCode", message: "is required: a delivery address needs its postal code" },
          { path: "deliveryAddress.city", message: "is required: a delivery address needs its city" },
        ],
      ],
      [{ deliveryAddress: { line1: "  ", postalCode: "69003", city: "Lyon" } }, [{ path: "deliveryAddress.line1", message: "must not be empty: a delivery address needs its street and number" }]],
      [{ deliveryAddress: { ...ADDRESS, country: "France" } }, [{ path: "deliveryAddress.country", message: "must be an ISO 3166 alpha-2 country code, e.g. FR" }]],
      [{ deliveryAddress: { ...ADDRESS, floor: 3 } }, [{ path: "deliveryAddress.floor", message: "is not a known field" }]],
      [{ deliveryAddress: "3 rue de la Gare, 69003 Lyon" }, [{ path: "deliveryAddress", message: expect.any(String) }]],
    ];
    for (const [extra, errors] of cases) {
      const res = await t.call("POST", url(o), { token: o.token, body: { ...draftBody(o.customerId, SERVICES), ...extra } });
      const problem = expectProblem(res, 422);
      expect(problem.errors, JSON.stringify(extra)).toEqual(errors);
    }
    expect(count(t, o)).toBe(invoices);
    expect(activity(t, o)).toBe(log);

    // the same on PATCH: the draft keeps what it had
    const d = await draft(t, o, { deliveryDate: "2026-10-28", deliveryAddress: ADDRESS });
    const before = await get(t, o, d.id);
    const logBefore = activity(t, o);
    for (const [extra, errors] of cases) {
      const res = await t.call("PATCH", url(o, `/${d.id}`), { token: o.token, body: extra });
      expect(expectProblem(res, 422).errors, JSON.stringify(extra)).toEqual(errors);
    }
    expect(await get(t, o, d.id)).toEqual(before);
    expect(activity(t, o)).toBe(logBefore);
  });
});

describe("issued documents", () => {
  it("freeze the mentions at issue; a credit note repeats the date, period and address of the invoice it corrects", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const d = await draft(t, o, { deliveryDate: "2026-10-31", servicePeriod: PERIOD, deliveryAddress: ADDRESS });
    const issued = await t.call("POST", url(o, `/${d.id}/issue`), { token: o.token, body: { issueDate: "2026-11-02" } });
    expect(issued.status, issued.text).toBe(200);
    expect(issued.json).toMatchObject({ number: "F2026-00001", issueDate: "2026-11-02", deliveryDate: "2026-10-31", servicePeriod: PERIOD, deliveryAddress: ADDRESS });

    const log = activity(t, o);
    const change = await t.call("PATCH", url(o, `/${d.id}`), { token: o.token, body: { deliveryDate: "2026-10-15" } });
    expect(expectProblem(change, 409).detail).toBe(
      "Invoice F2026-00001 is issued and can no longer be changed: issued documents are final. Correct it with a credit note.",
    );
    expect(await get(t, o, d.id)).toEqual(issued.json);
    expect(activity(t, o)).toBe(log);

    const credit = await t.call("POST", url(o, `/${d.id}/credit-note`), { token: o.token, body: { issueDate: "2026-11-10" } });
    expect(credit.status, credit.text).toBe(201);
    expect(credit.json).toMatchObject({ number: "AV2026-00001", issueDate: "2026-11-10", deliveryDate: "2026-10-31", servicePeriod: PERIOD, deliveryAddress: ADDRESS });
    // an invoice without them gives a credit note without them
    const plain = await issuedInvoice(t, o, "2026-11-12");
    const plainCredit = await t.call("POST", url(o, `/${plain.id}/credit-note`), { token: o.token, body: { issueDate: "2026-11-12" } });
    expect(plainCredit.json).toMatchObject({ deliveryDate: null, servicePeriod: null, deliveryAddress: null });
  });

  it("chain the mentions they state, and hash the documents without them exactly as before the mentions existed", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const plain = await issuedInvoice(t, o, "2026-11-02");
    const d = await draft(t, o, { deliveryDate: "2026-10-31", deliveryAddress: ADDRESS });
    const stated = (await t.call("POST", url(o, `/${d.id}/issue`), { token: o.token, body: { issueDate: "2026-11-03" } })).json;
    const credit = (await t.call("POST", url(o, `/${plain.id}/credit-note`), { token: o.token, body: { issueDate: "2026-11-04" } })).json;

    // The record as it was canonicalised before migration 005 (no delivery keys at all).
    const db = t.deps.db;
    const previousForm = (id: string) => {
      const row = invoiceRow(db, o.companyId, id) as unknown as Record<string, any>;
      return {
        kind: row.type,
        id: row.id,
        companyId: row.company_id,
        number: row.number,
        issueDate: row.issue_date,
        dueDate: row.due_date,
        customer: JSON.parse(row.customer_snapshot),
        seller: JSON.parse(row.seller_snapshot),
        creditedInvoiceId: row.credited_invoice_id,
        vatExemption: row.vat_exemption,
        lines: linesOf(db, [id]).get(id)!.map((l) => ({
          position: l.position,
          productId: l.product_id,
          description: l.description,
          quantity: l.quantity,
          unitPriceCents: l.unit_price_cents,
          vatRateBp: l.vat_rate_bp,
          discountCents: l.discount_cents,
          kind: l.kind,
          netCents: l.net_cents,
          creditedLineId: l.credited_line_id,
        })),
        totals: {
          htCents: row.ht_cents,
          vatCents: row.vat_cents,
          ttcCents: row.ttc_cents,
          byRate: vatOf(db, [id]).get(id)!.map((v) => ({ vatRateBp: v.vat_rate_bp, baseCents: v.base_cents, vatCents: v.vat_cents })),
        },
      };
    };
    const chain = db.prepare("SELECT record_id, hash FROM record_chain WHERE company_id = ? ORDER BY position").all(o.companyId) as { record_id: string; hash: string }[];
    expect(chain.map((c) => c.record_id)).toEqual([plain.id, stated.id, credit.id]);
    expect(chain[0]!.hash).toBe(linkHash("", previousForm(plain.id)));
    expect(chain[1]!.hash).toBe(linkHash(chain[0]!.hash, { ...previousForm(stated.id), deliveryDate: "2026-10-31", deliveryAddress: ADDRESS }));
    expect(chain[2]!.hash).toBe(linkHash(chain[1]!.hash, previousForm(credit.id)));
    expect(canonicalJson(previousForm(plain.id))).not.toContain("delivery");

    const ok = await t.call("GET", `/companies/${o.companyId}/integrity`, { token: o.token });
    expect(ok.json).toMatchObject({ ok: true, chain: "valid", problems: [] });
    // moving the date of an issued sale in the database breaks the chain at that invoice
    db.prepare("UPDATE invoices SET delivery_date = '2026-10-01' WHERE id = ?").run(stated.id);
    const broken = await t.call("GET", `/companies/${o.companyId}/integrity`, { token: o.token });
    expect(broken.json.problems).toEqual([
      { kind: "chain", record: "F2026-00002", message: "chain position 2: F2026-00002 was changed after it became final (hash mismatch)" },
    ]);
  });
});

describe("the option for paying VAT d'après les débits", () => {
  it("is a company setting the owner turns on and off; the accountant's VAT on payment excludes it, both ways (409 naming the field, nothing changed)", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const accountant = await accountantOf(t, o.companyId);
    const company = `/companies/${o.companyId}`;
    const settings = `${company}/accounting/settings`;
    expect((await t.call("GET", company, { token: o.token })).json.vatOnDebits).toBe(false);

    const on = await t.call("PATCH", company, { token: o.token, body: { vatOnDebits: true } });
    expect(on.status, on.text).toBe(200);
    expect(on.json.vatOnDebits).toBe(true);
    const logged = t.deps.db.prepare("SELECT before_json, after_json FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 1").get(o.companyId) as Record<string, string>;
    expect([JSON.parse(logged.before_json!), JSON.parse(logged.after_json!)]).toEqual([{ vatOnDebits: false }, { vatOnDebits: true }]);
    expectProblem(await t.call("PATCH", company, { token: accountant.token, body: { vatOnDebits: false } }), 403);

    // the accountant cannot put services' VAT on payment while the option is on
    const log = activity(t, o);
    const refused = expectProblem(await t.call("PUT", settings, { token: accountant.token, body: { vatOnPayments: true } }), 409, "vatOnPayments");
    expect(refused.errors).toEqual([
      {
        path: "vatOnPayments",
        message:
          "cannot be on while the company opted to pay VAT on services d'après les débits (vatOnDebits): its services' VAT is due on invoicing, not on payment. The owner must turn vatOnDebits off first",
      },
    ]);
    expect((await t.call("GET", settings, { token: accountant.token })).json.vatOnPayments).toBe(false);
    expect(activity(t, o)).toBe(log);
    // other settings still save
    expect((await t.call("PUT", settings, { token: accountant.token, body: { accounts: { services: "706100" } } })).status).toBe(200);

    expect((await t.call("PATCH", company, { token: o.token, body: { vatOnDebits: false } })).json.vatOnDebits).toBe(false);
    expect((await t.call("PUT", settings, { token: accountant.token, body: { vatOnPayments: true } })).status).toBe(200);
    const log2 = activity(t, o);
    const back = expectProblem(await t.call("PATCH", company, { token: o.token, body: { vatOnDebits: true, paymentTermsDays: 45 } }), 409, "vatOnDebits");
    expect(back.errors).toEqual([
      {
        path: "vatOnDebits",
        message:
          "cannot be on while the accounting settings put services' VAT on payment (vatOnPayments): the option for débits makes it due on invoicing. Ask your accountant to turn vatOnPayments off first",
      },
    ]);
    expect((await t.call("GET", company, { token: o.token })).json).toMatchObject({ vatOnDebits: false, paymentTermsDays: 30 });
    expect(activity(t, o)).toBe(log2);
    // turning it off (or saying it is off) is always possible
    expect((await t.call("PATCH", company, { token: o.token, body: { vatOnDebits: false } })).status).toBe(200);
    expectProblem(await t.call("PATCH", company, { token: o.token, body: { vatOnDebits: "oui" } }), 422, "vatOnDebits");
  });

  it("can be chosen when the company is created", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const res = await t.call("POST", "/companies", {
      token: o.token,
      body: { name: "Conseil Débits SAS", siren: "732829320", address: "1 rue de la Paix, 75002 Paris", vatOnDebits: true },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.vatOnDebits).toBe(true);
  });
});

describe("the invoice PDF", () => {
  it("prints the date of the service when it differs from the issue date, the period, the delivery address and the option for débits", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    expect((await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { vatOnDebits: true } })).status).toBe(200);
    const d = await draft(t, o, { deliveryDate: "2026-10-31", servicePeriod: PERIOD, deliveryAddress: ADDRESS });
    const invoice = (await t.call("POST", url(o, `/${d.id}/issue`), { token: o.token, body: { issueDate: "2026-11-02" } })).json;
    // the option is frozen on the issued invoice: turning it off later does not change it
    expect((await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { vatOnDebits: false } })).status).toBe(200);

    const items = await pdfItems(t, o, invoice.id);
    expect(items).toEqual(expect.arrayContaining(["Date d'émission :", "02/11/2026", "Date de la prestation :", "31/10/2026"]));
    expect(items).toContain("Période de la prestation : du 01/10/2026 au 31/10/2026");
    const at = items.indexOf("ADRESSE DE LIVRAISON");
    expect(at).toBeGreaterThanOrEqual(0);
    expect(items.slice(at + 1, at + 4)).toEqual(["Chantier Part-Dieu", "Bâtiment B, 3e étage", "69003 Lyon"]);
    expect(items).toContain("Option pour le paiement de la taxe d'après les débits");

    // the credit note prints the same sale's date and place, and the option it was issued under (now off)
    const credit = (await t.call("POST", url(o, `/${invoice.id}/credit-note`), { token: o.token, body: { issueDate: "2026-11-10" } })).json;
    const creditItems = await pdfItems(t, o, credit.id);
    expect(creditItems).toEqual(expect.arrayContaining(["Date de la prestation :", "31/10/2026", "ADRESSE DE LIVRAISON", "Chantier Part-Dieu"]));
    expect(creditItems).not.toContain("Option pour le paiement de la taxe d'après les débits");
  });

  it("prints none of them when the invoice states none, or when the date is the issue date; goods say 'Date de livraison'", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const plain = await issuedInvoice(t, o, "2026-11-02");
    const items = await pdfItems(t, o, plain.id);
    for (const absent of ["ADRESSE DE LIVRAISON", "Date de la prestation :", "Date de livraison :", "Option pour le paiement de la taxe d'après les débits"]) expect(items).not.toContain(absent);
    expect(items.join("\n")).not.toContain("Période de la prestation");

    const sameDay = await draft(t, o, { deliveryDate: "2026-11-03" });
    const issued = (await t.call("POST", url(o, `/${sameDay.id}/issue`), { token: o.token, body: { issueDate: "2026-11-03" } })).json;
    expect(issued.deliveryDate).toBe("2026-11-03");
    expect(await pdfItems(t, o, issued.id)).not.toContain("Date de la prestation :");

    const goods = await t.call("POST", url(o), {
      token: o.token,
      body: { ...draftBody(o.customerId, [{ description: "Suspension laiton", quantity: "2", unitPriceCents: 18900, vatRateBp: 2000, kind: "goods" }]), deliveryDate: "2026-11-05" },
    });
    // a draft prints it too (it has no issue date yet)
    expect(await pdfItems(t, o, goods.json.id)).toEqual(expect.arrayContaining(["BROUILLON", "Date de livraison :", "05/11/2026"]));
    const mixed = await draft(t, o, {
      lines: [...SERVICES, { description: "Ampoule LED", quantity: "3", unitPriceCents: 1250, vatRateBp: 550, kind: "goods" }],
      deliveryDate: "2026-11-06",
    });
    expect(await pdfItems(t, o, mixed.id)).toEqual(expect.arrayContaining(["Date de la vente / prestation :", "06/11/2026"]));
  });
});
