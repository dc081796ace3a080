/**
 * The accountant's account codes. Kept in their own table: saving them never touches invoices,
 * customers or products; entries of open periods follow them, frozen entries do not.
 */
import { AccountingSettingsInput, defaultAccountingSettings, type AccountingSettings } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { invalid } from "../http/problem.js";
import { recordActivity } from "./activity.js";

export function loadAccountingSettings(db: Db, companyId: string): AccountingSettings {
  const json = db.prepare("SELECT settings_json FROM accounting_settings WHERE company_id = ?").pluck().get(companyId) as string | undefined;
  // parsing again fills defaults added since the row was written
  return json ? AccountingSettingsInput.parse(JSON.parse(json)) : defaultAccountingSettings();
}

/** Replaces the settings (PUT): overrides must name this company's products and customers. */
export function saveAccountingSettings(ctx: UseCaseContext, companyId: string, settings: AccountingSettings): AccountingSettings {
  return inTransaction(ctx.db, () => {
    const known = (table: "products" | "customers", ids: string[]) =>
      new Set(
        ids.length === 0
          ? []
          : (ctx.db
              .prepare(`SELECT id FROM ${table} WHERE company_id = ? AND id IN (SELECT value FROM json_each(?))`)
              .pluck()
              .all(companyId, JSON.stringify(ids)) as string[]),
      );
    const products = known("products", settings.byProduct.map((o) => o.productId));
    settings.byProduct.forEach((o, i) => {
      if (!products.has(o.productId)) throw invalid(`byProduct.${i}.productId`, "is not a product of this company");
    });
    const customers = known("customers", settings.byCustomer.map((o) => o.customerId));
    settings.byCustomer.forEach((o, i) => {
      if (!customers.has(o.customerId)) throw invalid(`byCustomer.${i}.customerId`, "is not a customer of this company");
    });

    const before = loadAccountingSettings(ctx.db, companyId);
    const now = ctx.clock.now().toISOString();
    ctx.db
      .prepare(
        `INSERT INTO accounting_settings (company_id, settings_json, updated_by, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (company_id) DO UPDATE SET settings_json = excluded.settings_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(companyId, JSON.stringify(settings), ctx.actorId, now);
    const changed = (Object.keys(settings) as (keyof AccountingSettings)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(settings[k]));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "accounting_settings.updated",
      recordKind: "accounting_settings",
      recordId: companyId,
      before: Object.fromEntries(changed.map((k) => [k, summarize(before[k])])),
      after: Object.fromEntries(changed.map((k) => [k, summarize(settings[k])])),
    });
    return settings;
  });
}

/** A short before/after for the audit log: long override lists are counted, not copied. */
function summarize(value: unknown): unknown {
  if (Array.isArray(value) && value.length > 20) return `${value.length} mappings`;
  if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 20) return `${Object.keys(value).length} labels`;
  return value;
}
