import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { PDFDocument } from "pdf-lib";
import { PasserelleClient } from "@passerelle/shared";
import { apiUrl, createTestApp, draftBody, issuedInvoice, ownerWithCompany, signupOwner, type TestApp } from "./helpers.js";
import { accountantOf, download, exportLog, sha256, unzip } from "./export-support.js";
import { pdfPlainText, pdfText } from "./pdf-text.js";

async function invoiceWithTwoRates(t: TestApp, o: { token: string; companyId: string; customerId: string }, date = "2026-11-02") {
  return issuedInvoice(t, o, date, [
    { description: "Étude d'éclairage", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" },
    { description: "Ampoule LED — culot E27", quantity: "2.5", unitPriceCents: 1234, vatRateBp: 550, discountCents: 85, kind: "goods" },
  ]);
}

describe("invoice PDF", () => {
  it("prints every mandatory mention of a French B2B invoice, from the identities frozen at issue", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await t.call("PATCH", `/companies/${o.companyId}`, {
      token: o.token,
      body: { iban: "FR76 3000 6000 0112 3456 7890 189", latePenaltyRate: "taux BCE + 10 points", earlyPaymentDiscount: "2 % pour paiement sous 8 jours" },
    });
    const invoice = await invoiceWithTwoRates(t, o);
    // changes after issue never reach the printed invoice
    await t.call("PATCH", `/companies/${o.companyId}/customers/${o.customerId}`, { token: o.token, body: { name: "Nouveau Nom SAS" } });
    await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { name: "Renommée SARL" } });

    const res = await download(t, `/companies/${o.companyId}/invoices/${invoice.id}/pdf`, o.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe(`inline; filename="F2026-00001.pdf"; filename*=UTF-8''F2026-00001.pdf`);
    const items = (await pdfText(res.bytes)).flat();
    const text = items.join("\n");
    // seller: name, address, SIREN, VAT number, legal form, capital, RCS
    expect(items).toContain("Atelier Test SARL");
    expect(items).toContain("14 rue des Tanneurs");
    expect(items).toContain("69002 Lyon");
    expect(items).toContain("SIREN 853 904 811");
    expect(items).toContain("N° TVA intracommunautaire FR26853904811");
    expect(items).toContain("Atelier Test SARL — SARL au capital de 10 000 € — RCS Lyon 853 904 811 — N° TVA FR26853904811");
    expect(text).not.toContain("Renommée SARL");
    // customer, as printed when issued
    expect(items).toContain("Boulangerie Dupont");
    expect(text).not.toContain("Nouveau Nom SAS");
    expect(items).toContain("3 place des Terreaux");
    expect(items).toContain("SIREN 401 234 562");
    expect(items).toContain("N° TVA intracommunautaire FR46401234562");
    // number, dates
    expect(items).toEqual(expect.arrayContaining(["FACTURE", "Facture n° :", "F2026-00001", "Date d'émission :", "02/11/2026", "Date d'échéance :", "02/12/2026", "Code client :", "C0001"]));
    // lines: designation, quantity, unit price HT, discount, VAT rate, net
    expect(items).toEqual(expect.arrayContaining(["Étude d'éclairage", "3", "10,01 €", "20 %", "30,03 €"]));
    expect(items).toEqual(expect.arrayContaining(["Ampoule LED — culot E27", "2,5", "12,34 €", "-0,85 €", "5,5 %", "30,00 €"]));
    // per-rate totals (VAT once per rate: 3 × 10,01 at 20 % → 6,01), HT, TVA, TTC
    expect(items).toEqual(expect.arrayContaining(["Taux de TVA", "Base HT", "Montant TVA", "6,01 €", "1,65 €"]));
    expect(items).toEqual(expect.arrayContaining(["Total HT", "60,03 €", "Total TVA", "7,66 €", "Total TTC", "67,69 €"]));
    // payment terms and legal mentions
    expect(items).toContain("Échéance : 02/12/2026 — montant à régler : 67,69 €");
    expect(items).toContain("Règlement par virement : IBAN FR76 3000 6000 0112 3456 7890 189");
    expect(items).toContain("Pénalités de retard : taux BCE + 10 points, exigibles dès le lendemain de l'échéance");
    expect(text).toContain("Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €");
    expect(items).toContain("Escompte pour paiement anticipé : 2 % pour paiement sous 8 jours");
    expect(items).toContain("Nature des opérations : Livraison de biens et prestation de services");
    expect(items).toContain("Facture F2026-00001 — page 1 / 1");
  });

  it("is a PDF/A-3b with embedded fonts, reproducible byte for byte", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const invoice = await invoiceWithTwoRates(t, o);
    const a = await download(t, `/companies/${o.companyId}/invoices/${invoice.id}/pdf`, o.token);
    const b = await download(t, `/companies/${o.companyId}/invoices/${invoice.id}/pdf`, o.token);
    expect(sha256(a.bytes)).toBe(sha256(b.bytes));
    const raw = a.bytes.toString("latin1");
    expect(raw).toContain("<pdfaid:part>3</pdfaid:part>");
    expect(raw).toContain("<pdfaid:conformance>B</pdfaid:conformance>");
    expect(raw).toContain("/FontFile2");
    expect(raw).toContain("/OutputIntents");
    const doc = await PDFDocument.load(a.bytes);
    expect(doc.getTitle()).toBe("Facture F2026-00001");
    expect(doc.getAuthor()).toBe("Atelier Test SARL");
  });

  it("prints the exemption wording when VAT is 0 % and the defaults for penalties and discount", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, {
      token: o.token,
      body: { ...draftBody(o.customerId, [{ description: "Conseil", quantity: "1", unitPriceCents: 50000, vatRateBp: 0, kind: "services" }]), vatExemption: "franchise" },
    });
    const issued = await t.call("POST", `/companies/${o.companyId}/invoices/${draft.json.id}/issue`, { token: o.token, body: { issueDate: "2026-11-03" } });
    expect(issued.status).toBe(200);
    const items = (await pdfText((await download(t, `/companies/${o.companyId}/invoices/${draft.json.id}/pdf`, o.token)).bytes)).flat();
    expect(items).toContain("TVA non applicable, art. 293 B du CGI");
    expect(items).toEqual(expect.arrayContaining(["0 %", "500,00 €", "0,00 €", "Total TTC", "Nature des opérations : Prestation de services"]));
    expect(items).toContain("Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain de l'échéance");
    expect(items).toContain("Escompte pour paiement anticipé : néant");
  });

  it("prints a credit note with the number and date of the invoice it corrects, and no payment terms", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { iban: "FR76 3000 6000 0112 3456 7890 189", latePenaltyRate: "taux BCE + 10 points" } });
    const invoice = await invoiceWithTwoRates(t, o);
    const credit = await t.call("POST", `/companies/${o.companyId}/invoices/${invoice.id}/credit-note`, {
      token: o.token,
      body: { issueDate: "2026-11-10", lines: [{ lineId: invoice.lines[0].id, quantity: "1" }] },
    });
    expect(credit.status).toBe(201);
    const res = await download(t, `/companies/${o.companyId}/invoices/${credit.json.id}/pdf`, o.token);
    expect(res.headers.get("content-disposition")).toContain('filename="AV2026-00001.pdf"');
    const items = (await pdfText(res.bytes)).flat();
    expect(items).toEqual(expect.arrayContaining(["AVOIR", "Avoir n° :", "AV2026-00001", "10/11/2026"]));
    expect(items).toContain("Avoir rectifiant la facture n° F2026-00001 du 02/11/2026");
    expect(items).toEqual(expect.arrayContaining(["Total TTC de l'avoir", "12,01 €"]));
    expect(items).not.toContain("Date d'échéance :");
    // Nothing is to be paid on a credit note: no bank details, no late-payment penalties or indemnity.
    const text = items.join("\n");
    expect(text).not.toContain("IBAN");
    expect(text).not.toContain("Pénalités de retard");
    expect(text).not.toContain("Indemnité forfaitaire");
    expect(items).toContain("Cet avoir vient en déduction des sommes dues au titre de la facture qu'il rectifie.");
  });

  it("prints a description typed on several lines on as many lines", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const invoice = await issuedInvoice(t, o, "2026-11-02", [{ description: "Pose de suspension\nfinition laiton brossé", quantity: "1", unitPriceCents: 6800, vatRateBp: 2000, kind: "services" }]);
    const items = (await pdfText((await download(t, `/companies/${o.companyId}/invoices/${invoice.id}/pdf`, o.token)).bytes)).flat();
    expect(items).toEqual(expect.arrayContaining(["Pose de suspension", "finition laiton brossé"]));
    expect(items).not.toContain("Pose de suspension finition laiton brossé");
  });

  it("wraps a long designation across pages, repeating the table header and numbering every page", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const words = Array.from({ length: 300 }, (_, i) => `mot${i}`).join(" ").slice(0, 1990);
    const lines = Array.from({ length: 3 }, (_, i) => ({ description: `Ligne ${i + 1} ${words}`, quantity: "1", unitPriceCents: 1000 * (i + 1), vatRateBp: 2000, kind: "services" as const }));
    const invoice = await issuedInvoice(t, o, "2026-11-02", lines);
    const pages = await pdfText((await download(t, `/companies/${o.companyId}/invoices/${invoice.id}/pdf`, o.token)).bytes);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((items, i) => expect(items).toContain(`Facture F2026-00001 — page ${i + 1} / ${pages.length}`));
    pages.slice(1).forEach((items) => expect(items).toContain("Désignation"));
    // every word of every designation is printed, in order
    const printed = pages.flat().join(" ");
    for (const l of lines) {
      const start = printed.indexOf(`Ligne ${l.description.split(" ")[1]} mot0`);
      expect(start).toBeGreaterThanOrEqual(0);
      const lastWord = words.split(" ").at(-1)!;
      expect(printed.indexOf(lastWord, start)).toBeGreaterThan(start);
    }
    expect(pages.at(-1)).toEqual(expect.arrayContaining(["Total TTC", "72,00 €"]));
  });

  it("prints a draft as a draft, without a number", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) });
    const res = await download(t, `/companies/${o.companyId}/invoices/${draft.json.id}/pdf`, o.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain(`brouillon-${draft.json.id}.pdf`);
    const items = (await pdfText(res.bytes)).flat();
    expect(items).toContain("BROUILLON");
    expect(items).toContain("Document provisoire, sans numéro : ce n'est pas une facture.");
  });

  it("is logged with the SHA-256 of the bytes sent; strangers get 404 and the accountant reads it too", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const invoice = await invoiceWithTwoRates(t, o);
    const stranger = await signupOwner(t);
    expect((await download(t, `/companies/${o.companyId}/invoices/${invoice.id}/pdf`, stranger.token)).status).toBe(404);
    expect((await download(t, `/companies/${o.companyId}/invoices/${invoice.id}/pdf`)).status).toBe(401);
    expect((await download(t, `/companies/${o.companyId}/invoices/nope/pdf`, o.token)).status).toBe(404);
    const accountant = await accountantOf(t, o.companyId);
    const res = await download(t, `/companies/${o.companyId}/invoices/${invoice.id}/pdf`, accountant.token);
    expect(res.status).toBe(200);
    expect(exportLog(t, o.companyId)).toEqual([
      {
        kind: "invoice.pdf",
        file_name: "F2026-00001.pdf",
        filters_json: JSON.stringify({ invoiceId: invoice.id }),
        row_count: 1,
        byte_count: res.bytes.length,
        sha256: sha256(res.bytes),
        actor_id: accountant.user.id,
        locked_until: null,
      },
    ]);
    const activity = t.deps.db.prepare("SELECT action, actor_id, record_kind, record_id FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 1").get(o.companyId);
    expect(activity).toEqual({ action: "export.made", actor_id: accountant.user.id, record_kind: "export", record_id: res.headers.get("x-export-id") });
  });
});

