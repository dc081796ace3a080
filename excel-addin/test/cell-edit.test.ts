import { describe, expect, it } from "vitest";
import { FakeWorkbook, FakeExcelError } from "../src/fake-excel/index.js";
import { excelRun, RUN_OPTIONS, type XlRequestContext } from "../src/excel/host.js";

/** A batch writing 42 into A1 of the first sheet. */
const write42 = async (context: XlRequestContext) => {
  context.workbook.worksheets.getItemOrNullObject("Feuil1").getRange("A1").values = [[42]];
  await context.sync();
  return "written";
};

describe("cell-edit mode, as Excel has it", () => {
  it("refuses a batch run without delayForCellEdit while the user types in a cell, changing nothing", async () => {
    const wb = new FakeWorkbook();
    wb.beginCellEdit();
    const refused = await wb.run(write42).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FakeExcelError);
    expect((refused as FakeExcelError).code).toBe("InvalidOperationInCellEditMode");
    const alsoRefused = await wb.officeRun({}, write42).catch((e: unknown) => (e as FakeExcelError).code);
    expect(alsoRefused).toBe("InvalidOperationInCellEditMode");
    expect(wb.value("Feuil1!A1")).toBe("");
    wb.endCellEdit();
    expect(await wb.run(write42)).toBe("written");
    expect(wb.value("Feuil1!A1")).toBe(42);
  });

  it("the add-in's runs wait for the edit to end, then write", async () => {
    expect(RUN_OPTIONS).toEqual({ delayForCellEdit: true });
    const wb = new FakeWorkbook();
    const run = excelRun(wb.officeRun);
    wb.beginCellEdit();
    let done = false;
    const pending = run(write42).then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    expect(wb.value("Feuil1!A1")).toBe("");
    wb.endCellEdit();
    expect(await pending).toBe("written");
    expect(wb.value("Feuil1!A1")).toBe(42);
    expect(wb.inCellEdit).toBe(false);
  });
});
