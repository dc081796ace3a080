import { addressFromText, isValidFrenchVatNumber, paymentTermsProblem, type Address, type Company, type CompanyInput, type CompanyPatch, type Page, type Role } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { decodeCursor, encodeCursor, newId } from "../db/ids.js";
import { addressColumns, COMPANY_SELECT, toCompany, type CompanyLogoColumns, type CompanyRow } from "../db/rows.js";
import { inTransaction } from "../db/connection.js";
import { assignColumns, assignFields, type Assignments } from "../db/patch.js";
import { lockState } from "./locks.js";
import { recordActivity } from "./activity.js";
import { conflict, invalid } from "../http/problem.js";
import { loadAccountingSettings, VAT_REGIME_CONFLICT } from "./accounting-settings.js";

export function normalizeAddress(input: string | Address | { line1: string; line2?: string | null | undefined; postalCode: string; city: string; country?: string }): Address {
  if (typeof input === "string") return addressFromText(input);
  return { ...input, line2: input.line2 ?? undefined, country: input.country ?? "FR" };
}

export function companyRow(db: Db, companyId: string): CompanyRow {
  return db.prepare("SELECT * FROM companies WHERE id = ?").get(companyId) as CompanyRow;
}

export function getCompany(db: Db, companyId: string, role: Role): Company {
  const row = db.prepare(`${COMPANY_SELECT} WHERE c.id = ?`).get(companyId) as CompanyRow & CompanyLogoColumns;
  return toCompany(row, role, lockState(db, companyId).lockedUntil);
}

/** The option for débits is refused while the accounting settings put services' VAT on payment. */
export function assertVatOnDebitsAllowed(db: Db, companyId: string): void {
  if (loadAccountingSettings(db, companyId).vatOnPayments) {
    throw conflict(`vatOnDebits ${VAT_REGIME_CONFLICT.vatOnDebits}.`, [{ path: "vatOnDebits", message: VAT_REGIME_CONFLICT.vatOnDebits }]);
  }
}

export function createCompany(ctx: UseCaseContext, input: CompanyInput & { fiscalYearStart: string; paymentTermsDays: number; paymentTermsEndOfMonth?: boolean }): Company {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  return inTransaction(ctx.db, () => {
    ctx.db
      .prepare(
        `INSERT INTO companies (id, name, siren, vat_number, address_line1, address_line2, postal_code, city, country,
           legal_form, capital, rcs_city, rm_department, ape_code, fiscal_year_start, email, phone, iban, bic, payment_terms_days, payment_terms_end_of_month,
           late_penalty_rate, early_payment_discount, vat_on_debits, created_at)
         VALUES (@id, @name, @siren, @vat_number, @address_line1, @address_line2, @postal_code, @city, @country,
           @legal_form, @capital, @rcs_city, @rm_department, @ape_code, @fiscal_year_start, @email, @phone, @iban, @bic, @payment_terms_days, @payment_terms_end_of_month,
           @late_penalty_rate, @early_payment_discount, @vat_on_debits, @created_at)`,
      )
      .run({
        id,
        name: input.name,
        siren: input.siren,
        vat_number: input.vatNumber ?? null,
        ...addressColumns(normalizeAddress(input.address)),
        legal_form: input.legalForm ?? null,
        capital: input.capital ?? null,
        rcs_city: input.rcsCity ?? null,
        rm_department: input.rmDepartment ?? null,
        ape_code: input.apeCode ?? null,
        fiscal_year_start: input.fiscalYearStart,
        email: input.email ?? null,
        phone: input.phone ?? null,
        iban: input.iban ?? null,
        bic: input.bic ?? null,
        payment_terms_days: input.paymentTermsDays,
        payment_terms_end_of_month: input.paymentTermsEndOfMonth ? 1 : 0,
        late_penalty_rate: input.latePenaltyRate ?? null,
        early_payment_discount: input.earlyPaymentDiscount ?? null,
        vat_on_debits: input.vatOnDebits ? 1 : 0,
        created_at: now,
      });
    ctx.db.prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)").run(id, ctx.actorId, now);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId: id,
      actorId: ctx.actorId,
      action: "company.created",
      recordKind: "company",
      recordId: id,
      after: { name: input.name, siren: input.siren },
    });
    return getCompany(ctx.db, id, "owner");
  });
}

