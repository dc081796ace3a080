import { describe, expect, it } from "vitest";
import { FakeWorkbook, FakeExcelError } from "../src/fake-excel/index.js";
import { insertTable, refreshTable, TableMissingError, type SheetTableSpec } from "../src/excel/writer.js";
import type { CellValue } from "../src/excel/host.js";

/** n journal-like rows: date serial, number (text), customer code (text that looks numeric), HT, TTC. */
function rows(n: number, seed = 0): CellValue[][] {
  return Array.from({ length: n }, (_, i) => {
    const ht = ((i * 7919 + seed) % 100_000) / 100;
    return [46_000 + (i % 365), `F2026-${String(i + 1).padStart(5, "0")}`, `00${i % 97}`, ht, Math.round(ht * 120) / 100];
  });
}

function spec(data: CellValue[][], seq = 1): SheetTableSpec {
  return {
    sheetName: "Maison Lumière – Ventes",
    tableName: "Ventes_Maison_Lumiere",
    title: "Passerelle — Journal des ventes",
    lines: [
      { label: "Société", value: "Maison Lumière SARL", kind: "text" },
      { label: "SIREN", value: "853904811", kind: "text" },
      { label: "Filtres", value: "du 01/01/2026 au 31/12/2026", kind: "text" },
      { label: "Actualisé le", value: 46_000.5, kind: "datetime" },
      { label: "Séquence", value: seq, kind: "integer" },
    ],
    totalLabel: "Total",
    columns: [
      { header: "Date", kind: "date" },
      { header: "N° pièce", kind: "text" },
      { header: "Code client", kind: "text" },
      { header: "HT", kind: "money", total: true },
      { header: "TTC", kind: "money", total: true },
    ],
    rows: data,
  };
}

const SHEET = "'Maison Lumière – Ventes'";
const sum = (data: CellValue[][], col: number) => data.reduce((s, r) => s + (r[col] as number), 0);

describe("insertTable", () => {
  it("writes the header block, a table below it, typed cells and a totals line", async () => {
    const wb = new FakeWorkbook();
    const data = rows(10);
    data[0]![2] = "=1+1"; // a customer code is text, never a formula
    const written = await insertTable(wb.run, spec(data));

    expect(written).toEqual({ sheetName: "Maison Lumière – Ventes", tableName: "Ventes_Maison_Lumiere", address: `${SHEET}!A8:E18`, rows: 10 });
    const table = wb.table("Ventes_Maison_Lumiere");
    expect(table.address).toBe("A8:E18");
    expect(table.headers).toEqual(["Date", "N° pièce", "Code client", "HT", "TTC"]);
    expect(table.rows).toEqual(data);
    expect(table.formats[0]).toEqual(["dd/mm/yyyy", "@", "@", '#,##0.00 "€"', '#,##0.00 "€"']);
    expect(wb.value(`${SHEET}!C10`)).toBe("001"); // still text, leading zeros kept
    expect(wb.value(`${SHEET}!C9`)).toBe("=1+1");
    expect(wb.values(`${SHEET}!A1:B6`)).toEqual([
      ["Passerelle — Journal des ventes", ""],
      ["Société", "Maison Lumière SARL"],
      ["SIREN", "853904811"],
      ["Filtres", "du 01/01/2026 au 31/12/2026"],
      ["Actualisé le", 46_000.5],
      ["Séquence", 1],
    ]);
    expect(wb.numberFormats(`${SHEET}!B3:B6`)).toEqual([["@"], ["@"], ["dd/mm/yyyy hh:mm"], ["0"]]);
    expect(wb.formulas(`${SHEET}!A7:E7`)).toEqual([["Total", "", "", "=SUBTOTAL(109,Ventes_Maison_Lumiere[HT])", "=SUBTOTAL(109,Ventes_Maison_Lumiere[TTC])"]]);
    expect(wb.value(`${SHEET}!D7`)).toBeCloseTo(sum(data, 3), 6);
    expect(wb.model.sheet("Maison Lumière – Ventes")!.frozenRows).toBe(8);
  });

  it("picks a free sheet and table name when the first ones are taken", async () => {
    const wb = new FakeWorkbook();
    await insertTable(wb.run, spec(rows(2)));
    const second = await insertTable(wb.run, spec(rows(3)));
    expect(second.sheetName).toBe("Maison Lumière – Ventes (2)");
    expect(second.tableName).toBe("Ventes_Maison_Lumiere_2");
    expect(wb.table("Ventes_Maison_Lumiere_2").rows).toHaveLength(3);
  });

  it("keeps one empty body row when there is nothing to show", async () => {
    const wb = new FakeWorkbook();
    await insertTable(wb.run, spec([]));
    expect(wb.table("Ventes_Maison_Lumiere").rows).toEqual([["", "", "", "", ""]]);
    expect(wb.value(`${SHEET}!D7`)).toBe(0);
  });
});

