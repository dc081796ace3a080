/**
 * Signing up without telling who has an account: `requestSignup` answers the same for every
 * e-mail — the password is hashed, one e-mail is sent — and only the mailbox learns whether an
 * account was already there. A new address gets a single-use link (32 random bytes, stored as
 * SHA-256, expiring after `signupTtlHours`); confirming it with the password chosen at sign-up
 * creates the account.
 */
import type { SignupResult, User } from "@passerelle/shared";
import type { Deps } from "../context.js";
import type { Db } from "../db/connection.js";
import { inTransaction } from "../db/connection.js";
import { newId } from "../db/ids.js";
import { ProblemError } from "../http/problem.js";
import { randomToken, sha256Hex } from "../auth/secrets.js";
import { createSession, type IssuedSession } from "../auth/sessions.js";
import { accountExistsEmail, signupConfirmationEmail } from "../mail/signup-email.js";
import { findUserByEmail, insertUser } from "./users.js";

/** Wrong passwords a link takes before it stops working: whoever holds it cannot go on guessing. */
export const SIGNUP_PASSWORD_ATTEMPTS = 5;

interface SignupRow {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  token_hash: string;
  expires_at: string;
  password_attempts: number;
  confirmed_at: string | null;
}

export type SignupStatus = "pending" | "confirmed" | "expired" | "exhausted" | "taken";

function signupLink(publicUrl: string, token: string): string {
  return `${publicUrl}/signup/${token}`;
}

/** One answer for a new e-mail and a known one; only the message sent to the address differs. */
export async function requestSignup(deps: Deps, input: { email: string; password: string; name: string }, clientAddress: string): Promise<SignupResult> {
  deps.signupLimits.admit(input.email, clientAddress);
  // hashed even for a known e-mail, which does not need it: both answers take the same time
  const passwordHash = await deps.passwords.hash(input.password);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.signupTtlHours * 3600_000);
  const token = randomToken(32);
  const pending = inTransaction(deps.db, () => {
    deps.db.prepare("DELETE FROM signups WHERE expires_at <= ?").run(now.toISOString());
    if (findUserByEmail(deps.db, input.email)) return null;
    const id = newId();
    deps.db
      .prepare("INSERT INTO signups (id, email, name, password_hash, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(id, input.email, input.name, passwordHash, sha256Hex(token), now.toISOString(), expiresAt.toISOString());
    return id;
  });
  const message = pending
    ? signupConfirmationEmail({ to: input.email, name: input.name, link: signupLink(deps.config.publicUrl, token), expiresAt, timeZone: deps.config.timeZone })
    : accountExistsEmail({ to: input.email });
  try {
    await deps.mailer.send(message);
  } catch (error) {
    if (pending) deps.db.prepare("DELETE FROM signups WHERE id = ?").run(pending);
    console.error(`[mail] sign-up e-mail to ${input.email} not sent: ${error instanceof Error ? error.message : String(error)}`);
    throw new ProblemError(503, "Service Unavailable", `The e-mail to ${input.email} could not be sent; nothing was recorded. Try again in a few minutes.`, undefined, {
      "retry-after": "300",
    });
  }
  return { status: "confirmation_sent", email: input.email };
}

export interface SignupLookup {
  email: string;
  name: string;
  expiresAt: string;
  status: SignupStatus;
}

export function findSignupByToken(db: Db, token: string, now: Date): SignupLookup | null {
  const row = db.prepare("SELECT * FROM signups WHERE token_hash = ?").get(sha256Hex(token)) as SignupRow | undefined;
  if (!row) return null;
  return { email: row.email, name: row.name, expiresAt: row.expires_at, status: signupStatus(db, row, now) };
}

function signupStatus(db: Db, row: SignupRow, now: Date): SignupStatus {
  return closedReason(db, row, now) ?? (row.password_attempts >= SIGNUP_PASSWORD_ATTEMPTS ? "exhausted" : "pending");
}

