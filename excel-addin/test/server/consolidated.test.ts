import { beforeAll, describe, expect, it } from "vitest";
import { PasserelleClient } from "@passerelle/shared/client";
import { COMPANY, CUSTOMER, createTestApp, issuedInvoice, signupOwner } from "../../../api/test/helpers.js";
import { accountantOf } from "../../../api/test/accounting-helpers.js";
import { FakeWorkbook } from "../../src/fake-excel/index.js";
import { insertJournalTable, refreshJournalTable, type TableQuery } from "../../src/excel/journal-tables.js";
import { companiesOf, seqOf } from "../../src/excel/consolidated.js";
import { readSavedTables } from "../../src/excel/saved-tables.js";

type Company = { token: string; companyId: string; customerId: string; name: string; siren: string };

let t: ReturnType<typeof createTestApp>;
let a: Company, b: Company, c: Company;
let client: PasserelleClient;
const now = () => new Date("2026-11-20T11:00:00");
const line = (quantity: string, unitPriceCents: number, vatRateBp: number) => ({ description: "Prestation", quantity, unitPriceCents, vatRateBp, kind: "services" as const });

async function company(name: string, siren: string): Promise<Company> {
  const owner = await signupOwner(t, `Dirigeant ${name}`);
  const res = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name, siren, vatNumber: undefined } });
  const customer = await t.call("POST", `/companies/${res.json.id}/customers`, { token: owner.token, body: CUSTOMER });
  return { token: owner.token, companyId: res.json.id, customerId: customer.json.id, name, siren };
}

beforeAll(async () => {
  t = createTestApp();
  a = await company("Atelier Alpha SARL", "732829320");
  b = await company("Boutique Bêta SAS", "552100554");
  c = await company("Cuisine Gamma EURL", "443061841");
  const accountant = await accountantOf(t, a.companyId);
  for (const x of [b, c]) {
    t.deps.db.prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'accountant', ?)").run(x.companyId, accountant.user.id, t.clock.now().toISOString());
  }
  client = new PasserelleClient({ baseUrl: "http://passerelle.test", token: accountant.token, fetch: async (url, init) => t.app.request(String(url), init) });
  await issuedInvoice(t, a, "2026-11-02", [line("3", 1001, 2000)]);
  await issuedInvoice(t, b, "2026-11-03", [line("1", 12345, 2000), line("1", 6789, 1000)]);
  await issuedInvoice(t, c, "2026-11-04", [line("2", 4999, 550)]);
});

const query = (): TableQuery => ({
  companyId: "",
  companyName: "",
  siren: "",
  view: "consolidated",
  companies: [a.companyId, b.companyId, c.companyId],
  filters: { from: "2026-11-01", to: "2026-11-30" },
  filtersText: "01/11/2026 – 30/11/2026",
});

