/**
 * The accountant's account codes. Kept in their own table: saving them never touches invoices,
 * customers or products; entries of open periods follow them, frozen entries do not.
 */
import { AccountingSettingsInput, defaultAccountingSettings, singleLineText, type AccountingSettings } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { conflict, invalid } from "../http/problem.js";
import { recordActivity } from "./activity.js";

/**
 * The owner's option for "débits" (companies.vat_on_debits) makes services' VAT due on invoicing;
 * `vatOnPayments` routes it through a waiting account until payment (TVA sur les encaissements, the
 * default for services). A company is under one regime: the second one asked for is refused, naming it.
 */
export const VAT_REGIME_CONFLICT = {
  vatOnDebits:
    "cannot be on while the accounting settings put services' VAT on payment (vatOnPayments): the option for débits makes it due on invoicing. Ask your accountant to turn vatOnPayments off first",
  vatOnPayments:
    "cannot be on while the company opted to pay VAT on services d'après les débits (vatOnDebits): its services' VAT is due on invoicing, not on payment. The owner must turn vatOnDebits off first",
} as const;

export function loadAccountingSettings(db: Db, companyId: string): AccountingSettings {
  const json = db.prepare("SELECT settings_json FROM accounting_settings WHERE company_id = ?").pluck().get(companyId) as string | undefined;
  // parsing again fills defaults added since the row was written; labels written before control characters were refused are read as one line
  return json ? AccountingSettingsInput.parse(JSON.parse(json, (_, v: unknown) => (typeof v === "string" ? singleLineText(v) : v))) : defaultAccountingSettings();
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
    if (settings.vatOnPayments && !before.vatOnPayments) {
      const debits = ctx.db.prepare("SELECT vat_on_debits FROM companies WHERE id = ?").pluck().get(companyId) as number;
      const message = VAT_REGIME_CONFLICT.vatOnPayments;
      if (debits === 1) throw conflict(`vatOnPayments ${message}.`, [{ path: "vatOnPayments", message }]);
    }
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