describe("customers and products as Excel tables", () => {
  it("exports the customers as a real table: frozen header, codes and SIREN as text, dates as dates", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await t.call("POST", `/companies/${o.companyId}/customers`, {
      token: o.token,
      body: { code: "007", name: "=HYPERLINK(\"http://x\")", address: { line1: "1 rue A", postalCode: "01000", city: "Bourg", country: "FR" }, category: "Particuliers" },
    });
    const res = await download(t, `/companies/${o.companyId}/exports/customers.xlsx`, o.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toContain('filename="clients.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("Clients")!;
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const table = ws.getTable("Clients") as unknown as { table: { tableRef: string; headerRow: boolean; autoFilterRef: string; columns: { name: string }[] } };
    expect(table.table).toMatchObject({ tableRef: "A1:K3", autoFilterRef: "A1:K3", headerRow: true });
    expect(table.table.columns.map((c) => c.name)).toEqual(["Code client", "Nom", "SIREN", "N° TVA", "E-mail", "Adresse", "Code postal", "Ville", "Pays", "Catégorie", "Créé le"]);
    expect(ws.getRow(2).getCell(1).value).toBe("007");
    expect(ws.getRow(2).getCell(2).value).toBe('=HYPERLINK("http://x")'); // a string, never a formula
    expect(ws.getRow(2).getCell(7).value).toBe("01000");
    expect(ws.getRow(3).getCell(1).value).toBe("C0001");
    expect(ws.getRow(3).getCell(3).value).toBe("401234562");
    expect(ws.getRow(3).getCell(3).numFmt).toBe("@");
    expect(ws.getRow(3).getCell(11).value).toEqual(new Date("2026-11-20T00:00:00Z"));
    expect(ws.getRow(3).getCell(11).numFmt).toBe("dd/mm/yyyy");
    expect(exportLog(t, o.companyId).map((e) => [e.kind, e.row_count, e.sha256])).toEqual([["customers.xlsx", 2, sha256(res.bytes)]]);
  });

  it("exports the products with prices as euro amounts and rates as percentages", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await t.call("POST", `/companies/${o.companyId}/products`, { token: o.token, body: { name: "Livre", unitPriceCents: 2350, vatRateBp: 550, kind: "goods", category: "Librairie" } });
    await t.call("POST", `/companies/${o.companyId}/products`, { token: o.token, body: { name: "Atelier", unitPriceCents: 12000, vatRateBp: 2000, kind: "services" } });
    const res = await download(t, `/companies/${o.companyId}/exports/products.xlsx`, o.token);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("Produits et services")!;
    const rows = [2, 3].map((r) => [1, 3, 4, 5, 6].map((c) => ws.getRow(r).getCell(c).value));
    expect(rows).toEqual([
      ["Atelier", 120, 0.2, "Service", null],
      ["Livre", 23.5, 0.055, "Bien", "Librairie"],
    ]);
    expect(ws.getRow(2).getCell(3).numFmt).toBe('#,##0.00 "€";-#,##0.00 "€"');
  });
});