describe("the consolidated journal in a workbook", () => {
  it("inserts one table keyed by company and document, with Société and SIREN, and the subtotals by company on their own sheet", async () => {
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, query(), "fr", { now });
    expect(saved).toMatchObject({ tableName: "Ventes_consolidees", sheetName: "Ventes consolidées", companyName: "3 sociétés", rows: 3 });
    expect(saved.subtotals).toMatchObject({ tableName: "Ventes_consolidees_societes", sheetName: "Sous-totaux consolidés" });
    expect(companiesOf(saved).sort()).toEqual([a.companyId, b.companyId, c.companyId].sort());
    expect(await readSavedTables(wb.run)).toEqual([saved]);
    const table = wb.table("Ventes_consolidees");
    expect(table.headers.slice(0, 5)).toEqual(["Société", "SIREN", "Date", "N° pièce", "Type"]);
    expect(table.headers.at(-1)).toBe("Clé");
    expect(table.rows.map((r) => [r[0], r[1], r[3], r[9]])).toEqual([
      [a.name, a.siren, "F2026-00001", 36.04],
      [b.name, b.siren, "F2026-00001", 222.82],
      [c.name, c.siren, "F2026-00001", 105.48],
    ]);
    expect(new Set(table.rows.map((r) => r.at(-1))).size).toBe(3);
    expect(table.rows[0]!.at(-1)).toMatch(new RegExp(`^${a.companyId}:`));
    expect(wb.value("'Ventes consolidées'!B2")).toBe("3 sociétés");
    expect(wb.value("'Ventes consolidées'!B5")).toBe("Sous-totaux consolidés");
    const sub = wb.table("Ventes_consolidees_societes");
    expect(sub.headers.slice(0, 7)).toEqual(["Société", "SIREN", "Pièces", "HT", "TVA", "TTC", "Payé"]);
    expect(sub.rows.map((r) => r.slice(0, 7))).toEqual([
      [a.name, a.siren, 1, 30.03, 6.01, 36.04, 0],
      [b.name, b.siren, 1, 191.34, 31.48, 222.82, 0],
      [c.name, c.siren, 1, 99.98, 5.5, 105.48, 0],
    ]);
    // the totals line above the subtotals: the sum of the companies, to the cent
    const totals = wb.values("'Sous-totaux consolidés'!C5:F5")[0]!;
    expect(totals[0]).toBe(3);
    expect(totals[3]).toBeCloseTo(364.34, 8);
    expect(wb.sheetNames().at(-1)).toBe("Ventes consolidées");

    // a second one in the same workbook: numbered names, each sheet naming the other
    const second = await insertJournalTable(wb.run, client, { ...query(), companies: [b.companyId] }, "fr", { now });
    expect(second).toMatchObject({ tableName: "Ventes_consolidees_2", sheetName: "Ventes consolidées (2)", companyName: "1 société", rows: 1 });
    expect(second.subtotals).toMatchObject({ tableName: "Ventes_consolidees_societes_2", sheetName: "Sous-totaux consolidés (2)" });
    expect(wb.value("'Ventes consolidées (2)'!B5")).toBe("Sous-totaux consolidés (2)");
    expect(wb.value("'Sous-totaux consolidés (2)'!B2")).toBe("Ventes consolidées (2)");
    expect(wb.table("Ventes_consolidees_societes_2").rows.map((r) => r.slice(0, 3))).toEqual([[b.name, b.siren, 1]]);
  });

  it("a refresh brings a new invoice of one company into the table and its subtotal, and moves that company's sequence", async () => {
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, { ...query(), companies: "all" }, "fr", { now });
    expect(saved.companyName).toBe("Toutes mes sociétés (3)");
    await issuedInvoice(t, b, "2026-11-15", [line("1", 10000, 850)]);
    const next = await refreshJournalTable(wb.run, client, saved, { now });
    expect(next.rows).toBe(4);
    expect(seqOf(next, b.companyId)).toBeGreaterThan(seqOf(saved, b.companyId));
    expect(seqOf(next, a.companyId)).toBe(seqOf(saved, a.companyId));
    const table = wb.table("Ventes_consolidees");
    expect(table.rows.at(-1)!.slice(0, 4)).toEqual([b.name, b.siren, 46341, "F2026-00002"]);
    expect(table.headers.slice(-3)).toEqual(["Clé", "Base 8,5 %", "TVA 8,5 %"]); // a new rate's columns come on the right
    const sub = wb.table("Ventes_consolidees_societes");
    expect(sub.rows[1]!.slice(0, 6)).toEqual([b.name, b.siren, 2, 291.34, 39.98, 331.32]);
    expect(sub.rows[1]!.slice(-2)).toEqual([100, 8.5]);
    expect(wb.values("'Sous-totaux consolidés'!F5:F5")[0]![0]).toBeCloseTo(36.04 + 331.32 + 105.48, 8);

    // by key: a new invoice of A is inserted before B's last one, only its row written; a note beside B's row stays beside it
    expect(wb.value("'Ventes consolidées'!B11")).toBe(b.siren);
    wb.type("'Ventes consolidées'!AZ11", "à relancer");
    await issuedInvoice(t, a, "2026-11-10", [line("1", 5000, 2000)]);
    const outcomes: unknown[] = [];
    const keyed = await refreshJournalTable(wb.run, client, next, { now, onRefreshed: (o) => outcomes.push(o) });
    expect(outcomes).toEqual([{ tableName: "Ventes_consolidees", mode: "whole", inserted: 1, updated: 0, deleted: 0, repaired: false }]);
    expect(keyed.rows).toBe(5);
    expect(wb.table("Ventes_consolidees").rows.map((r) => [r[0], r[3]])).toEqual([
      [a.name, "F2026-00001"],
      [b.name, "F2026-00001"],
      [c.name, "F2026-00001"],
      [a.name, "F2026-00002"],
      [b.name, "F2026-00002"],
    ]);
    expect(wb.value("'Ventes consolidées'!AZ12")).toBe("à relancer");
    expect(wb.value("'Ventes consolidées'!D12")).toBe("F2026-00002");
    expect(wb.value("'Ventes consolidées'!A12")).toBe(b.name);
    expect(wb.table("Ventes_consolidees_societes").rows[0]!.slice(2, 6)).toEqual([2, 80.03, 16.01, 96.04]);

    // the subtotals' table deleted: the next refresh makes it again, and the journal's header says where
    wb.convertTableToRange("Ventes_consolidees_societes");
    const again = await refreshJournalTable(wb.run, client, keyed, { now });
    expect(again.subtotals).toMatchObject({ tableName: "Ventes_consolidees_societes", sheetName: "Sous-totaux consolidés (2)" });
    expect(wb.table("Ventes_consolidees_societes").rows.map((r) => r[5])).toEqual([96.04, 331.32, 105.48]);
    expect(wb.value("'Ventes consolidées'!B5")).toBe("Sous-totaux consolidés (2)");
    expect((await readSavedTables(wb.run))[0]!.subtotals!.sheetName).toBe("Sous-totaux consolidés (2)");
  });
});
