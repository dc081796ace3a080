/**
 * What the fake workbook does because Excel does it: tables that grow when something is typed
 * next to them, requests that take time, and a request that fails whole.
 */
import { describe, expect, it } from "vitest";
import { FakeWorkbook, FakeExcelError } from "../src/fake-excel/index.js";
import type { XlRequestContext } from "../src/excel/host.js";

/** A 3-column table "Ventes" on Feuil1!B2:D4: header row 2, body rows 3–4. */
async function withTable(wb = new FakeWorkbook()): Promise<FakeWorkbook> {
  await wb.run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.getItemOrNullObject("Feuil1");
    sheet.getRange("B2:D4").values = [
      ["Date", "N°", "TTC"],
      ["01/12/2026", "F1", 120],
      ["02/12/2026", "F2", 240],
    ];
    ctx.workbook.tables.add("Feuil1!B2:D4", true).name = "Ventes";
    await ctx.sync();
  });
  return wb;
}

const failure = (e: unknown) => ({ name: (e as Error).name, code: (e as FakeExcelError).code, debugCode: (e as FakeExcelError).debugInfo?.code });

describe("a table grows when the user types next to it (AutoCorrect: include new rows and columns)", () => {
  it("a value typed in the row just below adds that row", async () => {
    const wb = await withTable();
    wb.type("Feuil1!C5", "F3");
    expect(wb.table("Ventes").address).toBe("B2:D5");
    expect(wb.table("Ventes").rows).toEqual([
      ["01/12/2026", "F1", 120],
      ["02/12/2026", "F2", 240],
      ["", "F3", ""],
    ]);
    // its structured references follow
    wb.type("Feuil1!F1", "=SUM(Ventes[TTC])");
    wb.type("Feuil1!D5", 60);
    expect(wb.value("Feuil1!F1")).toBe(420);
    expect(wb.table("Ventes").address).toBe("B2:D5");
  });

  it("a header typed in the column just right adds a column of that name", async () => {
    const wb = await withTable();
    wb.type("Feuil1!E2", "Remarque");
    expect(wb.table("Ventes").address).toBe("B2:E4");
    expect(wb.table("Ventes").headers).toEqual(["Date", "N°", "TTC", "Remarque"]);
  });

  it("a value typed in the body just right adds a column named Colonne1 in French Excel, Column1 in English, the first free number", async () => {
    const fr = await withTable();
    fr.type("Feuil1!E3", "à vérifier");
    expect(fr.table("Ventes").address).toBe("B2:E4");
    expect(fr.table("Ventes").headers).toEqual(["Date", "N°", "TTC", "Colonne1"]);
    expect(fr.table("Ventes").rows[0]).toEqual(["01/12/2026", "F1", 120, "à vérifier"]);
    fr.type("Feuil1!F4", "x");
    expect(fr.table("Ventes").headers).toEqual(["Date", "N°", "TTC", "Colonne1", "Colonne2"]);

    const en = await withTable(new FakeWorkbook({ language: "en" }));
    en.type("Feuil1!E4", 1);
    expect(en.table("Ventes").headers).toEqual(["Date", "N°", "TTC", "Column1"]);
  });

  it("a header typed that the table already has is numbered", async () => {
    const wb = await withTable();
    wb.type("Feuil1!E2", "TTC");
    expect(wb.table("Ventes").headers).toEqual(["Date", "N°", "TTC", "TTC2"]);
  });

  it("typing elsewhere, a blank, diagonally, or where the table would cover another table leaves it as it is", async () => {
    const wb = await withTable();
    wb.type("Feuil1!C6", "loin"); // two rows below
    wb.type("Feuil1!F3", "loin"); // two columns right
    wb.type("Feuil1!E5", "coin"); // diagonal
    wb.type("Feuil1!C5", ""); // a blank
    wb.type("Feuil1!A3", "gauche"); // left of it
    wb.type("Feuil1!C1", "dessus"); // above it
    expect(wb.table("Ventes").address).toBe("B2:D4");
    await wb.run(async (ctx) => {
      ctx.workbook.tables.add("Feuil1!H2:I3", true).name = "Achats";
      await ctx.sync();
    });
    wb.type("Feuil1!J2", "Pièce"); // right of Achats: it grows
    expect(wb.table("Achats").address).toBe("H2:J3");
    expect(wb.table("Achats").headers).toEqual(["Colonne1", "Colonne2", "Pièce"]);
    await wb.run(async (ctx) => {
      ctx.workbook.tables.add("Feuil1!K3:L4", true).name = "Banque";
      await ctx.sync();
    });
    wb.type("Feuil1!K2", "Compte"); // right of Achats' header, but Achats would then cover Banque's header
    expect(wb.table("Achats").address).toBe("H2:J3");
    expect(wb.table("Banque").address).toBe("K3:L4");
  });

  it("the add-in's own writes next to a table leave it as it is, unless AutoCorrect is applied to them", async () => {
    const write = (wb: FakeWorkbook) =>
      wb.run(async (ctx) => {
        ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("B5:D5").values = [["03/12/2026", "F3", 360]];
        await ctx.sync();
      });
    const plain = await withTable();
    await write(plain);
    expect(plain.table("Ventes").address).toBe("B2:D4");
    const corrected = await withTable(new FakeWorkbook({ autoExpandApiWrites: true }));
    await write(corrected);
    expect(corrected.table("Ventes").address).toBe("B2:D5");
    expect(corrected.table("Ventes").rows[2]).toEqual(["03/12/2026", "F3", 360]);
  });
});