describe("refreshTable", () => {
  it("grows 10 → 20,000 rows and shrinks back, in place, keeping the user's formulas and content working", async () => {
    const wb = new FakeWorkbook();
    await insertTable(wb.run, spec(rows(10)));
    // what an accountant adds around the table
    wb.type(`${SHEET}!H1`, "=SUM(Ventes_Maison_Lumiere[TTC])");
    wb.type(`${SHEET}!H2`, "=ROWS(Ventes_Maison_Lumiere)");
    wb.type(`${SHEET}!H3`, "=B21*2");
    wb.type(`${SHEET}!A21`, "Note de l'expert");
    wb.type(`${SHEET}!B21`, 1000);
    wb.type("Feuil1!A1", `=SUM(Ventes_Maison_Lumiere[HT])`);

    const big = rows(20_000, 3);
    const grown = await refreshTable(wb.run, spec(big, 2));
    expect(grown.address).toBe(`${SHEET}!A8:E20008`);
    expect(wb.tableNames()).toEqual(["Ventes_Maison_Lumiere"]);
    expect(wb.table("Ventes_Maison_Lumiere").rows).toEqual(big);
    expect(wb.value(`${SHEET}!H1`)).toBeCloseTo(sum(big, 4), 4);
    expect(wb.value(`${SHEET}!H2`)).toBe(20_000);
    expect(wb.values(`${SHEET}!A20011:B20011`)).toEqual([["Note de l'expert", 1000]]);
    expect(wb.formulas(`${SHEET}!H3`)).toEqual([["=B20011*2"]]);
    expect(wb.value(`${SHEET}!H3`)).toBe(2000);
    expect(wb.value("Feuil1!A1")).toBeCloseTo(sum(big, 3), 4);
    expect(wb.value(`${SHEET}!B6`)).toBe(2);

    const small = rows(10, 5);
    const shrunk = await refreshTable(wb.run, spec(small, 3));
    expect(shrunk.address).toBe(`${SHEET}!A8:E18`);
    expect(wb.table("Ventes_Maison_Lumiere").rows).toEqual(small);
    expect(wb.values(`${SHEET}!A19:E20`)).toEqual([["", "", "", "", ""], ["", "", "", "", ""]]);
    expect(wb.values(`${SHEET}!A21:B21`)).toEqual([["Note de l'expert", 1000]]);
    expect(wb.formulas(`${SHEET}!H1:H3`)).toEqual([["=SUM(Ventes_Maison_Lumiere[TTC])"], ["=ROWS(Ventes_Maison_Lumiere)"], ["=B21*2"]]);
    expect(wb.value(`${SHEET}!H1`)).toBeCloseTo(sum(small, 4), 6);
    expect(wb.value(`${SHEET}!H2`)).toBe(10);
    expect(wb.value(`${SHEET}!H3`)).toBe(2000);
    expect(wb.value(`${SHEET}!D7`)).toBeCloseTo(sum(small, 3), 6);
  });

  it("appends a new column on the right, moving the cells beside the table", async () => {
    const wb = new FakeWorkbook();
    const base = spec(rows(4));
    await insertTable(wb.run, base);
    wb.type(`${SHEET}!G9`, "à droite");
    const wider: SheetTableSpec = {
      ...base,
      columns: [...base.columns, { header: "TVA 5,5 %", kind: "money", total: true }],
      rows: rows(4).map((r) => [...r, 1.5]),
    };
    await refreshTable(wb.run, wider);
    const table = wb.table("Ventes_Maison_Lumiere");
    expect(table.address).toBe("A8:F12");
    expect(table.headers.at(-1)).toBe("TVA 5,5 %");
    expect(wb.value(`${SHEET}!H9`)).toBe("à droite");
    expect(wb.value(`${SHEET}!F7`)).toBe(6);
  });

  it("says so when the table was deleted", async () => {
    const wb = new FakeWorkbook();
    await expect(refreshTable(wb.run, spec(rows(1)))).rejects.toBeInstanceOf(TableMissingError);
  });
});

