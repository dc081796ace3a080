/**
 * The account codes as a sheet (shared/src/account-sheet.ts): read for the workbook, and a whole
 * sheet applied in one transaction. Only the accountant's settings change: customers, products
 * and invoices are read, never written; frozen entries of locked periods stay as they are.
 */
import { accountSheetOf, settingsFromSheet, type AccountSheet, type AccountSheetRowInput, type SheetCustomer, type SheetProduct } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { ProblemError } from "../http/problem.js";
import { loadAccountingSettings, saveAccountingSettings } from "./accounting-settings.js";

function ownerRecords(db: Db, companyId: string) {
  const customers = db.prepare("SELECT id, code, name FROM customers WHERE company_id = ? ORDER BY code").all(companyId) as SheetCustomer[];
  const products = db
    .prepare("SELECT id, name, vat_rate_bp AS vatRateBp, kind, category FROM products WHERE company_id = ? ORDER BY name, pk")
    .all(companyId) as SheetProduct[];
  const customerCategories = db
    .prepare("SELECT DISTINCT category FROM customers WHERE company_id = ? AND category IS NOT NULL AND category <> ''")
    .pluck()
    .all(companyId) as string[];
  return { customers, products, customerCategories };
}

export function loadAccountSheet(db: Db, companyId: string): AccountSheet {
  const { customers, products, customerCategories } = ownerRecords(db, companyId);
  return accountSheetOf(loadAccountingSettings(db, companyId), customers, products, customerCategories);
}

/** Checks every row; applies the whole sheet or nothing. Errors name their row: `rows.12.account`. */
export function saveAccountSheet(ctx: UseCaseContext, companyId: string, rows: AccountSheetRowInput[]): AccountSheet {
  return inTransaction(ctx.db, () => {
    const { customers, products } = ownerRecords(ctx.db, companyId);
    const outcome = settingsFromSheet(rows, loadAccountingSettings(ctx.db, companyId), customers, products);
    if (outcome.settings === null) {
      const errors = outcome.errors.map(({ path, message }) => ({ path, message }));
      const detail = `${errors.length} row error(s): ${errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`).join("; ")}${errors.length > 5 ? "; …" : ""}`;
      throw new ProblemError(422, "Invalid request", detail, errors);
    }
    saveAccountingSettings(ctx, companyId, outcome.settings);
    return loadAccountSheet(ctx.db, companyId);
  });
}