describe("lists filtered", () => {
  it("exports the customers of a category, or those a search finds, and logs the filters", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body: { code: "007", name: "Bistrot 100%", address: "1 rue A, 75001 Paris", category: "Particuliers" } });
    const names = async (query: string) => {
      const res = await download(t, `/companies/${o.companyId}/exports/customers.xlsx${query}`, o.token);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
      const ws = wb.getWorksheet("Clients")!;
      const out: unknown[] = [];
      for (let r = 2; r <= ws.rowCount; r++) out.push(ws.getRow(r).getCell(2).value);
      return out;
    };
    expect(await names("?category=Particuliers")).toEqual(["Bistrot 100%"]);
    expect(await names("?q=100%25")).toEqual(["Bistrot 100%"]);
    expect(await names("?q=C0001")).toEqual(["Boulangerie Dupont"]);
    expect(await names("?category=Inconnue")).toEqual([]); // the table still spans one (blank) data row: A1:K2
    expect(exportLog(t, o.companyId).map((e) => JSON.parse(e.filters_json))).toEqual([{ category: "Particuliers" }, { q: "100%" }, { q: "C0001" }, { category: "Inconnue" }]);
    const products = await download(t, `/companies/${o.companyId}/exports/products.xlsx?colour=red`, o.token);
    expect(products.status).toBe(422);
  });
});

