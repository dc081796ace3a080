/**
 * A stand-in for Microsoft's office.js in a plain browser, for the end-to-end test: `Office`
 * (onReady, display language), `Excel.run` over a FakeWorkbook, and `CustomFunctions` recording
 * what the add-in registers. The test serves this bundle in place of the CDN's office.js and reads
 * the workbook back through `window.__passerelle`.
 */
import { FakeExcelError, FakeWorkbook } from "./index.js";

const language = new URLSearchParams(location.search).get("lang") ?? "fr-FR";
const workbook = new FakeWorkbook({ language: language.startsWith("fr") ? "fr" : "en" });
const functions = new Map<string, (...args: unknown[]) => void>();

class CustomFunctionError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}

const info = { host: "Excel", platform: "OfficeOnline" };

Object.assign(globalThis, {
  Office: {
    context: { displayLanguage: language, requirements: { isSetSupported: () => true } },
    onReady: (callback?: (i: typeof info) => void) =>
      new Promise((resolve) =>
        setTimeout(() => {
          callback?.(info);
          resolve(info);
        }, 0),
      ),
  },
  // the overloads the add-in may call: run(batch) and run(options, batch)
  Excel: {
    run: (first: unknown, second?: unknown) =>
      second === undefined ? workbook.run(first as Parameters<typeof workbook.run>[0]) : workbook.officeRun(first as object, second as Parameters<typeof workbook.run>[0]),
  },
  // errors Excel rejects a request with are `OfficeExtension.Error`s
  OfficeExtension: { Error: FakeExcelError },
  CustomFunctions: {
    associate: (id: string, fn: (...args: unknown[]) => void) => functions.set(id, fn),
    Error: CustomFunctionError,
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A" },
  },
  __passerelle: { workbook, functions },
});