describe("large journals", () => {
  it("inserts and refreshes 100,000 rows in chunks far below the 5 MB request limit, calculation suspended", async () => {
    const wb = new FakeWorkbook();
    const data = rows(100_000);
    const progress: number[] = [];
    await insertTable(wb.run, spec(data), { onProgress: (p) => progress.push(p.rowsWritten) });
    const insertStats = { ...wb.stats };
    expect(wb.table("Ventes_Maison_Lumiere").rows).toEqual(data);
    expect(progress.at(-1)).toBe(100_000);
    expect(insertStats.largestRequestBytes).toBeLessThan(1_100_000);
    expect(insertStats.suspendedWriteSyncs).toBe(progress.length - 1); // every chunk
    // number formats go once per column, not per cell: every body cell has its column's format
    expect(wb.table("Ventes_Maison_Lumiere").formats.at(-1)).toEqual(wb.table("Ventes_Maison_Lumiere").formats[0]);
    expect(insertStats.totalRequestBytes).toBeLessThan(JSON.stringify(data).length * 1.1);
    wb.resetStats();

    const next = rows(100_000, 11);
    await refreshTable(wb.run, spec(next, 2));
    expect(wb.table("Ventes_Maison_Lumiere").rows).toEqual(next);
    expect(wb.stats.largestRequestBytes).toBeLessThan(1_100_000);
    console.log(
      `100,000 rows × 5 columns — insert: ${insertStats.syncs} syncs, largest request ${insertStats.largestRequestBytes} bytes, ` +
        `${insertStats.totalRequestBytes} bytes in all; refresh: ${wb.stats.syncs} syncs, largest request ${wb.stats.largestRequestBytes} bytes`,
    );
  });

  it("would be refused by Excel on the web if a chunk exceeded 5 MB", async () => {
    const wb = new FakeWorkbook();
    // 200,000 rows of values are 8.5 MB: one request for all of them is too large
    await expect(insertTable(wb.run, spec(rows(200_000)), { chunkBytes: 50_000_000 })).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
  });
});

