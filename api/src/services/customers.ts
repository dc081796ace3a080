import type { Customer, CustomerInput, CustomerPatch, Page } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { assignColumns, assignFields, type Assignments } from "../db/patch.js";
import { decodeCursor, encodeCursor, newId } from "../db/ids.js";
import { addressColumns, toCustomer, type CustomerRow } from "../db/rows.js";
import { conflict, notFound } from "../http/problem.js";
import { recordActivity } from "./activity.js";
import { normalizeAddress, pick } from "./companies.js";

export function customerRow(db: Db, companyId: string, customerId: string): CustomerRow {
  const row = db.prepare("SELECT * FROM customers WHERE company_id = ? AND id = ?").get(companyId, customerId) as CustomerRow | undefined;
  if (!row) throw notFound("customer");
  return row;
}

/** Next free `C0001`-style code; skips codes the owner chose by hand. */
function nextCustomerCode(db: Db, companyId: string): string {
  const taken = db.prepare("SELECT 1 FROM customers WHERE company_id = ? AND code = ? COLLATE NOCASE").pluck();
  let counter = (db.prepare("SELECT last_counter FROM number_series WHERE company_id = ? AND series_key = 'customer'").pluck().get(companyId) as number | undefined) ?? 0;
  let code: string;
  do {
    counter++;
    code = `C${String(counter).padStart(4, "0")}`;
  } while (taken.get(companyId, code));
  db.prepare(
    `INSERT INTO number_series (company_id, series_key, last_counter) VALUES (?, 'customer', ?)
     ON CONFLICT (company_id, series_key) DO UPDATE SET last_counter = excluded.last_counter`,
  ).run(companyId, counter);
  return code;
}

export function createCustomer(ctx: UseCaseContext, companyId: string, input: CustomerInput): Customer {
  return inTransaction(ctx.db, () => {
    const code = input.code ?? nextCustomerCode(ctx.db, companyId);
    if (input.code && ctx.db.prepare("SELECT 1 FROM customers WHERE company_id = ? AND code = ? COLLATE NOCASE").get(companyId, input.code)) {
      throw conflict(`The customer code ${input.code} is already used.`, [{ path: "code", message: "is already used by another customer" }]);
    }
    const id = newId();
    const now = ctx.clock.now().toISOString();
    ctx.db
      .prepare(
        `INSERT INTO customers (id, company_id, code, name, siren, vat_number, email, address_line1, address_line2, postal_code,
           city, country, category, created_at, updated_at)
         VALUES (@id, @company_id, @code, @name, @siren, @vat_number, @email, @address_line1, @address_line2, @postal_code,
           @city, @country, @category, @now, @now)`,
      )
      .run({
        id,
        company_id: companyId,
        code,
        name: input.name,
        siren: input.siren ?? null,
        vat_number: input.vatNumber ?? null,
        email: input.email ?? null,
        ...addressColumns(normalizeAddress(input.address)),
        category: input.category ?? null,
        now,
      });
    const customer = toCustomer(customerRow(ctx.db, companyId, id));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "customer.created",
      recordKind: "customer",
      recordId: id,
      after: { code, name: customer.name },
    });
    return customer;
  });
}

const COLUMNS: Record<string, string> = { name: "name", siren: "siren", vatNumber: "vat_number", email: "email", category: "category" };

export function updateCustomer(ctx: UseCaseContext, companyId: string, customerId: string, patch: CustomerPatch): Customer {
  return inTransaction(ctx.db, () => {
    const before = toCustomer(customerRow(ctx.db, companyId, customerId));
    const update: Assignments = { sets: ["updated_at = @now"], values: { id: customerId, now: ctx.clock.now().toISOString() } };
    assignFields(update, patch, COLUMNS);
    if (patch.address !== undefined) assignColumns(update, addressColumns(normalizeAddress(patch.address)));
    ctx.db.prepare(`UPDATE customers SET ${update.sets.join(", ")} WHERE id = @id`).run(update.values);
    const after = toCustomer(customerRow(ctx.db, companyId, customerId));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "customer.updated",
      recordKind: "customer",
      recordId: customerId,
      before: pick(before, Object.keys(patch)),
      after: pick(after, Object.keys(patch)),
    });
    return after;
  });
}

export function listCustomers(db: Db, companyId: string, opts: { limit: number; cursor?: string | undefined; q?: string | undefined }): Page<Customer> {
  const after = decodeCursor(opts.cursor, 2);
  const rows = db
    .prepare(
      `SELECT * FROM customers WHERE company_id = @companyId
         ${opts.q ? "AND (name LIKE @like ESCAPE '\\' OR code LIKE @like ESCAPE '\\' OR email LIKE @like ESCAPE '\\')" : ""}
         ${after ? "AND (name COLLATE NOCASE, pk) > (@afterName, @afterPk)" : ""}
       ORDER BY name COLLATE NOCASE, pk LIMIT @limit`,
    )
    .all({ companyId, like: likePattern(opts.q), afterName: after?.[0], afterPk: after?.[1], limit: opts.limit + 1 }) as CustomerRow[];
  const page = rows.slice(0, opts.limit);
  return { items: page.map(toCustomer), nextCursor: rows.length > opts.limit ? encodeCursor([page.at(-1)!.name, page.at(-1)!.pk]) : null };
}

export function likePattern(q: string | undefined): string | null {
  return q ? `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
}
