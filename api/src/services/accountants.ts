/** The accountants of a company, and removing one: effective at once for every credential and stream. */
import type { Accountant } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { notFound } from "../http/problem.js";
import { recordActivity } from "./activity.js";
import { revokeCompanyKeys } from "./api-keys.js";
import { retireWebhooksOf } from "./webhooks.js";

export function listAccountants(db: Db, companyId: string): Accountant[] {
  const rows = db
    .prepare(
      `SELECT u.id, u.name, u.email, m.created_at, m.invited_by, i.name AS inviter_name
       FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN users i ON i.id = m.invited_by
       WHERE m.company_id = ? AND m.role = 'accountant' ORDER BY u.name COLLATE NOCASE, u.id`,
    )
    .all(companyId) as { id: string; name: string; email: string; created_at: string; invited_by: string | null; inviter_name: string | null }[];
  return rows.map((r) => ({
    userId: r.id,
    name: r.name,
    email: r.email,
    since: r.created_at,
    invitedBy: r.invited_by ? { id: r.invited_by, name: r.inviter_name ?? "" } : null,
  }));
}

/**
 * Deletes the accountant's membership — every request and live stream checks membership, so
 * access ends with this commit — and revokes what only served that access: their API keys
 * limited to this company and the webhooks they registered on it.
 */
export function removeAccountant(ctx: UseCaseContext, companyId: string, userId: string): void {
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    const member = ctx.db
      .prepare("SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.company_id = ? AND m.user_id = ? AND m.role = 'accountant'")
      .get(companyId, userId) as { email: string } | undefined;
    if (!member) throw notFound("accountant");
    ctx.db.prepare("DELETE FROM memberships WHERE company_id = ? AND user_id = ? AND role = 'accountant'").run(companyId, userId);
    const keys = revokeCompanyKeys(ctx.db, userId, companyId, now);
    const webhooks = retireWebhooksOf(ctx.db, companyId, userId, now);
    recordActivity(ctx.db, now, {
      companyId,
      actorId: ctx.actorId,
      action: ctx.actorId === userId ? "accountant.left" : "accountant.removed",
      recordKind: "membership",
      recordId: userId,
      after: { email: member.email, revokedApiKeys: keys, removedWebhooks: webhooks },
    });
  });
}
