import { describe, expect, it } from "vitest";
import type { JournalRow } from "@passerelle/shared";
import { PasserelleClient } from "@passerelle/shared/client";
import { createTestApp, issuedInvoice, ownerWithCompany } from "../../../api/test/helpers.js";
import { FakeWorkbook } from "../../src/fake-excel/index.js";
import { insertJournalTable, refreshJournalTable, type RefreshOutcome, type TableQuery } from "../../src/excel/journal-tables.js";
import { buildSpec, DEFAULT_RATES, journalCells, journalColumns } from "../../src/excel/layout.js";
import { LEGACY_SETTINGS_KEY, readSavedTables, saveTable, settingKey, type SavedTable } from "../../src/excel/saved-tables.js";
import { insertTable } from "../../src/excel/writer.js";
import { currentSeq, loadSalesJournal } from "../../src/api/data.js";
import { boxAddress } from "../../src/excel/a1.js";
import type { CellValue } from "../../src/excel/host.js";

const t = createTestApp();
const now = () => new Date("2026-11-26T09:30:00");
type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

async function company(name: string) {
  const owner = await ownerWithCompany(t);
  const client = new PasserelleClient({ baseUrl: "http://passerelle.test", token: owner.token, fetch: async (url, init) => t.app.request(String(url), init) });
  const query: TableQuery = { companyId: owner.companyId, companyName: name, siren: "853904811", view: "journal", filters: {}, filtersText: "" };
  return { owner, client, query };
}

const LINE = [{ description: "Pose", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" as const }];

async function pay(owner: Owner, invoiceId: string, amountCents: number) {
  const res = await t.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId, amountCents, date: "2026-11-19", method: "transfer" } });
  if (res.status !== 201) throw new Error(`payment: ${res.text}`);
}

