import type { LoginResult, Me, Role, User } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { Deps } from "../context.js";
import { newId } from "../db/ids.js";
import { ProblemError, conflict } from "../http/problem.js";
import { createSession, type IssuedSession } from "../auth/sessions.js";
import { knownDevice, rememberDevice } from "../auth/known-devices.js";
import { isUniqueViolation } from "../db/errors.js";

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
}

export function toUser(row: { id: string; email: string; name: string }): User {
  return { id: row.id, email: row.email, name: row.name };
}

export function findUserByEmail(db: Db, email: string): UserRow | undefined {
  return db.prepare("SELECT id, email, name, password_hash FROM users WHERE email = ?").get(email) as UserRow | undefined;
}

export function getUser(db: Db, userId: string): User {
  return toUser(db.prepare("SELECT id, email, name FROM users WHERE id = ?").get(userId) as UserRow);
}

/** Adds a user whose password is already hashed; a taken e-mail answers 409. */
export function insertUser(db: Db, user: User, passwordHash: string, now: Date): void {
  try {
    db.prepare("INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)").run(
      user.id,
      user.email,
      user.name,
      passwordHash,
      now.toISOString(),
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict("An account already exists for this e-mail; sign in instead.", [{ path: "email", message: "is already registered" }]);
    }
    throw error;
  }
}

export async function createUser(deps: Deps, input: { email: string; password: string; name: string }): Promise<User> {
  const passwordHash = await deps.passwords.hash(input.password);
  const user = { id: newId(), email: input.email, name: input.name };
  insertUser(deps.db, user, passwordHash, deps.clock.now());
  return user;
}

/**
 * Checks a password. The attempt is counted before the password is hashed (429 with Retry-After
 * past the limits of auth/sign-in-limits.ts) and given back when it succeeds.
 */
export async function login(
  deps: Deps,
  input: { email: string; password: string; deviceToken?: string | undefined },
  clientAddress: string,
): Promise<LoginResult> {
  const row = findUserByEmail(deps.db, input.email);
  const device = knownDevice(deps.db, input.deviceToken, row?.id);
  const reservation = deps.signInLimits.reserve({ email: input.email, clientAddress, knownDevice: device });
  let ok: boolean;
  try {
    ok = row ? await deps.passwords.verify(input.password, row.password_hash) : await deps.passwords.verifyDecoy(input.password);
  } catch (error) {
    reservation.giveBack(); // not checked (the server was busy): not an attempt
    throw error;
  }
  if (!row || !ok) throw new ProblemError(401, "Unauthorized", "E-mail or password is incorrect.");
  reservation.giveBack();
  const now = deps.clock.now();
  const session: IssuedSession = createSession(deps.db, row.id, now, deps.config.sessionTtlHours);
  const deviceToken = rememberDevice(deps.db, row.id, input.deviceToken, device, now);
  return { token: session.token, expiresAt: session.expiresAt, user: toUser(row), deviceToken };
}

export function me(db: Db, userId: string, limitToCompany: string | null): Me {
  const memberships = db
    .prepare(
      `SELECT m.company_id AS companyId, c.name AS companyName, m.role AS role
       FROM memberships m JOIN companies c ON c.id = m.company_id
       WHERE m.user_id = ? ${limitToCompany ? "AND m.company_id = ?" : ""}
       ORDER BY c.name COLLATE NOCASE, c.id`,
    )
    .all(...(limitToCompany ? [userId, limitToCompany] : [userId])) as { companyId: string; companyName: string; role: Role }[];
  return { user: getUser(db, userId), memberships };
}