const PATCH_COLUMNS: Record<string, string> = {
  name: "name",
  vatNumber: "vat_number",
  legalForm: "legal_form",
  capital: "capital",
  rcsCity: "rcs_city",
  rmDepartment: "rm_department",
  apeCode: "ape_code",
  email: "email",
  phone: "phone",
  iban: "iban",
  bic: "bic",
  paymentTermsDays: "payment_terms_days",
  latePenaltyRate: "late_penalty_rate",
  earlyPaymentDiscount: "early_payment_discount",
};

export function updateCompany(ctx: UseCaseContext, companyId: string, patch: CompanyPatch): Company {
  return inTransaction(ctx.db, () => {
    const before = getCompany(ctx.db, companyId, "owner");
    // the same rule as at creation: a French VAT number is FR + key + the company's own SIREN
    if (patch.vatNumber && isValidFrenchVatNumber(patch.vatNumber) && !patch.vatNumber.endsWith(before.siren)) {
      throw invalid("vatNumber", "must contain the company's SIREN");
    }
    if (patch.vatOnDebits === true && !before.vatOnDebits) assertVatOnDebitsAllowed(ctx.db, companyId);
    // the terms as they will be, the stored half with the changed one
    const terms = paymentTermsProblem(patch.paymentTermsDays ?? before.paymentTermsDays, patch.paymentTermsEndOfMonth ?? before.paymentTermsEndOfMonth);
    if (terms) throw invalid(terms.path, terms.message);
    const update: Assignments = { sets: [], values: { id: companyId } };
    assignFields(update, patch, PATCH_COLUMNS);
    if (patch.vatOnDebits !== undefined) assignColumns(update, { vat_on_debits: patch.vatOnDebits ? 1 : 0 });
    if (patch.paymentTermsEndOfMonth !== undefined) assignColumns(update, { payment_terms_end_of_month: patch.paymentTermsEndOfMonth ? 1 : 0 });
    if (patch.address !== undefined) assignColumns(update, addressColumns(normalizeAddress(patch.address)));
    if (update.sets.length > 0) ctx.db.prepare(`UPDATE companies SET ${update.sets.join(", ")} WHERE id = @id`).run(update.values);
    const after = getCompany(ctx.db, companyId, "owner");
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "company.updated",
      recordKind: "company",
      recordId: companyId,
      before: pick(before, Object.keys(patch)),
      after: pick(after, Object.keys(patch)),
    });
    return after;
  });
}

export function pick(value: object, keys: string[]): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]]));
}

/** The caller's companies (an accountant's portfolio can be hundreds), by name. */
export function listCompanies(db: Db, userId: string, limitToCompany: string | null, limit: number, cursor?: string): Page<Company> {
  const after = decodeCursor(cursor, 2);
  const rows = db
    .prepare(
      `SELECT c.*, m.role AS role, l.media_type AS logo_media_type, l.width AS logo_width, l.height AS logo_height, l.size_bytes AS logo_size_bytes,
              (SELECT p.until FROM period_locks p WHERE p.company_id = c.id ORDER BY p.pk DESC LIMIT 1) AS locked_until
       FROM memberships m JOIN companies c ON c.id = m.company_id
       LEFT JOIN company_logos l ON l.company_id = c.id AND l.sha256 = c.logo_sha256
       WHERE m.user_id = @userId ${limitToCompany ? "AND c.id = @limitToCompany" : ""}
         ${after ? "AND (c.name COLLATE NOCASE, c.id) > (@afterName, @afterId)" : ""}
       ORDER BY c.name COLLATE NOCASE, c.id LIMIT @limit`,
    )
    .all({ userId, limitToCompany, afterName: after?.[0], afterId: after?.[1], limit: limit + 1 }) as (CompanyRow & CompanyLogoColumns & { role: Role; locked_until: string | null })[];
  const page = rows.slice(0, limit);
  return {
    // the lock in force read in the same statement (as lockState reads it), not once per company
    items: page.map(({ locked_until, ...r }) => toCompany(r, r.role, locked_until)),
    nextCursor: rows.length > limit ? encodeCursor([page.at(-1)!.name, page.at(-1)!.id]) : null,
  };
}
