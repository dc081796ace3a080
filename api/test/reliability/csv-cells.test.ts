/**
 * CSV text cells: never a formula, whichever separator the spreadsheet splits on and whether or not
 * it honours quotes, and never a raw control character, even from data stored before the API
 * refused them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvText } from "../../src/exports/csv.js";
import { createTestApp, issuedInvoice, ownerWithCompany } from "../helpers.js";
import { download } from "../export-support.js";
import { isPostgres } from "../../src/db/connection.js";

/** What a spreadsheet reads from one quoted cell: the text between the quotes, doubled quotes undone. */
const unquoted = (cell: string) => cell.slice(1, -1).replace(/""/g, '"');
/** The pieces a spreadsheet splitting at either separator with quotes ignored would make, leading spaces dropped. */
const pieces = (cell: string) => cell.split(/[,;]/).map((p) => p.replace(/^[ \u00a0"]*/, ""));

describe("CSV text cells", () => {
  it("quote every text, neutralise a formula at the start and after either separator, and flatten control characters", () => {
    const cases: [string | null, string][] = [
      ["Boulangerie Dupont", '"Boulangerie Dupont"'],
      ["Acme,=cmd|' /C calc'!A0", `"Acme,'=cmd|' /C calc'!A0"`],
      ["Acme;=cmd|' /C calc'!A0", `"Acme;'=cmd|' /C calc'!A0"`],
      ["Acme, =1+1", `"Acme, '=1+1"`],
      ["Acme;\u00a0@SUM(A1)", `"Acme;\u00a0'@SUM(A1)"`],
      ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
      ["+33 6 12", `"'+33 6 12"`],
      ["-2+3", `"'-2+3"`],
      ["@SUM(A1)", `"'@SUM(A1)"`],
      ["\t=1+1", `" '=1+1"`],
      ["\r=1+1", `" '=1+1"`],
      ["Acme\n=1+1", `"Acme =1+1"`],
      ['Acme;"=1+1', `"Acme;""'=1+1"`],
      ['"=1+1', `"""'=1+1"`],
      ["Dupont & Fils - Lyon, 3e", '"Dupont & Fils - Lyon, 3e"'],
      ['Café "Le Zinc" | Paris\tNord\nBis', '"Café ""Le Zinc"" | Paris Nord Bis"'],
      ["NUL\u0000U+0001\u0001NEL\u0085fin\u202e", '"NUL U+0001 NEL fin"'],
      ["", '""'],
      [null, '""'],
    ];
    expect(cases.map(([value]) => [value, csvText(value)])).toEqual(cases);
  });

  it("no text, whatever it holds, gives a cell a spreadsheet could read as a formula or holding a control character", () => {
    const risky = fc.constantFrom("=", "+", "-", "@", ",", ";", " ", "\u00a0", '"', "\t", "\r", "\n", "\u0000", "\u0085", "\u202e", "a", "1");
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: risky, maxLength: 30 }), fc.string({ unit: "binary", maxLength: 30 })), (value) => {
        const cell = csvText(value);
        expect(cell.startsWith('"') && cell.endsWith('"')).toBe(true);
        expect(cell).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
        expect(unquoted(cell).replace(/^[ \u00a0]*/, "")).not.toMatch(/^[=+\-@]/);
        for (const piece of pieces(cell)) expect(piece).not.toMatch(/^[=+\-@]/);
      }),
      { numRuns: 2000 },
    );
  });

  it("the journal CSV of either locale carries a name holding the other locale's separator and a formula as one neutral cell", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const names = ["Acme,=cmd|' /C calc'!A0", "Acme;=cmd|' /C calc'!A0"];
    for (const name of names) {
      const c = await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body: { name, address: "1 rue A, 75001 Paris" } });
      await issuedInvoice(t, { ...o, customerId: c.json.id }, "2026-11-02");
    }
    const fr = (await download(t, `/companies/${o.companyId}/exports/sales-journal.csv`, o.token)).bytes.toString("utf8").split("\r\n");
    const en = (await download(t, `/companies/${o.companyId}/exports/sales-journal.csv?locale=en`, o.token)).bytes.toString("utf8").split("\r\n");
    expect(fr.slice(1, 3)).toEqual([
      `02/11/2026;"F2026-00001";"Facture";"C0002";"Acme,'=cmd|' /C calc'!A0";30,03;6,01;36,04;0,00;"Émise";02/12/2026;"";30,03;6,01`,
      `02/11/2026;"F2026-00002";"Facture";"C0003";"Acme;'=cmd|' /C calc'!A0";30,03;6,01;36,04;0,00;"Émise";02/12/2026;"";30,03;6,01`,
    ]);
    expect(en.slice(1, 3)).toEqual([
      `2026-11-02,"F2026-00001","invoice","C0002","Acme,'=cmd|' /C calc'!A0",30.03,6.01,36.04,0.00,"issued",2026-12-02,"",30.03,6.01`,
      `2026-11-02,"F2026-00002","invoice","C0003","Acme;'=cmd|' /C calc'!A0",30.03,6.01,36.04,0.00,"issued",2026-12-02,"",30.03,6.01`,
    ]);
  });

  it("a name stored with control characters before they were refused is written on one line, without them", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    // PostgreSQL's text cannot hold U+0000 at all: there the oldest rows could only hold the others
    const nul = isPostgres(t.deps.db) ? "\u0001" : "\u0000";
    t.deps.db.prepare("UPDATE customers SET name = ? WHERE id = ?").run(`Boulangerie${nul}Dupont\r\n=1+1\u0085\u202eFin`, o.customerId);
    await issuedInvoice(t, o, "2026-11-02");
    const text = (await download(t, `/companies/${o.companyId}/exports/sales-journal.csv`, o.token)).bytes.toString("utf8");
    expect(text.split("\r\n")[1]).toBe(`02/11/2026;"F2026-00001";"Facture";"C0001";"Boulangerie Dupont =1+1 Fin";30,03;6,01;36,04;0,00;"Émise";02/12/2026;"";30,03;6,01`);
    expect(text.slice(1).replace(/\r\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
});
