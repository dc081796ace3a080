import { beforeAll, describe, expect, it } from "vitest";
import { PasserelleClient } from "@passerelle/shared/client";
import { createTestApp, issuedInvoice, ownerWithCompany } from "../../../api/test/helpers.js";
import { FakeWorkbook } from "../../src/fake-excel/index.js";
import { insertJournalTable, refreshJournalTable, type TableQuery } from "../../src/excel/journal-tables.js";
import { readSavedTables } from "../../src/excel/saved-tables.js";

let t: ReturnType<typeof createTestApp>;
let owner: Awaited<ReturnType<typeof ownerWithCompany>>;
let client: PasserelleClient;
let query: TableQuery;
const now = () => new Date("2026-11-20T11:00:00");

beforeAll(async () => {
  t = createTestApp();
  owner = await ownerWithCompany(t);
  client = new PasserelleClient({ baseUrl: "http://passerelle.test", token: owner.token, fetch: async (url, init) => t.app.request(String(url), init) });
  await issuedInvoice(t, owner, "2026-10-05");
  await issuedInvoice(t, owner, "2026-11-02", [{ description: "Pose", quantity: "2", unitPriceCents: 6800, vatRateBp: 1000, kind: "services" }]);
  query = {
    companyId: owner.companyId,
    companyName: "Atelier Test SARL",
    siren: "853904811",
    view: "journal",
    filters: { from: "2026-01-01", to: "2026-12-31" },
    filtersText: "01/01/2026 – 31/12/2026",
  };
});

describe("journal tables", () => {
  it("inserts the journal, saves its query in the workbook, and a refresh adds the new invoice and a new VAT rate on the right", async () => {
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, query, "fr", { now });
    expect(saved).toMatchObject({ tableName: "Ventes_Atelier_Test_SARL", sheetName: "Atelier Test SARL – Ventes", rows: 2, lang: "fr" });
    expect(await readSavedTables(wb.run)).toEqual([saved]);
    const first = wb.table(saved.tableName);
    expect(first.address).toBe("A7:U9");
    expect(first.headers.at(-1)).toBe("Clé");
    expect(first.rows.map((r) => [r[0], r[2], r[3], r[5], r[6], r[7]])).toEqual([
      [46300, "Facture", "C0001", 30.03, 6.01, 36.04],
      [46328, "Facture", "C0001", 136, 13.6, 149.6],
    ]);
    expect(wb.value("'Atelier Test SARL – Ventes'!B5")).toBeCloseTo(46346 + 11 / 24, 8); // refreshed at, local time
    wb.type("'Atelier Test SARL – Ventes'!W1", "=SUM(Ventes_Atelier_Test_SARL[TTC])");

    // an overseas rate (8,5 %) appears: its two columns are appended, the others keep their place
    await issuedInvoice(t, owner, "2026-11-10", [{ description: "Livraison Réunion", quantity: "1", unitPriceCents: 10000, vatRateBp: 850, kind: "goods" }]);
    const next = await refreshJournalTable(wb.run, client, saved, { now });
    expect(next.rows).toBe(3);
    expect(next.lastSeq).toBeGreaterThan(saved.lastSeq);
    const refreshed = wb.table(saved.tableName);
    expect(refreshed.address).toBe("A7:W10");
    expect(refreshed.headers.slice(-2)).toEqual(["Base 8,5 %", "TVA 8,5 %"]);
    expect(refreshed.rows[2]!.slice(-2)).toEqual([100, 8.5]);
    expect(refreshed.rows[0]!.slice(-2)).toEqual([0, 0]);
    expect(wb.formulas("'Atelier Test SARL – Ventes'!Y1")).toEqual([["=SUM(Ventes_Atelier_Test_SARL[TTC])"]]); // moved right with its column
    expect(wb.value("'Atelier Test SARL – Ventes'!Y1")).toBeCloseTo(36.04 + 149.6 + 108.5, 8);
    // the sequence stays with the saved query: the block shows the user's words only
    expect(wb.values("'Atelier Test SARL – Ventes'!A1:A6").flat()).toEqual(["Passerelle — Journal des ventes", "Société", "SIREN", "Filtres", "Actualisé le", "Total"]);
    expect(await readSavedTables(wb.run)).toEqual([next]);
  });

  it("writes accounting entries one line per row, debit and credit balancing in the totals line", async () => {
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, { ...query, view: "entries" }, "en", { now });
    const table = wb.table(saved.tableName);
    expect(saved.sheetName).toBe("Atelier Test SARL – Entries");
    expect(table.headers.slice(0, 5)).toEqual(["Journal", "Entry number", "Date", "Document", "Account"]);
    expect(table.rows.length).toBeGreaterThanOrEqual(3 * 3);
    expect(table.rows.every((r) => typeof r[4] === "string" && /^\d{3}/.test(r[4] as string))).toBe(true);
    const totals = wb.values(`'${saved.sheetName}'!J6:K6`)[0]!;
    expect(totals[0]).toBeCloseTo(totals[1] as number, 8);
    expect(totals[0]).toBeGreaterThan(0);
  });

  it("leaves the workbook untouched when the load is cancelled", async () => {
    const wb = new FakeWorkbook();
    const abort = new AbortController();
    abort.abort();
    await expect(insertJournalTable(wb.run, client, query, "fr", { signal: abort.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(wb.sheetNames()).toEqual(["Feuil1"]);
    expect(wb.tableNames()).toEqual([]);
  });
});
