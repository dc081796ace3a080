import { describe, expect, it } from "vitest";
import { createTestApp, expectProblem, issuedInvoice, ownerWithCompany, PRODUCT, type TestApp } from "./helpers.js";
import { accountantOf, allEntries, creditBalance, type EntryJson } from "./accounting-helpers.js";

const THREE_LINES = [1, 2, 3].map((n) => ({ description: `Étude ${n}`, quantity: "1", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const }));

async function setup() {
  const t = createTestApp();
  const owner = await ownerWithCompany(t);
  const accountant = await accountantOf(t, owner.companyId);
  return { t, owner, accountant };
}

async function pay(t: TestApp, owner: { token: string; companyId: string }, invoiceId: string, amountCents: number, date: string) {
  const res = await t.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId, amountCents, date, method: "transfer" } });
  if (res.status !== 201) throw new Error(`payment failed: ${res.text}`);
  return res.json as { id: string };
}

function balanced(e: EntryJson) {
  return e.lines.reduce((s, l) => s + l.debitCents - l.creditCents, 0) === 0;
}

describe("entries of an invoice (accounting.md §3)", () => {
  it("the 3 × 10,01 € example: 411 TTC 36,04 € with the customer's code, 706 HT 30,03 €, 4457120 VAT 6,01 €", async () => {
    const { t, owner, accountant } = await setup();
    const invoice = await issuedInvoice(t, owner, "2026-11-02", THREE_LINES);
    const entries = await allEntries(t, accountant.token, owner.companyId);
    expect(entries).toEqual([
      {
        journalCode: "VE",
        journalLabel: "Ventes",
        entryNumber: "VE000001",
        date: "2026-11-02",
        pieceRef: "F2026-00001",
        pieceDate: "2026-11-02",
        label: "Facture F2026-00001 Boulangerie Dupont",
        source: { kind: "invoice", id: invoice.id, invoiceId: invoice.id },
        validatedOn: null,
        lines: [
          { account: "411000", accountLabel: "Clients", auxAccount: "C0001", auxLabel: "Boulangerie Dupont", label: "Facture F2026-00001 Boulangerie Dupont", debitCents: 3604, creditCents: 0 },
          { account: "706000", accountLabel: "Prestations de services", label: "Facture F2026-00001 Boulangerie Dupont", debitCents: 0, creditCents: 3003 },
          { account: "4457120", accountLabel: "TVA collectée 20 %", label: "Facture F2026-00001 Boulangerie Dupont", debitCents: 0, creditCents: 601 },
        ],
      },
    ]);
    // the owner reads the same entries
    const asOwner = await allEntries(t, owner.token, owner.companyId);
    expect(asOwner).toEqual(entries);
  });

  it("one revenue line per mapped account and one VAT line per rate, each rate's VAT exactly the invoice's", async () => {
    const { t, owner, accountant } = await setup();
    const invoice = await issuedInvoice(t, owner, "2026-11-02", [
      { description: "Suspension", quantity: "2", unitPriceCents: 18900, vatRateBp: 2000, kind: "goods" },
      { description: "Pose", quantity: "1.5", unitPriceCents: 6800, vatRateBp: 1000, kind: "services" },
      { description: "Livre", quantity: "3", unitPriceCents: 2900, vatRateBp: 550, kind: "goods" },
      { description: "Revue", quantity: "1", unitPriceCents: 850, vatRateBp: 210, kind: "goods" },
    ]);
    const [entry] = await allEntries(t, accountant.token, owner.companyId);
    const amounts = entry!.lines.map((l) => [l.account, l.debitCents, l.creditCents]);
    expect(amounts).toEqual([
      ["411000", invoice.totals.ttcCents, 0],
      ["706000", 0, 10200],
      ["707000", 0, 37800 + 8700 + 850],
      ["4457120", 0, 7560],
      ["4457110", 0, 1020],
      ["4457105", 0, 479],
      ["4457102", 0, 18],
    ]);
    expect(invoice.totals.byRate.map((r: { vatCents: number }) => r.vatCents)).toEqual([7560, 1020, 479, 18]);
    expect(balanced(entry!)).toBe(true);
  });
});