describe("invoices.zip", () => {
  it("holds one PDF per filtered document, named by number, and logs the filters", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const other = await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body: { name: "Autre client", address: "1 rue B, 75001 Paris" } });
    const first = await invoiceWithTwoRates(t, o, "2026-10-05");
    await issuedInvoice(t, { ...o, customerId: other.json.id }, "2026-10-20");
    await invoiceWithTwoRates(t, o, "2026-11-02");
    await t.call("POST", `/companies/${o.companyId}/invoices/${first.id}/credit-note`, { token: o.token, body: { issueDate: "2026-11-05" } });
    await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) }); // drafts stay out

    const all = await download(t, `/companies/${o.companyId}/exports/invoices.zip`, o.token);
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toBe("application/zip");
    const files = await unzip(all.bytes);
    expect([...files.keys()]).toEqual(["F2026-00001.pdf", "F2026-00002.pdf", "F2026-00003.pdf", "AV2026-00001.pdf"]);
    expect(await pdfPlainText(files.get("F2026-00002.pdf")!)).toContain("Autre client");
    expect(await pdfPlainText(files.get("AV2026-00001.pdf")!)).toContain("Avoir rectifiant la facture n° F2026-00001 du 05/10/2026");

    const filtered = await download(t, `/companies/${o.companyId}/exports/invoices.zip?customerId=${o.customerId}&from=2026-10-01&to=2026-11-03`, o.token);
    expect([...(await unzip(filtered.bytes)).keys()]).toEqual(["F2026-00001.pdf", "F2026-00003.pdf"]);
    const credits = await download(t, `/companies/${o.companyId}/exports/invoices.zip?type=credit_note`, o.token);
    expect([...(await unzip(credits.bytes)).keys()]).toEqual(["AV2026-00001.pdf"]);

    const log = exportLog(t, o.companyId);
    expect(log.map((e) => [e.kind, e.file_name, JSON.parse(e.filters_json), e.row_count, e.sha256])).toEqual([
      ["invoices.zip", "factures.zip", {}, 4, sha256(all.bytes)],
      ["invoices.zip", "factures.zip", { from: "2026-10-01", to: "2026-11-03", customerId: o.customerId }, 2, sha256(filtered.bytes)],
      ["invoices.zip", "factures.zip", { type: "credit_note" }, 1, sha256(credits.bytes)],
    ]);
  });

  it("refuses bad filters with 422 naming the field, and logs nothing", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const reversed = await download(t, `/companies/${o.companyId}/exports/invoices.zip?from=2026-11-01&to=2026-10-01`, o.token);
    expect(reversed.status).toBe(422);
    expect(reversed.json.errors).toEqual([{ path: "to", message: "must be on or after `from`" }]);
    const badDate = await download(t, `/companies/${o.companyId}/exports/invoices.zip?from=2026-02-30`, o.token);
    expect(badDate.status).toBe(422);
    expect(badDate.json.errors[0].path).toBe("from");
    const unknown = await download(t, `/companies/${o.companyId}/exports/invoices.zip?colour=blue`, o.token);
    expect(unknown.status).toBe(422);
    expect(exportLog(t, o.companyId)).toEqual([]);
  });

  it("stops when the client goes away and logs nothing for an unfinished download", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    for (let i = 0; i < 6; i++) await invoiceWithTwoRates(t, o, `2026-11-0${i + 1}`);
    const response = await t.app.request(apiUrl(`/companies/${o.companyId}/exports/invoices.zip`), { headers: { authorization: `Bearer ${o.token}` } });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect(exportLog(t, o.companyId)).toEqual([]);
  });
});

