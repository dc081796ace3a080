/**
 * Who may do what on a company. A company the caller cannot see answers 404 (not 403), so its
 * existence never leaks; a visible company with a forbidden action answers 403.
 */
import type { Role } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { Principal } from "../context.js";
import { forbidden, notFound } from "../http/problem.js";

export type Layer = "owner" | "accountant";
export type Action = "read" | "write";

export interface CompanyAccess {
  companyId: string;
  role: Role;
  principal: Principal;
}

export function membershipRole(db: Db, userId: string, companyId: string): Role | null {
  const row = db.prepare("SELECT role FROM memberships WHERE company_id = ? AND user_id = ?").get(companyId, userId) as
    | { role: Role }
    | undefined;
  return row?.role ?? null;
}

/**
 * Checks the caller may perform `action` on the `layer` of `companyId`.
 * Owners write the owner layer, accountants write the accountant layer; both read both.
 */
export function authorize(db: Db, principal: Principal, companyId: string, layer: Layer, action: Action): CompanyAccess {
  if (principal.companyId && principal.companyId !== companyId) throw notFound("company");
  return authorizeRole(principal, companyId, membershipRole(db, principal.userId, companyId), layer, action);
}

/**
 * The same decision from a membership already read in this request (the guard reads the one of
 * the company in the path): `role` null means the caller is not a member.
 */
export function authorizeRole(principal: Principal, companyId: string, role: Role | null, layer: Layer, action: Action): CompanyAccess {
  if (principal.companyId && principal.companyId !== companyId) throw notFound("company");
  if (!role) throw notFound("company");
  if (action === "write") {
    if (principal.scope !== "write") throw forbidden("This API key is read-only.");
    if (layer !== role) {
      throw forbidden(
        layer === "owner"
          ? "Only the company's owners change its invoices, customers, products, payments and documents."
          : "Only the company's accountants change account codes, locks and exports.",
      );
    }
  }
  return { companyId, role, principal };
}
