/**
 * Sending invitation e-mails. A failed attempt is never lost: the invitation row records the
 * error and the time of the next attempt (1 min, 5 min, 15 min, 1 h, 4 h), and after the last
 * one its delivery status says `failed` with the reason, for the owner to see and resend.
 * Only the token's hash is stored, so an attempt made after the first one (possibly after a
 * restart) gives the invitation a fresh token: the previous link was never delivered.
 */
import type { Deps } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { randomToken, sha256Hex } from "../auth/secrets.js";
import { invitationEmail } from "../mail/invitation-email.js";
import type { InvitationRow } from "./invitations.js";

export const INVITATION_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 4 * 60 * 60_000];

/** While an attempt is in flight the row is leased for this long; a crash mid-send is retried after it. */
export const DELIVERY_LEASE_MS = 5 * 60_000;

export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/invite/${token}`;
}

/** One delivery attempt of the invitation's e-mail with `token`; records the outcome on the row. */
export async function deliverInvitation(deps: Deps, invitationId: string, token: string): Promise<void> {
  const row = deps.db
    .prepare(
      `SELECT i.*, c.name AS company_name, u.name AS owner_name, u.email AS owner_email
       FROM invitations i JOIN companies c ON c.id = i.company_id JOIN users u ON u.id = i.invited_by WHERE i.id = ?`,
    )
    .get(invitationId) as InvitationRow & { company_name: string; owner_name: string; owner_email: string };
  const message = invitationEmail({
    to: row.email,
    companyName: row.company_name,
    ownerName: row.owner_name,
    ownerEmail: row.owner_email,
    link: invitationLink(deps.config.publicUrl, token),
    expiresAt: new Date(row.expires_at),
    timeZone: deps.config.timeZone,
    // Delivered before (a resend): the link that reached the accountant has just been replaced.
    replacesEarlierLink: row.sent_at !== null,
  });
  let error: string | null = null;
  try {
    await deps.mailer.send(message);
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").slice(0, 500) || "unknown error";
  }
  const now = deps.clock.now();
  const attempts = row.delivery_attempts + 1;
  // only the attempt that still owns the token writes its outcome (a resend may have replaced it meanwhile)
  if (error === null) {
    deps.db
      .prepare(
        `UPDATE invitations SET delivery_status = 'sent', delivery_attempts = ?, delivery_error = NULL, last_attempt_at = ?,
           next_attempt_at = NULL, sent_at = ? WHERE id = ? AND token_hash = ?`,
      )
      .run(attempts, now.toISOString(), now.toISOString(), invitationId, sha256Hex(token));
    return;
  }
  const delay = INVITATION_RETRY_DELAYS_MS[attempts - 1];
  deps.db
    .prepare(
      `UPDATE invitations SET delivery_status = ?, delivery_attempts = ?, delivery_error = ?, last_attempt_at = ?, next_attempt_at = ?
       WHERE id = ? AND token_hash = ?`,
    )
    .run(
      delay === undefined ? "failed" : "retrying",
      attempts,
      error,
      now.toISOString(),
      delay === undefined ? null : new Date(now.getTime() + delay).toISOString(),
      invitationId,
      sha256Hex(token),
    );
  if (delay === undefined) console.error(`[mail] invitation ${invitationId} to ${row.email}: giving up after ${attempts} attempts: ${error}`);
}

/** Attempts every invitation e-mail whose next attempt is due (still pending ones only). Returns how many were attempted. */
export async function retryDueInvitations(deps: Deps): Promise<number> {
  const now = deps.clock.now().toISOString();
  const due = deps.db
    .prepare(
      `SELECT id FROM invitations WHERE delivery_status IN ('queued', 'retrying') AND next_attempt_at <= ?
         AND consumed_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY next_attempt_at LIMIT 100`,
    )
    .pluck()
    .all(now, now) as string[];
  let attempted = 0;
  for (const id of due) {
    const token = randomToken(32);
    const claimed = inTransaction(deps.db, () =>
      deps.db
        .prepare(
          `UPDATE invitations SET token_hash = ?, next_attempt_at = ? WHERE id = ? AND delivery_status IN ('queued', 'retrying')
             AND next_attempt_at <= ? AND consumed_at IS NULL AND revoked_at IS NULL`,
        )
        .run(sha256Hex(token), new Date(Date.parse(now) + DELIVERY_LEASE_MS).toISOString(), id, now).changes,
    );
    if (claimed !== 1) continue;
    await deliverInvitation(deps, id, token);
    attempted++;
  }
  return attempted;
}