describe("keyed refresh", () => {
  it("one new invoice in a 100,000-row live table: 3 syncs and a few kilobytes sent, the other rows untouched", async () => {
    const { owner, client, query } = await company("Budget SARL");
    const wb = new FakeWorkbook();
    const columns = journalColumns("fr", DEFAULT_RATES);
    // 100,000 issued invoices as the table holds them (written directly: the API needs not hold them for this measure)
    const hex = (n: number, w: number) => n.toString(16).padStart(w, "0");
    const rows: CellValue[][] = Array.from({ length: 100_000 }, (_, i) => {
      const day = 1 + Math.floor((i * 300) / 100_000);
      const row: JournalRow = {
        id: `0190${hex(i, 4)}-0000-7000-8000-${hex(i * 7919, 12)}`,
        date: new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10),
        number: `F2026-${String(i + 1).padStart(6, "0")}`,
        type: "invoice",
        customerId: "c",
        customerCode: `C${String(i % 500).padStart(4, "0")}`,
        customerName: `Client ${i % 500}`,
        htCents: 10000 + (i % 977),
        vatCents: 2000,
        ttcCents: 12000 + (i % 977),
        byRate: [{ vatRateBp: 2000, baseCents: 10000 + (i % 977), vatCents: 2000 }],
        status: "issued",
        paidCents: 0,
        dueDate: null,
        creditedInvoiceNumber: null,
      };
      return journalCells(row, columns, "fr");
    });
    const seq = await currentSeq(client, owner.companyId);
    const header = { view: "journal" as const, companyName: query.companyName, siren: query.siren, filtersText: "", refreshedAt: now() };
    const spec = buildSpec({ view: "journal", lang: "fr", sheetName: "Budget SARL – Ventes", tableName: "Ventes_Budget_SARL", columns, rows, header });
    const written = await insertTable(wb.run, spec);
    const saved: SavedTable = { ...query, tableName: written.tableName, sheetName: written.sheetName, lang: "fr", columns, lastSeq: seq, refreshedAt: now().toISOString(), rows: rows.length, headerLines: 4 };
    await saveTable(wb.run, saved);

    const invoice = await issuedInvoice(t, owner, "2026-11-18", LINE);
    wb.resetStats();
    const outcomes: RefreshOutcome[] = [];
    const next = await refreshJournalTable(wb.run, client, saved, { now, onRefreshed: (o) => outcomes.push(o) });
    const stats = { ...wb.stats };
    console.log(
      `one new invoice in a 100,000-row table: ${stats.syncs} syncs, ${stats.totalRequestBytes} bytes sent (largest request ${stats.largestRequestBytes}), ` +
        `largest response ${stats.largestResponseBytes} bytes`,
    );
    expect(outcomes).toEqual([{ tableName: "Ventes_Budget_SARL", mode: "changes", inserted: 1, updated: 0, deleted: 0, repaired: false }]);
    expect(stats.syncs).toBeLessThanOrEqual(3);
    expect(stats.totalRequestBytes).toBeLessThanOrEqual(50_000);
    expect(next).toMatchObject({ rows: 100_001, lastSeq: seq + 2 });
    const table = wb.table("Ventes_Budget_SARL");
    expect(table.address).toBe("A7:U100008");
    expect(table.rows[99_999]).toEqual(rows[99_999]);
    expect(table.rows[0]).toEqual(rows[0]);
    const last = table.rows[100_000]!;
    expect([last[0], last[1], last[5], last[7], last[8], last[20]]).toEqual([46344, "F2026-00001", 100, 120, "Émise", invoice.id]);
    expect(table.formats[100_000]!.slice(0, 8)).toEqual(["dd/mm/yyyy", "@", "@", "@", "@", '#,##0.00 "€"', '#,##0.00 "€"', '#,##0.00 "€"']);
    expect(wb.values("'Budget SARL – Ventes'!A2:A5")).toEqual([["Société"], ["SIREN"], ["Filtres"], ["Actualisé le"]]);
    expect(JSON.parse(wb.setting(settingKey(next.tableName))!)).toEqual(next);

    // nothing changed since: 2 syncs, the header block and the saved query only
    wb.resetStats();
    await refreshJournalTable(wb.run, client, next, { now });
    expect(wb.stats.syncs).toBe(2);
    expect(wb.stats.totalRequestBytes).toBeLessThan(5_000);
  }, 120_000);

  it("a table inserted when its header block ended with « Séquence » loses that row at its next refresh, its formulas following it", async () => {
    const { owner, client, query } = await company("Ancienne SARL");
    await issuedInvoice(t, owner, "2026-11-02", LINE);
    const wb = new FakeWorkbook();
    const inserted = await insertJournalTable(wb.run, client, query, "fr", { now });
    expect(inserted.headerLines).toBe(4);
    // the table as earlier versions left it: the same block with a sixth line, the sequence, and no headerLines saved
    const { headerLines: _, ...former } = inserted;
    const old = new FakeWorkbook();
    const { rows: journal } = await loadSalesJournal(client, owner.companyId, {});
    const columns = inserted.columns;
    const spec = buildSpec({ view: "journal", lang: "fr", sheetName: inserted.sheetName, tableName: inserted.tableName, columns, rows: journal.map((r) => journalCells(r, columns, "fr")), header: { view: "journal", companyName: query.companyName, siren: query.siren, filtersText: "", refreshedAt: now() } });
    await insertTable(old.run, { ...spec, lines: [...spec.lines, { label: "Séquence", value: former.lastSeq, kind: "integer" }] });
    await saveTable(old.run, former);
    const sheet = `'${inserted.sheetName}'`;
    old.type(`${sheet}!Z1`, `=SUM(${inserted.tableName}[TTC])`);
    expect(old.value(`${sheet}!A6`)).toBe("Séquence");
    expect(old.table(inserted.tableName).address).toBe("A8:U9");

    await issuedInvoice(t, owner, "2026-11-03", LINE);
    const next = await refreshJournalTable(old.run, client, former, { now });
    expect(next).toMatchObject({ rows: 2, headerLines: 4, lastSeq: former.lastSeq + 2 });
    expect(old.values(`${sheet}!A1:B6`)).toEqual(wb.values(`${sheet}!A1:B6`));
    expect(old.values(`${sheet}!A1:A6`).flat()).not.toContain("Séquence");
    expect(old.table(inserted.tableName).address).toBe("A7:U9");
    expect(old.table(inserted.tableName).rows.map((r) => r[1])).toEqual(["F2026-00001", "F2026-00002"]);
    expect(old.value(`${sheet}!Z1`)).toBe(240);

    // a later refresh finds the saved block and reads nothing more above the table
    old.resetStats();
    await refreshJournalTable(old.run, client, next, { now });
    expect(old.stats.syncs).toBe(2);
    expect(old.table(inserted.tableName).address).toBe("A7:U9");
  });

  it("with the unpaid filter, a note typed beside F2026-00016 stays beside it when F2026-00001 is paid and leaves the table", async () => {
    const { owner, client, query } = await company("Notes SARL");
    const invoices = [];
    for (let i = 0; i < 16; i++) invoices.push(await issuedInvoice(t, owner, "2026-11-02", LINE));
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, { ...query, filters: { status: "issued" }, filtersText: "Non payées" }, "fr", { now });
    const S = `'${saved.sheetName}'`;
    expect(wb.table(saved.tableName).address).toBe("A7:U23");
    expect(wb.value(`${S}!B23`)).toBe("F2026-00016");
    wb.type(`${S}!W23`, "Relancer en janvier");
    wb.type(`${S}!W9`, "Voir avec le client");

    await pay(owner, invoices[0].id, 12000);
    const next = await refreshJournalTable(wb.run, client, saved, { now });
    expect(next.rows).toBe(15);
    const table = wb.table(saved.tableName);
    expect(table.address).toBe("A7:U22");
    expect(table.rows.map((r) => r[1])).toEqual(invoices.slice(1).map((_, i) => `F2026-${String(i + 2).padStart(5, "0")}`));
    // each note is still on its document's row
    expect(wb.values(`${S}!B22:W22`)[0]!.filter((v, i) => i === 0 || i === 21)).toEqual(["F2026-00016", "Relancer en janvier"]);
    expect(wb.values(`${S}!B8:W8`)[0]!.filter((v, i) => i === 0 || i === 21)).toEqual(["F2026-00002", "Voir avec le client"]);

    // a new invoice comes in after it: inserted below, the note stays on F2026-00016
    const newest = await issuedInvoice(t, owner, "2026-11-02", LINE);
    const outcomes: RefreshOutcome[] = [];
    await refreshJournalTable(wb.run, client, next, { now, onRefreshed: (o) => outcomes.push(o) });
    expect(outcomes[0]).toMatchObject({ mode: "changes", inserted: 1, updated: 0, deleted: 0 });
    expect(wb.values(`${S}!B22:W22`)[0]!.filter((v, i) => i === 0 || i === 21)).toEqual(["F2026-00016", "Relancer en janvier"]);
    expect(wb.values(`${S}!B23:W23`)[0]!.filter((v, i) => i === 0 || i === 19 || i === 21)).toEqual(["F2026-00017", newest.id, ""]);
  }, 60_000);

  it("a column the user adds right of the table (Excel widens it) and one inside it stay with their rows through refreshes", async () => {
    const { owner, client, query } = await company("Colonnes SARL");
    const a = await issuedInvoice(t, owner, "2026-11-02", LINE);
    const b = await issuedInvoice(t, owner, "2026-11-03", LINE);
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, query, "fr", { now });
    const S = `'${saved.sheetName}'`;
    const model = wb.model.table(saved.tableName)!;
    // a header typed right of the table: Excel makes it a column of the table
    wb.type(`${S}!V7`, "Pointage");
    expect(wb.table(saved.tableName).address).toBe("A7:V9");
    wb.type(`${S}!V8`, "ok");
    wb.type(`${S}!V9`, "à voir");
    // a column inserted inside the table, after the number
    wb.model.shift(model.sheet, "column", 2, 1);
    wb.type(`${S}!C7`, "Commentaire");
    wb.type(`${S}!C8`, "acompte reçu");
    wb.type(`${S}!C9`, "litige");
    expect(wb.table(saved.tableName).headers.length).toBe(23);

    await pay(owner, b.id, 12000);
    const c = await issuedInvoice(t, owner, "2026-11-04", [{ description: "Livraison Réunion", quantity: "1", unitPriceCents: 2000, vatRateBp: 850, kind: "goods" }]);
    const next = await refreshJournalTable(wb.run, client, saved, { now });
    const table = wb.table(saved.tableName);
    expect(table.address).toBe("A7:Y10");
    expect(table.headers.slice(0, 4)).toEqual(["Date", "N° pièce", "Commentaire", "Type"]);
    // the new rate's columns come right after Passerelle's, the accountant's column stays last
    expect(table.headers.slice(-4)).toEqual(["Clé", "Base 8,5 %", "TVA 8,5 %", "Pointage"]);
    const pick = (r: CellValue[]) => [r[1], r[2], r[9], r[10], r[21], r[22], r[23], r[24]];
    expect(table.rows.map(pick)).toEqual([
      ["F2026-00001", "acompte reçu", "Émise", 0, a.id, 0, 0, "ok"],
      ["F2026-00002", "litige", "Payée", 120, b.id, 0, 0, "à voir"],
      ["F2026-00003", "", "Émise", 0, c.id, 20, 1.7, ""],
    ]);
    expect(wb.formulas(`${S}!W6:X6`)).toEqual([["=SUBTOTAL(109,Ventes_Colonnes_SARL[Base 8,5 %])", "=SUBTOTAL(109,Ventes_Colonnes_SARL[TVA 8,5 %])"]]);
    expect(wb.values(`${S}!W6:X6`)).toEqual([[20, 1.7]]);
    // a second refresh with nothing new leaves everything as it is
    await refreshJournalTable(wb.run, client, next, { now });
    expect(wb.table(saved.tableName).rows).toEqual(table.rows);
  }, 60_000);

  it("the entries view is checked whole by key: new lines inserted after their entry, the changed ones rewritten, a note kept on its line", async () => {
    const { owner, client, query } = await company("Ecritures SARL");
    const a = await issuedInvoice(t, owner, "2026-11-02", LINE);
    await issuedInvoice(t, owner, "2026-11-03", LINE);
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, { ...query, view: "entries" }, "fr", { now });
    const S = `'${saved.sheetName}'`;
    const before = wb.table(saved.tableName);
    expect(before.headers.at(-1)).toBe("Clé");
    const keyAt = before.headers.length - 1;
    const noteRow = before.rows.length + 7; // beside the last line of the table
    const noteKey = before.rows.at(-1)![keyAt];
    wb.type(`${S}!R${noteRow}`, "à pointer");

    await pay(owner, a.id, 12000);
    const outcomes: RefreshOutcome[] = [];
    const next = await refreshJournalTable(wb.run, client, saved, { now, onRefreshed: (o) => outcomes.push(o) });
    const after = wb.table(saved.tableName);
    expect(outcomes[0]).toMatchObject({ mode: "whole", deleted: 0, repaired: false });
    expect(outcomes[0]!.inserted).toBe(after.rows.length - before.rows.length);
    expect(outcomes[0]!.inserted).toBeGreaterThanOrEqual(2); // the payment's entry: bank and customer
    expect(next.rows).toBe(after.rows.length);
    // every line once, and the rows already there kept their place and content
    const keys = after.rows.map((r) => r[keyAt]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(after.rows.slice(0, before.rows.length).map((r) => r[keyAt])).toEqual(before.rows.map((r) => r[keyAt]));
    const rowOfNote = after.rows.findIndex((r) => r[keyAt] === noteKey) + 8;
    expect(wb.value(`${S}!R${rowOfNote}`)).toBe("à pointer");
    // a refresh with nothing new writes no row
    const again: RefreshOutcome[] = [];
    await refreshJournalTable(wb.run, client, next, { now, onRefreshed: (o) => again.push(o) });
    expect(again[0]).toMatchObject({ mode: "whole", inserted: 0, updated: 0, deleted: 0 });
  }, 60_000);

  it("a refresh cut off half-way leaves a mark; the next refresh repairs the whole table by key and says so", async () => {
    const { owner, client, query } = await company("Coupure SARL");
    for (let i = 0; i < 3; i++) await issuedInvoice(t, owner, "2026-11-02", LINE);
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, query, "fr", { now });
    const S = `'${saved.sheetName}'`;
    wb.type(`${S}!W9`, "note sur F2026-00002");
    const added = [];
    for (let i = 0; i < 12; i++) added.push(await issuedInvoice(t, owner, "2026-11-03", LINE));
    const first = (await loadSalesJournal(client, owner.companyId, {})).rows[0]!;
    await pay(owner, first.id, 5000);

    // the fifth request fails whole (three write syncs went through, the mark with the first)
    wb.failSync(5);
    await expect(refreshJournalTable(wb.run, client, saved, { now, chunkBytes: 400 })).rejects.toMatchObject({ code: "GeneralException" });
    const marked = (await readSavedTables(wb.run))[0]!;
    expect(marked.refreshingTo).toBeGreaterThan(saved.lastSeq);
    expect(marked.lastSeq).toBe(saved.lastSeq);
    const half = wb.table(saved.tableName).rows.map((r) => r[1]);
    expect(half.length).toBeGreaterThan(3); // some of the new invoices are in, not all
    expect(half.length).toBeLessThan(15);

    const repaired: string[] = [];
    const outcomes: RefreshOutcome[] = [];
    const next = await refreshJournalTable(wb.run, client, saved, { now, onRepaired: (x) => repaired.push(x.tableName), onRefreshed: (o) => outcomes.push(o) });
    expect(repaired).toEqual([saved.tableName]);
    expect(outcomes[0]).toMatchObject({ mode: "whole", repaired: true });
    expect(next.refreshingTo).toBeUndefined();
    const journal = (await loadSalesJournal(client, owner.companyId, {})).rows;
    const table = wb.table(saved.tableName);
    expect(table.rows.map((r) => r[20])).toEqual(journal.map((r) => r.id));
    expect(table.rows.map((r) => [r[1], r[8], r[9]])).toEqual(journal.map((r) => [r.number, r.status === "partially_paid" ? "Partiellement payée" : "Émise", r.paidCents / 100]));
    expect(wb.values(`${S}!B9:W9`)[0]!.filter((v, i) => i === 0 || i === 21)).toEqual(["F2026-00002", "note sur F2026-00002"]);
    expect(JSON.parse(wb.setting(settingKey(next.tableName))!)).toEqual(next);
    // and the table is whole again: a further refresh changes nothing
    const again: RefreshOutcome[] = [];
    await refreshJournalTable(wb.run, client, next, { now, onRefreshed: (o) => again.push(o) });
    expect(again[0]).toMatchObject({ mode: "changes", inserted: 0, updated: 0, deleted: 0 });
    expect(table.address).toBe(boxAddress({ row: 6, column: 0, lastRow: 6 + journal.length, lastColumn: 20 }));
  }, 60_000);
});