describe("each request takes its round trip", () => {
  it("a sync that sends something waits the workbook's latency; an empty one sends nothing and does not wait", async () => {
    const wb = new FakeWorkbook({ latencyMs: 40 });
    const timed = async (batch: (ctx: XlRequestContext) => Promise<void>) => {
      const t0 = performance.now();
      await wb.run(batch);
      return performance.now() - t0;
    };
    const three = await timed(async (ctx) => {
      const range = ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1");
      range.values = [[1]];
      await ctx.sync();
      range.values = [[2]];
      await ctx.sync();
      range.load(["values"]);
      await ctx.sync();
      expect(range.values).toEqual([[2]]);
    });
    expect(three).toBeGreaterThanOrEqual(3 * 40 - 5);
    expect(wb.requests).toBe(3);
    expect(wb.stats.syncs).toBe(3);
    const none = await timed(async (ctx) => {
      await ctx.sync();
    });
    expect(none).toBeLessThan(40);
    expect(wb.requests).toBe(3);
    wb.latencyMs = 0;
    expect(await timed(async (ctx) => ((ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1").values = [[3]]), undefined))).toBeLessThan(40);
    expect(wb.value("Feuil1!A1")).toBe(3);
  });

  it("while a request is on its way, the user's typing lands first", async () => {
    const wb = new FakeWorkbook({ latencyMs: 30 });
    const pending = wb.run(async (ctx) => {
      const range = ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1:A2");
      range.load(["values"]);
      await ctx.sync();
      return range.values;
    });
    wb.type("Feuil1!A2", "tapé");
    expect(await pending).toEqual([[""], ["tapé"]]);
  });
});

describe("a request that fails", () => {
  it("the nth request is refused whole, as an OfficeExtension.Error with its code: nothing of it is applied, and the next one goes through", async () => {
    const wb = await withTable();
    const before = wb.requests;
    wb.failSync(2);
    const error = await wb
      .run(async (ctx) => {
        const sheet = ctx.workbook.worksheets.getItemOrNullObject("Feuil1");
        sheet.getRange("A1").values = [["premier"]];
        await ctx.sync(); // request 1: goes through
        sheet.getRange("A2").values = [["second"]];
        sheet.getRange("B5:D5").values = [["03/12/2026", "F3", 360]];
        ctx.workbook.tables.getItemOrNullObject("Ventes").resize("Feuil1!B2:D5");
        ctx.workbook.tables.getItemOrNullObject("Ventes").name = "Ventes2026";
        await ctx.sync(); // request 2: refused
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FakeExcelError);
    expect(failure(error)).toEqual({ name: "RichApi.Error", code: "GeneralException", debugCode: "GeneralException" });
    expect(wb.requests - before).toBe(2);
    expect(wb.value("Feuil1!A1")).toBe("premier");
    expect(wb.value("Feuil1!A2")).toBe("");
    expect(wb.values("Feuil1!B5:D5")).toEqual([["", "", ""]]);
    expect(wb.tableNames()).toEqual(["Ventes"]);
    expect(wb.table("Ventes").address).toBe("B2:D4");
    // the same batch again: applied
    await wb.run(async (ctx) => {
      ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A2").values = [["second"]];
      await ctx.sync();
    });
    expect(wb.value("Feuil1!A2")).toBe("second");
  });

  it("a read refused leaves its properties unloaded; another code may be asked for; the count is of requests that send something", async () => {
    const wb = new FakeWorkbook();
    wb.failSync(1, "ServiceNotAvailable");
    const outcome = await wb
      .run(async (ctx) => {
        await ctx.sync(); // nothing queued: not a request
        const range = ctx.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1");
        range.load(["values"]);
        const refused = await ctx.sync().catch((e: unknown) => failure(e));
        const unread = (() => {
          try {
            return range.values;
          } catch (e) {
            return failure(e);
          }
        })();
        return { refused, unread };
      })
      .catch((e: unknown) => failure(e));
    expect(outcome).toEqual({
      refused: { name: "RichApi.Error", code: "ServiceNotAvailable", debugCode: "ServiceNotAvailable" },
      unread: { name: "RichApi.Error", code: "PropertyNotLoaded", debugCode: "PropertyNotLoaded" },
    });
    expect(wb.requests).toBe(1);
    expect(() => wb.failSync(0)).toThrow(RangeError);
  });

  it("an operation that fails inside a request that went through stops there, the operations before it applied, as in Excel", async () => {
    const wb = new FakeWorkbook();
    const error = await wb
      .run(async (ctx) => {
        const sheet = ctx.workbook.worksheets.getItemOrNullObject("Feuil1");
        sheet.getRange("A1").values = [["avant"]];
        ctx.workbook.worksheets.getItemOrNullObject("Absente").getRange("A1").values = [["x"]];
        sheet.getRange("A2").values = [["après"]];
        await ctx.sync();
      })
      .catch((e: unknown) => failure(e));
    expect(error).toEqual({ name: "RichApi.Error", code: "ItemNotFound", debugCode: "ItemNotFound" });
    expect(wb.values("Feuil1!A1:A2")).toEqual([["avant"], [""]]);
  });
});

describe("the workbook's settings, as Excel lists and deletes them (ExcelApi 1.4)", () => {
  it("settings.load('items') answers every setting's key and value after the sync, not before; a deleted setting is gone", async () => {
    const wb = new FakeWorkbook();
    await wb.run(async (ctx) => {
      ctx.workbook.settings.add("passerelle.table.Ventes", '{"tableName":"Ventes"}');
      ctx.workbook.settings.add("autre", "x");
      await ctx.sync();
    });
    const listed = await wb.run(async (ctx) => {
      const settings = ctx.workbook.settings.load("items");
      let before: unknown;
      try {
        void settings.items;
      } catch (e) {
        before = failure(e);
      }
      await ctx.sync();
      return { before, items: settings.items.map((s) => [s.key, s.value]) };
    });
    expect(listed).toEqual({
      before: { name: "RichApi.Error", code: "PropertyNotLoaded", debugCode: "PropertyNotLoaded" },
      items: [
        ["passerelle.table.Ventes", '{"tableName":"Ventes"}'],
        ["autre", "x"],
      ],
    });
    await wb.run(async (ctx) => {
      ctx.workbook.settings.getItemOrNullObject("autre").delete();
      await ctx.sync();
    });
    expect(wb.setting("autre")).toBeUndefined();
    expect(wb.setting("passerelle.table.Ventes")).toBe('{"tableName":"Ventes"}');
  });
});
