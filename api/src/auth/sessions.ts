import type { Db } from "../db/connection.js";
import { randomToken, sha256Hex } from "./secrets.js";

export interface IssuedSession {
  token: string;
  expiresAt: string;
}

/** A new opaque session token; only its SHA-256 is stored. */
export function createSession(db: Db, userId: string, now: Date, ttlHours: number): IssuedSession {
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000).toISOString();
  db.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)").run(
    sha256Hex(token),
    userId,
    now.toISOString(),
    expiresAt,
  );
  return { token, expiresAt };
}

/** The user behind a session token, if it exists and has not expired. */
export function sessionUser(db: Db, token: string, now: Date): { userId: string; tokenHash: string } | null {
  const tokenHash = sha256Hex(token);
  const row = db.prepare("SELECT user_id, expires_at FROM sessions WHERE token_hash = ?").get(tokenHash) as
    | { user_id: string; expires_at: string }
    | undefined;
  if (!row || row.expires_at <= now.toISOString()) return null;
  return { userId: row.user_id, tokenHash };
}

export function endSession(db: Db, tokenHash: string): void {
  db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(tokenHash);
}

export function purgeExpiredSessions(db: Db, now: Date): number {
  return db.prepare("DELETE FROM sessions WHERE expires_at <= ?").run(now.toISOString()).changes;
}
