import type { Page, Product, ProductInput, ProductPatch } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { assignFields, type Assignments } from "../db/patch.js";
import { decodeCursor, encodeCursor, newId } from "../db/ids.js";
import { toProduct, type ProductRow } from "../db/rows.js";
import { notFound } from "../http/problem.js";
import { recordActivity } from "./activity.js";
import { pick } from "./companies.js";
import { likePattern } from "./customers.js";

export function productRow(db: Db, companyId: string, productId: string): ProductRow {
  const row = db.prepare("SELECT * FROM products WHERE company_id = ? AND id = ?").get(companyId, productId) as ProductRow | undefined;
  if (!row) throw notFound("product");
  return row;
}

export function createProduct(ctx: UseCaseContext, companyId: string, input: ProductInput): Product {
  return inTransaction(ctx.db, () => {
    const id = newId();
    const now = ctx.clock.now().toISOString();
    ctx.db
      .prepare(
        `INSERT INTO products (id, company_id, name, description, unit_price_cents, vat_rate_bp, kind, category, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, companyId, input.name, input.description ?? null, input.unitPriceCents, input.vatRateBp, input.kind, input.category ?? null, now, now);
    const product = toProduct(productRow(ctx.db, companyId, id));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "product.created",
      recordKind: "product",
      recordId: id,
      after: { name: product.name, unitPriceCents: product.unitPriceCents, vatRateBp: product.vatRateBp, kind: product.kind },
    });
    return product;
  });
}

const COLUMNS: Record<string, string> = {
  name: "name",
  description: "description",
  unitPriceCents: "unit_price_cents",
  vatRateBp: "vat_rate_bp",
  kind: "kind",
  category: "category",
};

export function updateProduct(ctx: UseCaseContext, companyId: string, productId: string, patch: ProductPatch): Product {
  return inTransaction(ctx.db, () => {
    const before = toProduct(productRow(ctx.db, companyId, productId));
    const update: Assignments = { sets: ["updated_at = @now"], values: { id: productId, now: ctx.clock.now().toISOString() } };
    assignFields(update, patch, COLUMNS);
    ctx.db.prepare(`UPDATE products SET ${update.sets.join(", ")} WHERE id = @id`).run(update.values);
    const after = toProduct(productRow(ctx.db, companyId, productId));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "product.updated",
      recordKind: "product",
      recordId: productId,
      before: pick(before, Object.keys(patch)),
      after: pick(after, Object.keys(patch)),
    });
    return after;
  });
}

export function listProducts(db: Db, companyId: string, opts: { limit: number; cursor?: string | undefined; q?: string | undefined }): Page<Product> {
  const after = decodeCursor(opts.cursor, 2);
  const rows = db
    .prepare(
      `SELECT * FROM products WHERE company_id = @companyId
         ${opts.q ? "AND (name LIKE @like ESCAPE '\\' OR category LIKE @like ESCAPE '\\')" : ""}
         ${after ? "AND (name COLLATE NOCASE, pk) > (@afterName, @afterPk)" : ""}
       ORDER BY name COLLATE NOCASE, pk LIMIT @limit`,
    )
    .all({ companyId, like: likePattern(opts.q), afterName: after?.[0], afterPk: after?.[1], limit: opts.limit + 1 }) as ProductRow[];
  const page = rows.slice(0, opts.limit);
  return { items: page.map(toProduct), nextCursor: rows.length > opts.limit ? encodeCursor([page.at(-1)!.name, page.at(-1)!.pk]) : null };
}