describe("saved queries, one setting per table", () => {
  const others = (saved: SavedTable, n: number): SavedTable[] =>
    Array.from({ length: n }, (_, i) => ({ ...saved, tableName: `Ventes_Societe_${String(i + 2).padStart(3, "0")}`, sheetName: `Société ${i + 2} – Ventes`, companyName: `Société ${i + 2}` }));

  it("refreshing one table of a workbook with 150 saved tables sends its own query only, not the 149 others", async () => {
    const { owner, client, query } = await company("Societe 001");
    await issuedInvoice(t, owner, "2026-11-02", LINE);
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, query, "fr", { now });
    const rest = others(saved, 149);
    for (const x of rest) await saveTable(wb.run, x);
    const before = new Map(wb.model.settings);
    const allBytes = [...before.values()].reduce((n, v) => n + v.length, 0);
    expect(before.size).toBe(150);
    expect(allBytes).toBeGreaterThan(150 * 1_000);
    expect((await readSavedTables(wb.run)).map((x) => x.tableName)).toEqual([saved.tableName, ...rest.map((x) => x.tableName)]);

    await issuedInvoice(t, owner, "2026-11-03", LINE);
    wb.resetStats();
    // the pane reads the queries of the tables it refreshes only
    expect(await readSavedTables(wb.run, [saved.tableName, "Inconnue"])).toEqual([saved]);
    expect(wb.stats.largestResponseBytes).toBeLessThan(5_000);
    const outcomes: RefreshOutcome[] = [];
    const next = await refreshJournalTable(wb.run, client, saved, { now, onRefreshed: (o) => outcomes.push(o) });
    const stats = { ...wb.stats };
    console.log(`one new invoice, 150 saved tables (${allBytes} bytes of saved queries): ${stats.syncs} syncs, ${stats.totalRequestBytes} bytes sent, largest request ${stats.largestRequestBytes}`);
    expect(outcomes).toEqual([{ tableName: saved.tableName, mode: "changes", inserted: 1, updated: 0, deleted: 0, repaired: false }]);
    expect(stats.totalRequestBytes).toBeLessThan(50_000);
    expect(JSON.parse(wb.setting(settingKey(saved.tableName))!)).toEqual(next);
    for (const x of rest) expect(wb.setting(settingKey(x.tableName))).toBe(before.get(settingKey(x.tableName)));
    expect(wb.model.settings.size).toBe(150);
  }, 60_000);

  it("a workbook saved with every table in one setting is read as before; its next save gives each table its own setting and deletes the old one", async () => {
    const { owner, client, query } = await company("Societe 001");
    await issuedInvoice(t, owner, "2026-11-02", LINE);
    const wb = new FakeWorkbook();
    const saved = await insertJournalTable(wb.run, client, query, "fr", { now });
    const [second, third] = others(saved, 2) as [SavedTable, SavedTable];
    // the workbook as saved before: one setting holding every table's query
    wb.model.settings.clear();
    wb.model.settings.set(LEGACY_SETTINGS_KEY, JSON.stringify([saved, second, third]));
    expect(await readSavedTables(wb.run)).toEqual([saved, second, third]);
    expect(await readSavedTables(wb.run, [third.tableName, saved.tableName])).toEqual([third, saved]);

    await issuedInvoice(t, owner, "2026-11-03", LINE);
    const outcomes: RefreshOutcome[] = [];
    const next = await refreshJournalTable(wb.run, client, saved, { now, onRefreshed: (o) => outcomes.push(o) });
    expect(outcomes).toEqual([{ tableName: saved.tableName, mode: "changes", inserted: 1, updated: 0, deleted: 0, repaired: false }]);
    expect(next).toMatchObject({ rows: 2, lastSeq: saved.lastSeq + 2 });
    expect(wb.setting(LEGACY_SETTINGS_KEY)).toBeUndefined();
    expect([...wb.model.settings.keys()].sort()).toEqual([settingKey(saved.tableName), settingKey(second.tableName), settingKey(third.tableName)].sort());
    expect(JSON.parse(wb.setting(settingKey(saved.tableName))!)).toEqual(next);
    expect(JSON.parse(wb.setting(settingKey(second.tableName))!)).toEqual(second);
    expect(JSON.parse(wb.setting(settingKey(third.tableName))!)).toEqual(third);
    expect(await readSavedTables(wb.run)).toEqual([next, second, third]);

    // saving a table moves them too, and a table with its own setting keeps it over the old entry
    const edited = { ...second, filtersText: "Impayées" };
    wb.model.settings.clear();
    wb.model.settings.set(settingKey(third.tableName), JSON.stringify({ ...third, rows: 7 }));
    wb.model.settings.set(LEGACY_SETTINGS_KEY, JSON.stringify([saved, second, third]));
    expect(await readSavedTables(wb.run)).toEqual([saved, second, { ...third, rows: 7 }]);
    expect(await readSavedTables(wb.run, [third.tableName])).toEqual([{ ...third, rows: 7 }]);
    await saveTable(wb.run, edited);
    expect(wb.setting(LEGACY_SETTINGS_KEY)).toBeUndefined();
    expect(JSON.parse(wb.setting(settingKey(saved.tableName))!)).toEqual(saved);
    expect(JSON.parse(wb.setting(settingKey(second.tableName))!)).toEqual(edited);
    expect(JSON.parse(wb.setting(settingKey(third.tableName))!)).toEqual({ ...third, rows: 7 });
  }, 60_000);
});