/** What stops a link whatever password comes with it. */
function closedReason(db: Db, row: SignupRow, now: Date): "confirmed" | "expired" | "taken" | null {
  if (row.confirmed_at) return "confirmed";
  if (row.expires_at <= now.toISOString()) return "expired";
  // an invitation, or another link to the same address, created the account meanwhile
  if (findUserByEmail(db, row.email)) return "taken";
  return null;
}

/** Why a link no longer creates an account: 404 for an unknown one, 410 or 409 otherwise. */
export class SignupUnusable extends ProblemError {
  constructor(readonly reason: Exclude<SignupStatus, "pending"> | "unknown") {
    const [status, title, detail] = SIGNUP_REFUSALS[reason];
    super(status, title, detail);
  }
}

const SIGNUP_REFUSALS: Record<SignupUnusable["reason"], [number, string, string]> = {
  unknown: [404, "Not Found", "This confirmation link is unknown or no longer valid. Check that it was copied whole, or sign up again."],
  confirmed: [410, "Gone", "This confirmation link was already used: the account exists. Sign in with its e-mail and password."],
  expired: [410, "Gone", "This confirmation link has expired. Sign up again to receive a new one."],
  exhausted: [410, "Gone", "Too many wrong passwords were tried with this link; it no longer works. Sign up again to receive a new one."],
  taken: [409, "Conflict", "An account already exists for this e-mail; sign in instead."],
};

/**
 * Creates the account of a pending sign-up, if `password` is the one chosen at sign-up, and
 * consumes the link in the same transaction, re-checked inside it, so a link creates one account
 * and an e-mail never gets two. Answers the new user, and a session when asked.
 */
export async function confirmSignup(
  deps: Deps,
  input: { token: string; password: string },
  options: { issueSession: boolean },
): Promise<{ user: User; session: IssuedSession | null }> {
  const tokenHash = sha256Hex(input.token);
  const row = deps.db.prepare("SELECT * FROM signups WHERE token_hash = ?").get(tokenHash) as SignupRow | undefined;
  if (!row) throw new SignupUnusable("unknown");
  const status = signupStatus(deps.db, row, deps.clock.now());
  if (status !== "pending") throw new SignupUnusable(status);
  // the attempt is counted before the password is checked, so parallel guesses get no more tries
  const claimed = deps.db
    .prepare("UPDATE signups SET password_attempts = password_attempts + 1 WHERE id = ? AND password_attempts < ? AND confirmed_at IS NULL RETURNING password_attempts")
    .pluck()
    .get(row.id, SIGNUP_PASSWORD_ATTEMPTS) as number | undefined;
  if (claimed === undefined) {
    const fresh = deps.db.prepare("SELECT * FROM signups WHERE id = ?").get(row.id) as SignupRow | undefined;
    throw new SignupUnusable(fresh ? (closedReason(deps.db, fresh, deps.clock.now()) ?? "exhausted") : "unknown");
  }
  if (!(await deps.passwords.verify(input.password, row.password_hash!))) {
    const left = SIGNUP_PASSWORD_ATTEMPTS - claimed;
    throw new ProblemError(401, "Unauthorized", `This is not the password chosen when signing up (${left} ${left === 1 ? "attempt" : "attempts"} left).`, [
      { path: "password", message: "is not the password chosen at sign-up" },
    ]);
  }
  const now = deps.clock.now();
  return inTransaction(deps.db, () => {
    const current = deps.db.prepare("SELECT * FROM signups WHERE id = ?").get(row.id) as SignupRow | undefined;
    if (!current) throw new SignupUnusable("unknown");
    const closed = closedReason(deps.db, current, now);
    if (closed) throw new SignupUnusable(closed);
    const user: User = { id: newId(), email: current.email, name: current.name };
    insertUser(deps.db, user, current.password_hash!, now);
    deps.db.prepare("UPDATE signups SET confirmed_at = ?, user_id = ?, password_hash = NULL WHERE id = ?").run(now.toISOString(), user.id, current.id);
    const session = options.issueSession ? createSession(deps.db, user.id, now, deps.config.sessionTtlHours) : null;
    return { user, session };
  });
}