describe("the export log", () => {
  it("lists exports newest first with who, filters, rows and digest; owner and accountant read it, strangers get 404", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await invoiceWithTwoRates(t, o);
    const accountant = await accountantOf(t, o.companyId);
    const zip = await download(t, `/companies/${o.companyId}/exports/invoices.zip?status=issued`, accountant.token);
    const customers = await download(t, `/companies/${o.companyId}/exports/customers.xlsx`, o.token);
    const res = await t.call("GET", `/companies/${o.companyId}/exports`, { token: accountant.token });
    expect(res.status).toBe(200);
    expect(res.json.nextCursor).toBeNull();
    expect(res.json.items).toEqual([
      {
        id: customers.headers.get("x-export-id"),
        kind: "customers.xlsx",
        fileName: "clients.xlsx",
        contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filters: {},
        rows: 1,
        bytes: customers.bytes.length,
        sha256: sha256(customers.bytes),
        detail: null,
        lockedUntil: null,
        by: { id: o.user.id, name: "Owner", email: o.email },
        via: "session",
        startedAt: "2026-11-20T10:00:00.000Z",
        completedAt: "2026-11-20T10:00:00.000Z",
      },
      expect.objectContaining({ kind: "invoices.zip", filters: { status: "issued" }, rows: 1, sha256: sha256(zip.bytes), by: expect.objectContaining({ id: accountant.user.id }) }),
    ]);
    const page = await t.call("GET", `/companies/${o.companyId}/exports?limit=1`, { token: o.token });
    expect(page.json.items.map((e: { kind: string }) => e.kind)).toEqual(["customers.xlsx"]);
    const next = await t.call("GET", `/companies/${o.companyId}/exports?limit=1&cursor=${page.json.nextCursor}`, { token: o.token });
    expect(next.json.items.map((e: { kind: string }) => e.kind)).toEqual(["invoices.zip"]);
    const byKind = await t.call("GET", `/companies/${o.companyId}/exports?kind=invoices.zip`, { token: o.token });
    expect(byKind.json.items).toHaveLength(1);
    const stranger = await signupOwner(t);
    expect((await t.call("GET", `/companies/${o.companyId}/exports`, { token: stranger.token })).status).toBe(404);
    expect(() => t.deps.db.prepare("DELETE FROM exports").run()).toThrow(/append-only/);
  });
});

describe("the typed client", () => {
  it("downloads exports and the invoice PDF as raw responses and lists the export log", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const invoice = await invoiceWithTwoRates(t, o);
    const client = new PasserelleClient({ baseUrl: "http://passerelle.test", token: o.token, fetch: (input, init) => Promise.resolve(t.app.request(String(input), init)) });
    expect(client.exportUrl(o.companyId, "fec", { from: "2026-11-01", separator: "pipe" })).toBe(`http://passerelle.test/api/v1/companies/${o.companyId}/exports/fec?from=2026-11-01&separator=pipe`);
    const fec = await client.downloadExport(o.companyId, "fec", { from: "2026-11-01", separator: "pipe" });
    expect((await fec.text()).split("\r\n")[0]).toBe("JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise");
    const pdf = Buffer.from(await (await client.invoicePdf(o.companyId, invoice.id)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const log = await client.listExports(o.companyId, { kind: "invoice.pdf" });
    expect(log.items.map((e) => [e.kind, e.sha256])).toEqual([["invoice.pdf", sha256(pdf)]]);
    await expect(client.downloadExport(o.companyId, "sales-journal.csv", { locale: "de" as "fr" })).rejects.toMatchObject({ status: 422 });
  });
});
