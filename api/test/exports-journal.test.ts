import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { createTestApp, issuedInvoice, ownerWithCompany, signupOwner } from "./helpers.js";
import { accountantOf, download, exportLog, sha256, unzip } from "./export-support.js";
import { scenario } from "./export-scenario.js";
import { pdfText } from "./pdf-text.js";
import { checkFec, fecCents } from "./fec-check.js";
import { entryLinesAtMost } from "../src/db/ledger.js";

/** RFC 4180 CSV (quoted fields may hold separators, quotes and line breaks). */
function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

const frCents = (v: string) => {
  const m = /^(-?)(\d+),(\d{2})$/.exec(v);
  if (!m) throw new Error(`not an amount: ${v}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
};

async function journalOf(t: Awaited<ReturnType<typeof scenario>>["t"], companyId: string, token: string, query = "") {
  const res = await t.call("GET", `/companies/${companyId}/sales-journal?limit=1000${query}`, { token });
  return res.json as { items: { number: string; htCents: number; vatCents: number; ttcCents: number }[]; totals: { count: number; htCents: number; vatCents: number; ttcCents: number; paidCents: number; byRate: { vatRateBp: number; baseCents: number; vatCents: number }[] } };
}

describe("sales journal CSV", () => {
  it("fr: UTF-8 with BOM, `;`, decimal comma, French dates, credit notes negative, a column pair per rate; totals to the cent", async () => {
    const { t, o, accountant, tricky } = await scenario();
    const res = await download(t, `/companies/${o.companyId}/exports/sales-journal.csv`, accountant.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain('filename="journal-des-ventes-853904811.csv"');
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(res.bytes.toString("utf8").slice(1), ";");
    expect(rows[0]).toEqual([
      "Date", "Numéro", "Type", "Code client", "Client", "Total HT", "TVA", "Total TTC", "Réglé", "Statut", "Échéance", "Facture d'origine",
      "Base HT 20 %", "TVA 20 %", "Base HT 10 %", "TVA 10 %", "Base HT 5,5 %", "TVA 5,5 %", "Base HT 2,1 %", "TVA 2,1 %",
    ]);
    expect(rows.slice(1).map((r) => r.slice(0, 12))).toEqual([
      ["05/10/2026", "F2026-00001", "Facture", "C0001", "Boulangerie Dupont", "77,03", "8,60", "85,63", "85,63", "Réglée", "04/11/2026", ""],
      ["12/10/2026", "F2026-00002", "Facture", tricky.code, 'Café "Le Zinc" | Paris Nord Bis', "291,00", "48,00", "339,00", "100,00", "Partiellement réglée", "11/11/2026", ""],
      ["03/11/2026", "F2026-00003", "Facture", "C0001", "Boulangerie Dupont", "34,00", "0,71", "34,71", "0,00", "Émise", "03/12/2026", ""],
      ["05/11/2026", "AV2026-00001", "Avoir", "C0001", "Boulangerie Dupont", "-34,00", "-0,71", "-34,71", "0,00", "Émise", "05/11/2026", "F2026-00003"],
      ["10/11/2026", "F2026-00004", "Facture", tricky.code, 'Café "Le Zinc" | Paris Nord Bis', "500,00", "100,00", "600,00", "300,00", "Réglée", "10/12/2026", ""],
      ["12/11/2026", "AV2026-00002", "Avoir", tricky.code, 'Café "Le Zinc" | Paris Nord Bis', "-250,00", "-50,00", "-300,00", "0,00", "Émise", "12/11/2026", "F2026-00004"],
    ]);
    expect(rows[1]!.slice(12)).toEqual(["30,03", "6,01", "", "", "47,00", "2,59", "", ""]);
    const journal = await journalOf(t, o.companyId, accountant.token);
    const sum = (col: number) => rows.slice(1).reduce((s, r) => s + frCents(r[col]!), 0);
    expect([sum(5), sum(6), sum(7), sum(8)]).toEqual([journal.totals.htCents, journal.totals.vatCents, journal.totals.ttcCents, journal.totals.paidCents]);
    const rateCols = [12, 14, 16, 18].map((c) => [rows.slice(1).reduce((s, r) => s + (r[c] ? frCents(r[c]!) : 0), 0), rows.slice(1).reduce((s, r) => s + (r[c + 1] ? frCents(r[c + 1]!) : 0), 0)]);
    expect(rateCols).toEqual(journal.totals.byRate.map((r) => [r.baseCents, r.vatCents]));
    expect(exportLog(t, o.companyId)).toEqual([expect.objectContaining({ kind: "sales-journal.csv", row_count: 6, sha256: sha256(res.bytes) })]);
  });

  it("en: `,`, decimal dot, ISO dates, no BOM; filters apply", async () => {
    const { t, o, accountant } = await scenario();
    const res = await download(t, `/companies/${o.companyId}/exports/sales-journal.csv?locale=en&type=credit_note`, accountant.token);
    const text = res.bytes.toString("utf8");
    expect(text.startsWith('"Date","Number","Type","Customer code","Customer","Net","VAT","Gross","Paid","Status","Due date","Corrected invoice","Base 20 %","VAT 20 %","Base 2.1 %","VAT 2.1 %"\r\n')).toBe(true);
    const rows = parseCsv(text, ",");
    expect(rows.slice(1).map((r) => r.slice(0, 8))).toEqual([
      ["2026-11-05", "AV2026-00001", "credit note", "C0001", "Boulangerie Dupont", "-34.00", "-0.71", "-34.71"],
      ["2026-11-12", "AV2026-00002", "credit note", expect.any(String), 'Café "Le Zinc" | Paris Nord Bis', "-250.00", "-50.00", "-300.00"],
    ]);
    expect((await download(t, `/companies/${o.companyId}/exports/sales-journal.csv?locale=de`, accountant.token)).status).toBe(422);
  });

  it("neutralises text a spreadsheet would run as a formula, but keeps negative amounts as numbers", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const names = ["=HYPERLINK(\"http://evil\")", "+33 6 12", "-2+3", "@SUM(A1)"];
    for (const name of names) {
      const c = await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body: { name, address: "1 rue A, 75001 Paris" } });
      await issuedInvoice(t, { ...o, customerId: c.json.id }, "2026-11-02");
    }
    const rows = parseCsv((await download(t, `/companies/${o.companyId}/exports/sales-journal.csv`, o.token)).bytes.toString("utf8").slice(1), ";");
    expect(rows.slice(1).map((r) => r[4])).toEqual(["'=HYPERLINK(\"http://evil\")", "'+33 6 12", "'-2+3", "'@SUM(A1)"]);
    expect(rows[1]![5]).toBe("30,03");
  });
});

describe("sales journal XLSX", () => {
  it("holds real tables: the journal with a totals row, totals per rate, and the entries; numbers, dates and text typed right", async () => {
    const { t, o, accountant } = await scenario();
    const res = await download(t, `/companies/${o.companyId}/exports/sales-journal.xlsx?from=2026-10-01&to=2026-11-30`, accountant.token);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Journal des ventes", "TVA par taux", "Écritures"]);
    const journal = await journalOf(t, o.companyId, accountant.token, "&from=2026-10-01&to=2026-11-30");

    const ws = wb.getWorksheet("Journal des ventes")!;
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const table = (ws.getTable("JournalVentes") as unknown as { table: { tableRef: string; totalsRow: boolean; headerRow: boolean } }).table;
    expect(table).toMatchObject({ tableRef: "A1:L8", totalsRow: true, headerRow: true });
    const row2 = ws.getRow(2);
    expect(row2.getCell(1).value).toEqual(new Date("2026-10-05T00:00:00Z"));
    expect(row2.getCell(1).numFmt).toBe("dd/mm/yyyy");
    expect(row2.getCell(4).value).toBe("C0001");
    expect(row2.getCell(4).numFmt).toBe("@");
    expect(row2.getCell(6).value).toBe(77.03);
    expect(row2.getCell(6).numFmt).toBe('#,##0.00 "€";-#,##0.00 "€"');
    expect(ws.getRow(5).getCell(8).value).toBe(-34.71);
    const cents = (v: unknown) => Math.round(Number(v) * 100);
    const column = (c: number) => [2, 3, 4, 5, 6, 7].reduce((s, r) => s + cents(ws.getRow(r).getCell(c).value), 0);
    expect([column(6), column(7), column(8), column(9)]).toEqual([journal.totals.htCents, journal.totals.vatCents, journal.totals.ttcCents, journal.totals.paidCents]);
    const totals = ws.getRow(8);
    expect(totals.getCell(1).value).toBe("Total");
    expect(totals.getCell(6).value).toEqual({ formula: "SUBTOTAL(109,JournalVentes[Total HT])", result: journal.totals.htCents / 100 });
    expect(cents((totals.getCell(8).value as { result: number }).result)).toBe(journal.totals.ttcCents);

    const rates = wb.getWorksheet("TVA par taux")!;
    expect([2, 3, 4, 5].map((r) => [rates.getRow(r).getCell(1).value, cents(rates.getRow(r).getCell(2).value), cents(rates.getRow(r).getCell(3).value)])).toEqual(
      journal.totals.byRate.map((r) => [r.vatRateBp / 10000, r.baseCents, r.vatCents]),
    );

    const entries = wb.getWorksheet("Écritures")!;
    const lines = entries.rowCount - 2; // header and totals
    let debit = 0;
    let credit = 0;
    for (let r = 2; r <= lines + 1; r++) {
      debit += cents(entries.getRow(r).getCell(10).value);
      credit += cents(entries.getRow(r).getCell(11).value);
    }
    expect(debit).toBe(credit);
    expect(entries.getRow(2).getCell(5).value).toBe("411000");
    expect(entries.getRow(2).getCell(7).value).toBe("C0001");
    expect(entries.getRow(2).getCell(12).value).toBe("AA");
    expect(entries.getRow(2).getCell(14).value).toEqual(new Date("2026-11-01T00:00:00Z"));
    const fec = checkFec((await download(t, `/companies/${o.companyId}/exports/fec?from=2026-10-01&to=2026-11-30`, accountant.token)).bytes);
    expect(lines).toBe(fec.rows.length);
    expect(debit).toBe(fec.rows.reduce((s, r) => s + fecCents(r.Debit), 0));
  });

  it("refuses, before sending anything, more rows than the configured cap, pointing to CSV and FEC", async () => {
    const t = createTestApp({ config: { xlsxMaxRows: 8 } });
    const o = await ownerWithCompany(t);
    await issuedInvoice(t, o, "2026-11-02");
    // one line at one rate: at most 1 + 1 + 1 entry lines, so 1 + 1 + 3 rows fit without computing the entries
    expect(entryLinesAtMost(t.deps.db, o.companyId, null, "2026-11-20", null, { vatOnPayments: false })).toBe(3);
    expect((await download(t, `/companies/${o.companyId}/exports/sales-journal.xlsx`, o.token)).status).toBe(200); // 1 + 1 + 3 rows
    await issuedInvoice(t, o, "2026-11-03");
    // 2 + 1 + at most 6 is over the cap: the entries are counted (2 + 1 + 6 rows), and refused
    expect(entryLinesAtMost(t.deps.db, o.companyId, null, "2026-11-20", null, { vatOnPayments: false })).toBe(6);
    const res = await download(t, `/companies/${o.companyId}/exports/sales-journal.xlsx`, o.token);
    expect(res.status).toBe(422);
    expect(res.json.title).toBe("Too many rows for an Excel file");
    expect(res.json.detail).toContain("use the CSV export (sales-journal.csv) or the FEC (exports/fec)");
    expect(res.json.errors).toEqual([{ path: "from", message: "the period selects more than 8 rows for an XLSX file; narrow it or export CSV / FEC" }]);
    expect(exportLog(t, o.companyId).map((e) => e.kind)).toEqual(["sales-journal.xlsx"]);
  });
});

describe("sales journal PDF register", () => {
  it("prints the company, period and filters on every page, carries totals page to page, recaps per rate, numbers pages", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const rates = [2000, 1000, 550];
    for (let i = 0; i < 60; i++) {
      await issuedInvoice(t, o, `2026-11-${String(1 + Math.floor(i / 4)).padStart(2, "0")}`, [
        { description: "Ligne", quantity: "1", unitPriceCents: 1000 + i, vatRateBp: rates[i % 3]!, kind: "services" },
      ]);
    }
    const res = await download(t, `/companies/${o.companyId}/exports/sales-journal.pdf?from=2026-11-01&to=2026-11-30&type=invoice`, o.token);
    expect(res.status).toBe(200);
    const pages = await pdfText(res.bytes);
    expect(pages).toHaveLength(2);
    for (const [i, items] of pages.entries()) {
      expect(items).toContain("Journal des ventes — Atelier Test SARL");
      expect(items).toContain("Période : du 01/11/2026 au 30/11/2026");
      expect(items).toContain("Filtres : factures seulement");
      expect(items).toContain(`Édité le 20/11/2026 — page ${i + 1} / 2`);
    }
    const journal = await journalOf(t, o.companyId, o.token, "&from=2026-11-01&to=2026-11-30");
    const perPage = 51;
    const firstPage = journal.items.slice(0, perPage);
    const pageHt = firstPage.reduce((s, r) => s + r.htCents, 0);
    const euros = (c: number) => `${Math.trunc(c / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, " ")},${String(c % 100).padStart(2, "0")} €`;
    const page1 = pages[0]!.join("\n");
    expect(page1).toContain(`Total de la page\n${euros(pageHt)}`);
    expect(page1).toContain(`À reporter\n${euros(pageHt)}`);
    expect(pages[1]!.join("\n")).toContain(`Report\n${euros(pageHt)}`);
    expect(pages[0]).toContain("F2026-00051");
    expect(pages[0]).not.toContain("F2026-00052");
    expect(pages[1]).toContain("F2026-00060");
    const last = pages[1]!.join("\n");
    expect(last).toContain("Récapitulatif par taux de TVA");
    for (const r of journal.totals.byRate) expect(last).toContain(`${euros(r.baseCents)}\n${euros(r.vatCents)}\n${euros(r.baseCents + r.vatCents)}`);
    expect(last).toContain(`Total cumulé\n${euros(journal.totals.htCents)}`);
    expect(last).toContain(`Total général (60 documents)\n${euros(journal.totals.htCents)}\n${euros(journal.totals.vatCents)}\n${euros(journal.totals.ttcCents)}`);
    expect(exportLog(t, o.companyId)).toEqual([expect.objectContaining({ kind: "sales-journal.pdf", row_count: 60 })]);
  });
});

describe("the accountant pack", () => {
  it("holds the journal, the FEC and its descriptif, the PDFs, the shared documents and a README with each file's SHA-256", async () => {
    const { t, o, accountant } = await scenario();
    const form = new FormData();
    form.set("file", new File([Buffer.from("%PDF-1.4\n%relevé\n%%EOF\n")], "relevé octobre.pdf", { type: "application/pdf" }));
    const upload = await t.call("POST", `/companies/${o.companyId}/documents`, { token: o.token, body: form });
    expect(upload.status).toBe(201);
    const res = await download(t, `/companies/${o.companyId}/exports/pack.zip?from=2026-10-01&to=2026-11-30`, accountant.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain('filename="pack-comptable-853904811-20261001-20261130.zip"');
    const files = await unzip(res.bytes);
    expect([...files.keys()]).toEqual([
      "journal-des-ventes.xlsx",
      "853904811_VE-BQ_20261001_20261130.txt",
      "853904811_VE-BQ_20261001_20261130_descriptif.txt",
      "factures/F2026-00001.pdf",
      "factures/F2026-00002.pdf",
      "factures/F2026-00003.pdf",
      "factures/AV2026-00001.pdf",
      "factures/F2026-00004.pdf",
      "factures/AV2026-00002.pdf",
      "documents/relevé octobre.pdf",
      "LISEZMOI.txt",
    ]);
    const fec = checkFec(files.get("853904811_VE-BQ_20261001_20261130.txt")!);
    expect(fec.entries).toBe(9);
    const descriptif = files.get("853904811_VE-BQ_20261001_20261130_descriptif.txt")!.toString("utf8");
    expect(descriptif).toContain(`Empreinte SHA-256 du fichier : ${sha256(files.get("853904811_VE-BQ_20261001_20261130.txt")!)}`);
    expect(descriptif).toContain("- 5 écriture(s) d'une période ouverte ne sont pas validées");
    expect(files.get("documents/relevé octobre.pdf")!.toString()).toBe("%PDF-1.4\n%relevé\n%%EOF\n");

    const readme = files.get("LISEZMOI.txt")!.toString("utf8").split("\r\n");
    expect(readme[0]).toBe("PACK COMPTABLE — Atelier Test SARL (SIREN 853904811)");
    expect(readme).toContain("Période : du 01/10/2026 au 30/11/2026");
    const journal = await journalOf(t, o.companyId, accountant.token, "&from=2026-10-01&to=2026-11-30");
    expect(readme).toContain("- Documents : 6");
    expect(readme).toContain(`- Total TTC : ${(journal.totals.ttcCents / 100).toFixed(2).replace(".", ",").replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f")}\u00a0€`);
    for (const [name, bytes] of files) {
      if (name === "LISEZMOI.txt") continue;
      expect(readme.some((l) => l.startsWith(`- ${name} — `) && l.endsWith(`— ${bytes.length} octets — SHA-256 ${sha256(bytes)}`))).toBe(true);
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(files.get("journal-des-ventes.xlsx") as unknown as ArrayBuffer);
    expect(wb.getWorksheet("Journal des ventes")!.getRow(2).getCell(2).value).toBe("F2026-00001");
    expect(exportLog(t, o.companyId)).toEqual([expect.objectContaining({ kind: "pack.zip", row_count: 6, sha256: sha256(res.bytes), actor_id: accountant.user.id })]);
  });

  it("answers 404 to a stranger and 422 to bad filters", async () => {
    const { t, o } = await scenario();
    const stranger = await signupOwner(t);
    expect((await download(t, `/companies/${o.companyId}/exports/pack.zip`, stranger.token)).status).toBe(404);
    expect((await download(t, `/companies/${o.companyId}/exports/pack.zip?status=lost`, o.token)).status).toBe(422);
    expect((await download(t, `/companies/${o.companyId}/exports/sales-journal.pdf?to=2026-13-01`, o.token)).status).toBe(422);
    const accountant = await accountantOf(t, o.companyId);
    expect((await download(t, `/companies/${o.companyId}/exports/sales-journal.csv`, accountant.token)).status).toBe(200);
  });
});
