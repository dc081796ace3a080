/**
 * Inviting accountants: single-use links bound to one e-mail, stored as the SHA-256 of their
 * token, expiring after `invitationTtlHours`. Accepting consumes the token and creates the
 * accountant's membership in one transaction.
 */
import type { Invitation, InvitationStatus, Page, User } from "@passerelle/shared";
import { Password } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { Deps, UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { decodeCursor, encodeCursor, newId } from "../db/ids.js";
import { ProblemError, conflict, forbidden, invalid, notFound } from "../http/problem.js";
import { randomToken, sha256Hex } from "../auth/secrets.js";
import { membershipRole } from "../auth/access.js";
import { createSession } from "../auth/sessions.js";
import { recordActivity } from "./activity.js";
import { DELIVERY_LEASE_MS } from "./invitation-delivery.js";
import { toUser } from "./users.js";

export interface InvitationRow {
  id: string;
  company_id: string;
  email: string;
  token_hash: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  consumed_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
  delivery_status: "queued" | "sent" | "retrying" | "failed";
  delivery_attempts: number;
  delivery_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  sent_at: string | null;
}

export function invitationStatus(row: Pick<InvitationRow, "revoked_at" | "consumed_at" | "expires_at">, now: Date): InvitationStatus {
  if (row.consumed_at) return "accepted";
  if (row.revoked_at) return "revoked";
  if (row.expires_at <= now.toISOString()) return "expired";
  return "pending";
}

const SELECT = `SELECT i.*, u.name AS inviter_name FROM invitations i JOIN users u ON u.id = i.invited_by`;

function toInvitation(row: InvitationRow & { inviter_name: string }, now: Date): Invitation {
  return {
    id: row.id,
    email: row.email,
    status: invitationStatus(row, now),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    invitedBy: { id: row.invited_by, name: row.inviter_name },
    acceptedAt: row.consumed_at,
    revokedAt: row.revoked_at,
    deliveryStatus: row.delivery_status,
    deliveryAttempts: row.delivery_attempts,
    deliveryError: row.delivery_error,
    lastDeliveryAt: row.last_attempt_at,
    nextDeliveryAt: row.next_attempt_at,
  };
}

export function getInvitation(db: Db, companyId: string, invitationId: string, now: Date): Invitation {
  const row = db.prepare(`${SELECT} WHERE i.company_id = ? AND i.id = ?`).get(companyId, invitationId) as
    | (InvitationRow & { inviter_name: string })
    | undefined;
  if (!row) throw notFound("invitation");
  return toInvitation(row, now);
}

/** Newest first. */
export function listInvitations(db: Db, companyId: string, now: Date, opts: { limit: number; cursor?: string | undefined }): Page<Invitation> {
  const after = decodeCursor(opts.cursor, 1);
  const rows = db
    .prepare(`${SELECT} WHERE i.company_id = ? ${after ? "AND i.pk < ?" : ""} ORDER BY i.pk DESC LIMIT ?`)
    .all(...[companyId, ...(after ? [after[0]] : []), opts.limit + 1]) as (InvitationRow & { inviter_name: string; pk: number })[];
  const page = rows.slice(0, opts.limit);
  return {
    items: page.map((r) => toInvitation(r, now)),
    nextCursor: rows.length > opts.limit ? encodeCursor([page.at(-1)!.pk]) : null,
  };
}

/** Only owners manage who has access to their company. */
export function requireOwner(role: string): void {
  if (role !== "owner") throw forbidden("Only the company's owners manage invitations and accountants.");
}

/** The request sends the first e-mail itself; the retry sweep takes over only if that attempt never reports back. */
function leaseEnd(now: Date): string {
  return new Date(now.getTime() + DELIVERY_LEASE_MS).toISOString();
}

function expiry(ctx: { clock: { now(): Date }; config: { invitationTtlHours: number } }): string {
  return new Date(ctx.clock.now().getTime() + ctx.config.invitationTtlHours * 3600_000).toISOString();
}

/** Creates an invitation; returns its id and the token (to be e-mailed, never stored). */
export function createInvitation(ctx: UseCaseContext, companyId: string, email: string): { id: string; token: string } {
  const now = ctx.clock.now();
  return inTransaction(ctx.db, () => {
    const existing = ctx.db
      .prepare("SELECT u.id, m.role FROM users u JOIN memberships m ON m.user_id = u.id AND m.company_id = ? WHERE u.email = ?")
      .get(companyId, email) as { id: string; role: string } | undefined;
    if (existing) {
      throw conflict(
        `${email} already has access to this company (as ${existing.role === "owner" ? "owner" : "accountant"}); there is nobody to invite.`,
        [{ path: "email", message: "already has access to this company" }],
      );
    }
    const pending = ctx.db
      .prepare(
        "SELECT id, expires_at FROM invitations WHERE company_id = ? AND email = ? AND consumed_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
      )
      .get(companyId, email, now.toISOString()) as { id: string; expires_at: string } | undefined;
    if (pending) {
      throw conflict(
        `${email} already has a pending invitation (${pending.id}, valid until ${pending.expires_at}); resend it instead of inviting again.`,
        [{ path: "email", message: "already has a pending invitation" }],
      );
    }
    const id = newId();
    const token = randomToken(32);
    const expiresAt = expiry(ctx);
    ctx.db
      .prepare(
        `INSERT INTO invitations (id, company_id, email, token_hash, invited_by, created_at, expires_at, delivery_status, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
      )
      .run(id, companyId, email, sha256Hex(token), ctx.actorId, now.toISOString(), expiresAt, leaseEnd(now));
    recordActivity(ctx.db, now, {
      companyId,
      actorId: ctx.actorId,
      action: "invitation.created",
      recordKind: "invitation",
      recordId: id,
      after: { email, expiresAt },
    });
    return { id, token };
  });
}

function invitationRow(db: Db, companyId: string, invitationId: string): InvitationRow {
  const row = db.prepare("SELECT * FROM invitations WHERE company_id = ? AND id = ?").get(companyId, invitationId) as InvitationRow | undefined;
  if (!row) throw notFound("invitation");
  return row;
}

/** A new token and a new expiry; the previous link stops working. Accepted or revoked invitations answer 409. */
export function resendInvitation(ctx: UseCaseContext, companyId: string, invitationId: string): { id: string; token: string } {
  const now = ctx.clock.now();
  return inTransaction(ctx.db, () => {
    const row = invitationRow(ctx.db, companyId, invitationId);
    const status = invitationStatus(row, now);
    if (status === "accepted" || status === "revoked") {
      throw conflict(`This invitation was ${status}; it cannot be sent again.${status === "revoked" ? " Invite the e-mail again instead." : ""}`);
    }
    const token = randomToken(32);
    const expiresAt = expiry(ctx);
    ctx.db
      .prepare(
        `UPDATE invitations SET token_hash = ?, expires_at = ?, delivery_status = 'queued', delivery_attempts = 0,
           delivery_error = NULL, next_attempt_at = ? WHERE id = ?`,
      )
      .run(sha256Hex(token), expiresAt, leaseEnd(now), invitationId);
    recordActivity(ctx.db, now, {
      companyId,
      actorId: ctx.actorId,
      action: "invitation.resent",
      recordKind: "invitation",
      recordId: invitationId,
      before: { expiresAt: row.expires_at },
      after: { expiresAt },
    });
    return { id: invitationId, token };
  });
}

/** Revoking a pending (or expired) invitation kills its link; an accepted one is removed through the accountants list. */
export function revokeInvitation(ctx: UseCaseContext, companyId: string, invitationId: string): void {
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    const row = invitationRow(ctx.db, companyId, invitationId);
    const status = invitationStatus(row, now);
    if (status === "revoked") return;
    if (status === "accepted") {
      throw conflict("This invitation was already accepted; remove the accountant's access instead (DELETE /companies/{companyId}/accountants/{userId}).");
    }
    ctx.db.prepare("UPDATE invitations SET revoked_at = ?, next_attempt_at = NULL WHERE id = ?").run(now.toISOString(), invitationId);
    recordActivity(ctx.db, now, {
      companyId,
      actorId: ctx.actorId,
      action: "invitation.revoked",
      recordKind: "invitation",
      recordId: invitationId,
      after: { email: row.email },
    });
  });
}

// ---- acceptance ----

/** What the invitation page and the accept route need to know about a token. */
export interface InvitationLookup {
  row: InvitationRow;
  status: InvitationStatus;
  companyName: string;
  inviterName: string;
  /** An account already exists for the invited e-mail: the accountant signs in instead of signing up. */
  hasAccount: boolean;
}

export function findInvitationByToken(db: Db, token: string, now: Date): InvitationLookup | null {
  const row = db
    .prepare(
      `SELECT i.*, c.name AS company_name, u.name AS inviter_name,
              EXISTS (SELECT 1 FROM users x WHERE x.email = i.email) AS has_account
       FROM invitations i JOIN companies c ON c.id = i.company_id JOIN users u ON u.id = i.invited_by
       WHERE i.token_hash = ?`,
    )
    .get(sha256Hex(token)) as (InvitationRow & { company_name: string; inviter_name: string; has_account: number }) | undefined;
  if (!row) return null;
  return { row, status: invitationStatus(row, now), companyName: row.company_name, inviterName: row.inviter_name, hasAccount: row.has_account === 1 };
}

export class InvitationUnusable extends ProblemError {
  constructor(
    readonly reason: "unknown" | "accepted" | "revoked" | "expired" | "inviter_gone",
    detail: string,
  ) {
    super(reason === "unknown" ? 404 : 410, reason === "unknown" ? "Not Found" : "Gone", detail);
  }
}

export function unusable(status: InvitationStatus | "unknown" | "inviter_gone", companyName?: string): InvitationUnusable {
  switch (status) {
    case "unknown":
      return new InvitationUnusable("unknown", "This invitation link is unknown. Check that it was copied whole, or ask for a new invitation.");
    case "accepted":
      return new InvitationUnusable("accepted", "This invitation link was already used. Sign in with your account instead.");
    case "revoked":
      return new InvitationUnusable("revoked", `This invitation was withdrawn${companyName ? ` by ${companyName}` : ""}. Ask the company for a new one if needed.`);
    case "expired":
      return new InvitationUnusable("expired", "This invitation link has expired. Ask the company to send it again.");
    case "inviter_gone":
      return new InvitationUnusable("inviter_gone", "The person who sent this invitation no longer manages the company; ask its owner for a new invitation.");
    default:
      throw new Error(`no refusal for ${status}`);
  }
}

function tooMany(wait: number): ProblemError {
  return new ProblemError(429, "Too Many Requests", `Too many attempts. Try again in ${wait} seconds.`, undefined, { "retry-after": String(wait) });
}

export interface AcceptOptions {
  /** The caller's address, for rate limiting. */
  clientKey: string;
  /** A signed-in user accepting with their session (no password needed); must be the invited e-mail. */
  sessionUserId?: string | undefined;
  /** The API answers a session token; the HTML page does not need one. */
  issueSession: boolean;
}

export interface Accepted {
  user: User;
  companyId: string;
  companyName: string;
  session: { token: string; expiresAt: string } | null;
  newAccount: boolean;
}

/**
 * Accepts an invitation: signs up (name + password) or signs in (password, or an existing session
 * of the invited user), then — in one transaction — consumes the token (`consumed_at IS NULL`),
 * re-checks the inviter is still an owner and creates the accountant's membership.
 */
export async function acceptInvitation(
  deps: Deps,
  input: { token: string; name?: string | undefined; password?: string | undefined },
  options: AcceptOptions,
): Promise<Accepted> {
  const limiter = deps.invitationLimiter;
  const clientKey = `accept:client:${options.clientKey}`;
  const waitClient = limiter.retryAfter(clientKey);
  if (waitClient > 0) throw tooMany(waitClient);

  const now = deps.clock.now();
  const found = findInvitationByToken(deps.db, input.token, now);
  if (!found) {
    limiter.record(clientKey);
    throw unusable("unknown");
  }
  if (found.status !== "pending") throw unusable(found.status, found.companyName);
  const email = found.row.email;

  const existing = deps.db.prepare("SELECT id, email, name, password_hash FROM users WHERE email = ?").get(email) as
    | { id: string; email: string; name: string; password_hash: string }
    | undefined;
  let newUser: { id: string; name: string; passwordHash: string } | null = null;
  if (options.sessionUserId) {
    if (!existing || existing.id !== options.sessionUserId) {
      throw forbidden(`This invitation is for ${email}; you are signed in with another account.`);
    }
  } else if (existing) {
    if (!input.password) throw invalid("password", `is required: an account already exists for ${email}, sign in with its password`);
    // the sign-in limits of the login form, so acceptance is no side door for guessing passwords
    const reservation = deps.signInLimits.reserve({ email: email.toLowerCase(), clientAddress: options.clientKey, knownDevice: null });
    let ok: boolean;
    try {
      ok = await deps.passwords.verify(input.password, existing.password_hash);
    } catch (error) {
      reservation.giveBack();
      throw error;
    }
    if (!ok) throw new ProblemError(401, "Unauthorized", `Wrong password for ${email}.`, [{ path: "password", message: "is not the password of this account" }]);
    reservation.giveBack();
  } else {
    if (!input.name?.trim()) throw invalid("name", "is required to create your account");
    const password = Password.safeParse(input.password ?? "");
    if (!password.success) throw invalid("password", password.error.issues[0]!.message);
    newUser = { id: newId(), name: input.name.trim(), passwordHash: await deps.passwords.hash(password.data) };
  }

  const acceptedAt = deps.clock.now();
  return inTransaction(deps.db, () => {
    const userId = existing?.id ?? newUser!.id;
    const current = deps.db.prepare("SELECT * FROM invitations WHERE id = ?").get(found.row.id) as InvitationRow;
    if (current.token_hash !== found.row.token_hash) throw unusable("unknown");
    const status = invitationStatus(current, acceptedAt);
    if (status !== "pending") throw unusable(status, found.companyName);
    // the account first (the invitation row references it); a refusal below rolls it back
    if (newUser) {
      const taken = deps.db.prepare("SELECT 1 FROM users WHERE email = ?").get(email);
      if (taken) throw conflict(`An account for ${email} was just created; sign in with it to accept.`);
      deps.db
        .prepare("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)")
        .run(newUser.id, email, newUser.name, newUser.passwordHash, acceptedAt.toISOString());
    }
    const consumed = deps.db
      .prepare(
        `UPDATE invitations SET consumed_at = ?, accepted_by = ?, next_attempt_at = NULL
         WHERE id = ? AND token_hash = ? AND consumed_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
      )
      .run(acceptedAt.toISOString(), userId, found.row.id, found.row.token_hash, acceptedAt.toISOString()).changes;
    if (consumed !== 1) {
      const fresh = deps.db.prepare("SELECT * FROM invitations WHERE id = ?").get(found.row.id) as InvitationRow;
      throw fresh.token_hash === found.row.token_hash ? unusable(invitationStatus(fresh, acceptedAt), found.companyName) : unusable("unknown");
    }
    if (membershipRole(deps.db, found.row.invited_by, found.row.company_id) !== "owner") throw unusable("inviter_gone");
    if (membershipRole(deps.db, userId, found.row.company_id)) {
      throw conflict(`${email} already has access to ${found.companyName}.`);
    }
    deps.db
      .prepare("INSERT INTO memberships (company_id, user_id, role, invited_by, created_at) VALUES (?, ?, 'accountant', ?, ?)")
      .run(found.row.company_id, userId, found.row.invited_by, acceptedAt.toISOString());
    recordActivity(deps.db, acceptedAt, {
      companyId: found.row.company_id,
      actorId: userId,
      action: "accountant.joined",
      recordKind: "membership",
      recordId: userId,
      after: { email, invitationId: found.row.id, newAccount: newUser !== null },
    });
    const session = options.issueSession ? createSession(deps.db, userId, acceptedAt, deps.config.sessionTtlHours) : null;
    const user = toUser(existing ?? { id: userId, email, name: newUser!.name });
    return { user, companyId: found.row.company_id, companyName: found.companyName, session, newAccount: newUser !== null };
  });
}
