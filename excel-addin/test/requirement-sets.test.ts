/**
 * The requirement sets manifest.xml declares are exactly those the code needs: every member of
 * Excel's API the add-in calls (the interfaces of src/excel/host.ts, matched to the real
 * `Excel.*` classes), every `CustomFunctions.*` the functions use and every `Office.*` the pane
 * reads are looked up in @types/office-js and @types/custom-functions-runtime, whose comments say
 * which set brought each one; the highest version per set must be what the manifest declares.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { all, child, parseXml } from "./xml.js";

const ADDIN = fileURLToPath(new URL("..", import.meta.url));
const MANIFEST = fs.readFileSync(path.join(ADDIN, "../manifest.xml"), "utf8");

/** Each narrow interface of host.ts and the Excel class it stands for. */
const REAL: Record<string, string> = {
  XlRequestContext: "RequestContext",
  XlWorkbook: "Workbook",
  XlApplication: "Application",
  XlSettingCollection: "SettingCollection",
  XlSetting: "Setting",
  XlWorksheetCollection: "WorksheetCollection",
  XlWorksheet: "Worksheet",
  XlFreezePanes: "WorksheetFreezePanes",
  XlTableCollection: "TableCollection",
  XlTable: "Table",
  XlRange: "Range",
  XlRangeFormat: "RangeFormat",
  XlRangeFont: "RangeFont",
  XlRunOptions: "RunOptions",
};

/**
 * Members whose type definitions carry no set: the version Microsoft's "what's new" pages give.
 * delayForCellEdit came with ExcelApi 1.11.
 */
const UNANNOTATED: Record<string, string> = { "Excel.RunOptions.delayForCellEdit": "[Api set: ExcelApi 1.11]" };

type Version = [number, number];
const newer = (a: Version, b: Version) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "fake-excel" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