describe("credit notes and payments", () => {
  it("a credit note mirrors the lines it cancels; a payment debits 512 and credits 411", async () => {
    const { t, owner, accountant } = await setup();
    const invoice = await issuedInvoice(t, owner, "2026-11-02", THREE_LINES);
    const credit = await t.call("POST", `/companies/${owner.companyId}/invoices/${invoice.id}/credit-note`, {
      token: owner.token,
      body: { issueDate: "2026-11-05", lines: [{ lineId: invoice.lines[0].id }] },
    });
    expect(credit.status).toBe(201);
    const payment = await pay(t, owner, invoice.id, 3604 - credit.json.totals.ttcCents, "2026-11-10");
    const entries = await allEntries(t, accountant.token, owner.companyId);
    expect(entries.map((e) => [e.entryNumber, e.date, e.source.kind])).toEqual([
      ["VE000001", "2026-11-02", "invoice"],
      ["VE000002", "2026-11-05", "credit_note"],
      ["BQ000001", "2026-11-10", "payment"],
    ]);
    const [, creditEntry, paymentEntry] = entries;
    // 10,01 € at 20 % → 2,00 € VAT; TTC 12,01 €
    expect(creditEntry!.lines.map((l) => [l.account, l.debitCents, l.creditCents, l.auxAccount ?? null])).toEqual([
      ["706000", 1001, 0, null],
      ["4457120", 200, 0, null],
      ["411000", 0, 1201, "C0001"],
    ]);
    expect(creditEntry!.pieceRef).toBe("AV2026-00001");
    expect(paymentEntry!.journalCode).toBe("BQ");
    expect(paymentEntry!.journalLabel).toBe("Banque");
    expect(paymentEntry!.source).toEqual({ kind: "payment", id: payment.id, invoiceId: invoice.id });
    expect(paymentEntry!.lines.map((l) => [l.account, l.debitCents, l.creditCents, l.auxAccount ?? null])).toEqual([
      ["512000", 2403, 0, null],
      ["411000", 0, 2403, "C0001"],
    ]);
    expect(entries.every(balanced)).toBe(true);
    // settled by a credit note and a payment: all three 411 lines share AA, dated by the last one
    const letters = entries.map((e) => e.lines.filter((l) => l.auxAccount).map((l) => [l.lettering, l.letteringDate]));
    expect(letters).toEqual([[["AA", "2026-11-10"]], [["AA", "2026-11-10"]], [["AA", "2026-11-10"]]]);
  });

  it("lettering: partial payments leave 411 unlettered; the payment that settles letters all of them; codes follow AA, AB", async () => {
    const { t, owner, accountant } = await setup();
    const first = await issuedInvoice(t, owner, "2026-11-02", THREE_LINES);
    const second = await issuedInvoice(t, owner, "2026-11-03", THREE_LINES);
    await pay(t, owner, second.id, 1000, "2026-11-04");
    let entries = await allEntries(t, accountant.token, owner.companyId);
    expect(entries.flatMap((e) => e.lines).some((l) => l.lettering)).toBe(false);

    await pay(t, owner, second.id, 2604, "2026-11-06"); // second settled first → AA
    await pay(t, owner, first.id, 3604, "2026-11-07"); // then the first → AB
    entries = await allEntries(t, accountant.token, owner.companyId);
    const byInvoice = (id: string) =>
      entries.filter((e) => e.source.invoiceId === id).flatMap((e) => e.lines.filter((l) => l.auxAccount).map((l) => `${e.entryNumber}:${l.lettering}:${l.letteringDate}`));
    expect(byInvoice(second.id)).toEqual(["VE000002:AA:2026-11-06", "BQ000001:AA:2026-11-06", "BQ000002:AA:2026-11-06"]);
    expect(byInvoice(first.id)).toEqual(["VE000001:AB:2026-11-07", "BQ000003:AB:2026-11-07"]);
    // lettered 411 lines balance per code
    for (const code of ["AA", "AB"]) {
      const lines = entries.flatMap((e) => e.lines).filter((l) => l.lettering === code);
      expect(lines.reduce((s, l) => s + l.debitCents - l.creditCents, 0)).toBe(0);
    }
  });

  it("deleting a payment takes it out of the entries and the lettering; settling again brings the same code back", async () => {
    const { t, owner, accountant } = await setup();
    const invoice = await issuedInvoice(t, owner, "2026-11-02", THREE_LINES);
    const payment = await pay(t, owner, invoice.id, 3604, "2026-11-05");
    const del = await t.call("DELETE", `/companies/${owner.companyId}/payments/${payment.id}`, { token: owner.token });
    expect(del.status).toBe(204);
    const after = await t.call("GET", `/companies/${owner.companyId}/invoices/${invoice.id}`, { token: owner.token });
    expect([after.json.status, after.json.paidCents, after.json.dueCents]).toEqual(["issued", 0, 3604]);
    expect((await t.call("GET", `/companies/${owner.companyId}/payments`, { token: owner.token })).json.items).toEqual([]);
    expectProblem(await t.call("GET", `/companies/${owner.companyId}/payments/${payment.id}`, { token: owner.token }), 404);
    let entries = await allEntries(t, accountant.token, owner.companyId);
    expect(entries.map((e) => e.entryNumber)).toEqual(["VE000001"]);
    expect(entries[0]!.lines[0]!.lettering).toBeUndefined();

    await pay(t, owner, invoice.id, 3604, "2026-11-09");
    entries = await allEntries(t, accountant.token, owner.companyId);
    expect(entries.map((e) => `${e.entryNumber}:${e.lines.find((l) => l.auxAccount)!.lettering}:${e.lines.find((l) => l.auxAccount)!.letteringDate}`)).toEqual([
      "VE000001:AA:2026-11-09",
      "BQ000001:AA:2026-11-09",
    ]);
    // the record chain and the audit log keep the deleted payment; integrity still holds
    const audit = await t.call("GET", `/companies/${owner.companyId}/audit-log?kind=payment`, { token: accountant.token });
    expect(audit.json.items.map((a: { action: string }) => a.action)).toEqual(["payment.recorded", "payment.deleted", "payment.recorded"]);
    expect(audit.json.items[1].before).toEqual({ amountCents: 3604, date: "2026-11-05", invoice: "F2026-00001", method: "transfer" });
    expect((await t.call("GET", `/companies/${owner.companyId}/integrity`, { token: owner.token })).json.ok).toBe(true);
    // only the owner deletes payments, and only once
    const other = await pay(t, owner, (await issuedInvoice(t, owner, "2026-11-10", THREE_LINES)).id, 100, "2026-11-10");
    expectProblem(await t.call("DELETE", `/companies/${owner.companyId}/payments/${other.id}`, { token: accountant.token }), 403);
    expectProblem(await t.call("DELETE", `/companies/${owner.companyId}/payments/${payment.id}`, { token: owner.token }), 404);
  });

  it("journal filter: `journal=BQ` gives the bank journal only; an unknown code is named", async () => {
    const { t, owner, accountant } = await setup();
    const invoice = await issuedInvoice(t, owner, "2026-11-02", THREE_LINES);
    await pay(t, owner, invoice.id, 500, "2026-11-03");
    expect((await allEntries(t, accountant.token, owner.companyId, "journal=BQ")).map((e) => e.entryNumber)).toEqual(["BQ000001"]);
    expect((await allEntries(t, accountant.token, owner.companyId, "journal=VE,BQ")).map((e) => e.entryNumber)).toEqual(["VE000001", "BQ000001"]);
    expect((await allEntries(t, accountant.token, owner.companyId, "from=2026-11-03")).map((e) => e.entryNumber)).toEqual(["BQ000001"]);
    expectProblem(await t.call("GET", `/companies/${owner.companyId}/entries?journal=OD`, { token: accountant.token }), 422, "journal");
    expectProblem(await t.call("GET", `/companies/${owner.companyId}/entries?journal=ve`, { token: accountant.token }), 422, "journal");
  });

  it("pages of entries follow each other without gap or repeat", async () => {
    const { t, owner, accountant } = await setup();
    for (let d = 1; d <= 7; d++) {
      const inv = await issuedInvoice(t, owner, `2026-11-0${d}`, THREE_LINES);
      if (d % 2 === 0) await pay(t, owner, inv.id, 3604, `2026-11-0${d}`);
    }
    const all = await allEntries(t, accountant.token, owner.companyId);
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { json: { items: EntryJson[]; nextCursor: string | null } } = await t.call("GET", `/companies/${owner.companyId}/entries?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { token: accountant.token });
      pages.push(...res.json.items.map((e) => e.entryNumber));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.map((e) => e.entryNumber));
    expect(pages).toHaveLength(10);
    expect(pages.slice(0, 4)).toEqual(["VE000001", "VE000002", "BQ000001", "VE000003"]);
  });
});

describe("VAT on payment for services (TVA sur les encaissements)", () => {
  it("services' VAT waits on 44574x and becomes due as payments come in; goods' VAT is due at once", async () => {
    const { t, owner, accountant } = await setup();
    const put = await t.call("PUT", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token, body: { vatOnPayments: true } });
    expect(put.status).toBe(200);
    // goods 100,00 € + services 200,00 € at 20 % → VAT 60,00 €: 20,00 € goods, 40,00 € services
    const invoice = await issuedInvoice(t, owner, "2026-11-02", [
      { description: "Lampe", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "goods" },
      { description: "Étude", quantity: "1", unitPriceCents: 20000, vatRateBp: 2000, kind: "services" },
    ]);
    expect(invoice.totals.ttcCents).toBe(36000);
    await pay(t, owner, invoice.id, 12000, "2026-11-05"); // a third of the balance
    let entries = await allEntries(t, accountant.token, owner.companyId);
    expect(entries[0]!.lines.map((l) => [l.account, l.accountLabel, l.debitCents, l.creditCents])).toEqual([
      ["411000", "Clients", 36000, 0],
      ["706000", "Prestations de services", 0, 20000],
      ["707000", "Ventes de marchandises", 0, 10000],
      ["4457120", "TVA collectée 20 %", 0, 2000],
      ["4457420", "TVA collectée en attente 20 %", 0, 4000],
    ]);
    expect(entries[1]!.lines.map((l) => [l.account, l.debitCents, l.creditCents, l.label])).toEqual([
      ["512000", 12000, 0, "Règlement F2026-00001 Boulangerie Dupont"],
      ["411000", 0, 12000, "Règlement F2026-00001 Boulangerie Dupont"],
      ["4457420", 1333, 0, "TVA exigible F2026-00001"],
      ["4457120", 0, 1333, "TVA exigible F2026-00001"],
    ]);
    expect(creditBalance(entries, "44574")).toBe(2667);

    await pay(t, owner, invoice.id, 24000, "2026-11-09"); // the rest: everything still waiting becomes due
    entries = await allEntries(t, accountant.token, owner.companyId);
    expect(entries[2]!.lines.slice(2).map((l) => [l.account, l.debitCents, l.creditCents])).toEqual([
      ["4457420", 2667, 0],
      ["4457120", 0, 2667],
    ]);
    expect(creditBalance(entries, "44574")).toBe(0);
    expect(creditBalance(entries, "44571")).toBe(6000);
    expect(entries.every(balanced)).toBe(true);
  });

  it("a credit note that settles the invoice takes back its own services' VAT and makes the rest due", async () => {
    const { t, owner, accountant } = await setup();
    await t.call("PUT", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token, body: { vatOnPayments: true } });
    const invoice = await issuedInvoice(t, owner, "2026-11-02", [
      { description: "Lampe", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "goods" },
      { description: "Étude", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" },
    ]);
    await pay(t, owner, invoice.id, 12000, "2026-11-03"); // half: 10,00 € of the 20,00 € waiting becomes due
    const credit = await t.call("POST", `/companies/${owner.companyId}/invoices/${invoice.id}/credit-note`, {
      token: owner.token,
      body: { issueDate: "2026-11-04", lines: [{ lineId: invoice.lines[0].id }] }, // the goods line: 120,00 € settles the rest
    });
    expect(credit.status).toBe(201);
    const entries = await allEntries(t, accountant.token, owner.companyId);
    const creditEntry = entries.find((e) => e.source.kind === "credit_note")!;
    expect(creditEntry.lines.map((l) => [l.account, l.debitCents, l.creditCents])).toEqual([
      ["707000", 10000, 0],
      ["4457120", 2000, 0],
      ["411000", 0, 12000],
      ["4457420", 1000, 0],
      ["4457120", 0, 1000],
    ]);
    expect(creditBalance(entries, "44574")).toBe(0);
    expect(creditBalance(entries, "44571")).toBe(2000); // the services' VAT, all due now
    expect(entries.every(balanced)).toBe(true);
    expect(entries.flatMap((e) => e.lines.filter((l) => l.auxAccount).map((l) => l.lettering))).toEqual(["AA", "AA", "AA"]);
  });
});

describe("account codes in the entries", () => {
  it("product, category, VAT-rate and customer overrides; journal codes and account labels", async () => {
    const { t, owner, accountant } = await setup();
    const product = await t.call("POST", `/companies/${owner.companyId}/products`, { token: owner.token, body: PRODUCT });
    const book = await t.call("POST", `/companies/${owner.companyId}/products`, {
      token: owner.token,
      body: { name: "Livre", unitPriceCents: 2900, vatRateBp: 550, kind: "goods", category: "Librairie" },
    });
    const settings = {
      byProduct: [{ productId: product.json.id, revenueAccount: "7071000" }],
      byCategory: [{ category: "librairie", revenueAccount: "7072000" }],
      vatRates: [{ vatRateBp: 1000, vatAccount: "4457111", revenueAccount: "7061000" }],
      byCustomer: [{ customerId: owner.customerId, auxAccount: "DUPONT", account: "4111000" }],
      accountLabels: { "7071000": "Ventes de luminaires", "4111000": "Clients professionnels" },
      journals: { sales: { code: "VT", label: "Journal des ventes" } },
    };
    const put = await t.call("PUT", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token, body: settings });
    expect(put.status).toBe(200);
    await issuedInvoice(t, owner, "2026-11-02", [
      { productId: product.json.id, quantity: "1" },
      { productId: book.json.id, quantity: "2" },
      { description: "Pose", quantity: "1", unitPriceCents: 5000, vatRateBp: 1000, kind: "services" },
      { description: "Étude", quantity: "1", unitPriceCents: 1000, vatRateBp: 2000, kind: "services" },
    ]);
    const [entry] = await allEntries(t, accountant.token, owner.companyId);
    expect([entry!.journalCode, entry!.journalLabel, entry!.entryNumber]).toEqual(["VT", "Journal des ventes", "VT000001"]);
    expect(entry!.lines.map((l) => [l.account, l.accountLabel, l.auxAccount ?? null, l.debitCents, l.creditCents])).toEqual([
      ["4111000", "Clients professionnels", "DUPONT", 18900 + 5800 + 5000 + 1000 + 3780 + 319 + 500 + 200, 0],
      ["706000", "Prestations de services", null, 0, 1000],
      ["7061000", "Prestations de services", null, 0, 5000],
      ["7071000", "Ventes de luminaires", null, 0, 18900],
      ["7072000", "Ventes de marchandises", null, 0, 5800],
      ["4457120", "TVA collectée 20 %", null, 0, 3780 + 200],
      ["4457111", "TVA collectée 10 %", null, 0, 500],
      ["4457105", "TVA collectée 5,5 %", null, 0, 319],
    ]);
    expect(balanced(entry!)).toBe(true);
    expect((await allEntries(t, accountant.token, owner.companyId, "journal=VT")).length).toBe(1);
  });
});