describe("the fake is as strict as Excel", () => {
  it("refuses to read a property that was not loaded and synced", async () => {
    const wb = new FakeWorkbook();
    await wb.run(async (ctx) => {
      const range = ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1:B2");
      expect(() => range.values).toThrowError(FakeExcelError);
      range.load(["values"]);
      expect(() => range.values).toThrow(/call the load method/);
      await ctx.sync();
      expect(range.values).toEqual([["", ""], ["", ""]]);
    });
  });

  it("applies a single number format to every cell of a range, as Excel does; a single value is refused", async () => {
    const wb = new FakeWorkbook();
    await wb.run(async (ctx) => {
      ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1:B3").numberFormat = [["0.00"]];
      await ctx.sync();
    });
    expect(wb.numberFormats("Feuil1!A1:B3")).toEqual([["0.00", "0.00"], ["0.00", "0.00"], ["0.00", "0.00"]]);
    await expect(
      wb.run(async (ctx) => {
        ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1:B2").values = [[1]];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("refuses values whose size does not match the range", async () => {
    const wb = new FakeWorkbook();
    await expect(
      wb.run(async (ctx) => {
        ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1:B2").values = [[1, 2]];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("refuses objects used after their batch ended", async () => {
    const wb = new FakeWorkbook();
    const range = await wb.run(async (ctx) => ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1"));
    expect(() => {
      range.values = [[1]];
    }).toThrowError(expect.objectContaining({ code: "InvalidObjectPath" }));
  });

  it("converts numeric text and formulas in general cells, as Excel does", () => {
    const wb = new FakeWorkbook();
    wb.type("A1", "00042");
    wb.type("A2", "=A1+1");
    expect(wb.values("A1:A2")).toEqual([[42], [43]]);
  });
});

describe("a 100,000-row sales journal through the real layout", () => {
  it("inserts and refreshes 20 columns per row in requests under 1.1 MB, calculation suspended for every chunk", async () => {
    const { journalColumns, journalCells, buildSpec, ratesOf } = await import("../src/excel/layout.js");
    const journal = Array.from({ length: 100_000 }, (_, i) => {
      const base20 = 1000 + ((i * 7919) % 90_000);
      const base10 = i % 3 === 0 ? 6800 : 0;
      const vat = Math.round(base20 * 0.2) + Math.round(base10 * 0.1);
      return {
        id: `inv_${i}`,
        date: `2026-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`,
        number: `F2026-${String(i + 1).padStart(6, "0")}`,
        type: i % 50 === 0 ? ("credit_note" as const) : ("invoice" as const),
        customerId: `cus_${i % 300}`,
        customerCode: `C${String(i % 300).padStart(4, "0")}`,
        customerName: `Client n° ${i % 300} — Lyon`,
        htCents: base20 + base10,
        vatCents: vat,
        ttcCents: base20 + base10 + vat,
        byRate: [{ vatRateBp: 2000, baseCents: base20, vatCents: Math.round(base20 * 0.2) }, ...(base10 ? [{ vatRateBp: 1000, baseCents: base10, vatCents: Math.round(base10 * 0.1) }] : [])],
        status: i % 4 === 0 ? ("paid" as const) : ("issued" as const),
        paidCents: i % 4 === 0 ? base20 + base10 + vat : 0,
        dueDate: "2026-12-31",
        creditedInvoiceNumber: null,
      };
    });
    const columns = journalColumns("fr", ratesOf(journal));
    const header = { view: "journal" as const, companyName: "Maison Lumière SARL", siren: "853904811", filtersText: "2026", refreshedAt: new Date() };
    const spec = (rows: typeof journal) =>
      buildSpec({ view: "journal", lang: "fr", sheetName: "Grand journal", tableName: "Ventes_Grand", columns, rows: rows.map((r) => journalCells(r, columns, "fr")), header });
    const wb = new FakeWorkbook();
    await insertTable(wb.run, spec(journal));
    const insert = { ...wb.stats };
    wb.resetStats();
    const shifted = journal.map((r) => ({ ...r, status: "paid" as const, paidCents: r.ttcCents }));
    await refreshTable(wb.run, spec(shifted));
    const table = wb.table("Ventes_Grand");
    expect(table.headers).toHaveLength(21); // 20 and the key
    expect(table.rows).toHaveLength(100_000);
    expect(table.rows[99_999]!.slice(0, 2)).toEqual([(Date.UTC(2026, 3, 12) - Date.UTC(1899, 11, 30)) / 86_400_000, "F2026-100000"]); // 2026-04-12
    expect(table.rows.every((r, i) => r[9] === shifted[i]!.ttcCents / 100)).toBe(true);
    for (const stats of [insert, wb.stats]) {
      expect(stats.largestRequestBytes).toBeLessThan(1_100_000);
      // every write but the sheet/table set-up and the final resize carries a chunk, sent with calculation suspended
      expect(stats.suspendedWriteSyncs).toBeGreaterThanOrEqual(stats.writeSyncs - 2);
    }
    console.log(
      `100,000-row sales journal × 20 columns — insert: ${insert.syncs} syncs, ${insert.writeSyncs} writing (${insert.suspendedWriteSyncs} with calculation suspended), ` +
        `largest request ${(insert.largestRequestBytes / 1e6).toFixed(2)} MB of ${(insert.totalRequestBytes / 1e6).toFixed(1)} MB; ` +
        `refresh: ${wb.stats.syncs} syncs, largest request ${(wb.stats.largestRequestBytes / 1e6).toFixed(2)} MB (limit 5 MB)`,
    );
  });
});