/** Reads the API each used member comes from, and keeps the newest version per set. */
function neededSets(): { sets: Map<string, Version>; used: Map<string, string> } {
  const program = ts.createProgram([path.join(ADDIN, "src/excel/host.ts"), path.join(ADDIN, "src/functions/functions.ts")], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["office-js", "custom-functions-runtime"],
    typeRoots: [path.join(ADDIN, "../node_modules/@types")],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const checker = program.getTypeChecker();
  const sets = new Map<string, Version>();
  const used = new Map<string, string>();
  const note = (what: string, symbol: ts.Symbol | undefined) => {
    if (!symbol) throw new Error(`${what} is not in the Office type definitions`);
    // the member's own comment (a class's or an enum's, not its members')
    const text = (symbol.declarations ?? []).flatMap((d) => ts.getJSDocCommentsAndTags(d).map((j) => j.getText())).join("\n");
    const found = [...`${text}\n${UNANNOTATED[what] ?? ""}`.matchAll(/\[Api set: (\w+) (\d+)\.(\d+)\]/g)].map((m) => [m[1]!, [Number(m[2]), Number(m[3])] as Version] as const);
    if (found.length === 0) return; // common to every host (load, isNullObject…)
    // an overload may be newer than the member: the oldest declaration is what the call needs
    const [set, version] = found.reduce((a, b) => (newer(a[1], b[1]) ? b : a));
    used.set(what, `${set} ${version.join(".")}`);
    if (!sets.has(set) || newer(version, sets.get(set)!)) sets.set(set, version);
  };

  const global = (name: string) => checker.getSymbolsInScope(program.getSourceFile(path.join(ADDIN, "src/excel/host.ts"))!, ts.SymbolFlags.Namespace).find((s) => s.name === name)!;
  const excel = checker.getExportsOfModule(global("Excel"));
  const host = program.getSourceFile(path.join(ADDIN, "src/excel/host.ts"))!;
  for (const statement of host.statements) {
    if (!ts.isInterfaceDeclaration(statement) || !REAL[statement.name.text]) continue;
    const real = excel.find((s) => s.name === REAL[statement.name.text])!;
    const realType = checker.getDeclaredTypeOfSymbol(real);
    for (const member of checker.getPropertiesOfType(checker.getTypeAtLocation(statement.name))) {
      note(`Excel.${real.name}.${member.name}`, checker.getPropertyOfType(realType, member.name));
    }
  }
  // Excel.run(options, batch): the overload main.tsx calls
  const run = excel.find((s) => s.name === "run")!;
  const withOptions = run.declarations!.filter((d) => d.getText().includes("options: Excel.RunOptions") || /run<T>\(options: RunOptions/.test(d.getText()));
  note("Excel.run(options, batch)", { ...run, declarations: withOptions } as ts.Symbol);

  // CustomFunctions.* and Office.* as written in the sources
  const customFunctions = checker.getExportsOfModule(global("CustomFunctions"));
  const office = global("Office");
  const code = sourceFiles(path.join(ADDIN, "src")).map((f) => fs.readFileSync(f, "utf8")).join("\n");
  for (const name of new Set([...code.matchAll(/\bCustomFunctions\.(\w+(?:\.\w+)?)/g)].map((m) => m[1]!))) {
    const [first, member] = name.split(".") as [string, string | undefined];
    const symbol = customFunctions.find((s) => s.name === first);
    note(`CustomFunctions.${name}`, member && symbol ? symbol.exports?.get(member as ts.__String) : symbol);
  }
  const streaming = checker.getDeclaredTypeOfSymbol(customFunctions.find((s) => s.name === "StreamingInvocation")!);
  for (const name of new Set([...code.matchAll(/\binvocation\.(\w+)/g)].map((m) => m[1]!))) {
    note(`CustomFunctions.StreamingInvocation.${name}`, checker.getPropertyOfType(streaming, name));
  }
  for (const [, first, second] of new Set([...code.matchAll(/\bOffice\.(\w+)(?:\?)?\.?(\w+)?/g)].map((m) => m))) {
    let symbol = checker.getExportsOfModule(office).find((s) => s.name === first);
    if (second && symbol) symbol = checker.getPropertyOfType(checker.getTypeOfSymbol(symbol), second) ?? checker.getPropertyOfType(checker.getDeclaredTypeOfSymbol(symbol), second);
    note(`Office.${first}${second ? `.${second}` : ""}`, symbol);
  }
  return { sets, used };
}

describe("the manifest's requirement sets", () => {
  const declared = new Map(all(child(parseXml(MANIFEST), "Requirements"), "Set").map((s) => [s.attributes.Name!, s.attributes.MinVersion!]));
  const { sets, used } = neededSets();

  it("finds the calls the add-in makes, each with the set that brought it", () => {
    expect(used.get("Excel.Table.resize")).toBe("ExcelApi 1.13");
    expect(used.get("Excel.RunOptions.delayForCellEdit")).toBe("ExcelApi 1.11");
    expect(used.get("Excel.Application.suspendApiCalculationUntilNextSync")).toBe("ExcelApi 1.6");
    expect(used.get("Excel.Worksheet.freezePanes")).toBe("ExcelApi 1.7");
    expect(used.get("Excel.WorksheetCollection.getItemOrNullObject")).toBe("ExcelApi 1.4");
    expect(used.get("CustomFunctions.Error")).toBe("CustomFunctionsRuntime 1.2");
    expect(used.get("CustomFunctions.ErrorCode.invalidValue")).toBe("CustomFunctionsRuntime 1.3");
    expect(used.get("CustomFunctions.StreamingInvocation.setResult")).toBe("CustomFunctionsRuntime 1.1");
    expect(used.size).toBeGreaterThan(30);
  });

  it("declares, for each set the code uses, the newest version it needs — and no set it does not use", () => {
    const needed = new Map([...sets].map(([set, v]) => [set, v.join(".")]));
    // the task pane, the ribbon button and the functions share one runtime: declared, not called
    needed.set("SharedRuntime", "1.1");
    console.log(`requirement sets: ${[...needed].map(([s, v]) => `${s} ${v}`).join(", ")}; ${used.size} API members looked up`);
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(needed));
  });
});
