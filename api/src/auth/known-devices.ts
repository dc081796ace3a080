/** Devices a user signed in from: the client keeps a random token, the database its SHA-256. */
import type { Db } from "../db/connection.js";
import { randomToken, sha256Hex } from "./secrets.js";

/** A user rarely has more; the least recently used beyond it are forgotten. */
const KEPT_PER_USER = 20;

/** The stored hash of `token` when it is one of `userId`'s devices, otherwise null. */
export function knownDevice(db: Db, token: string | undefined, userId: string | undefined): string | null {
  if (!token || !userId) return null;
  const hash = sha256Hex(token);
  const owner = db.prepare("SELECT user_id FROM known_devices WHERE token_hash = ?").pluck().get(hash) as string | undefined;
  return owner === userId ? hash : null;
}

/** After a successful sign-in: the device's token, the same one when the device was known, a new one otherwise. */
export function rememberDevice(db: Db, userId: string, token: string | undefined, knownHash: string | null, now: Date): string {
  const at = now.toISOString();
  if (token && knownHash) {
    db.prepare("UPDATE known_devices SET last_used_at = ? WHERE token_hash = ?").run(at, knownHash);
    return token;
  }
  const fresh = randomToken(32);
  db.prepare("INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)").run(sha256Hex(fresh), userId, at, at);
  db.prepare(
    `DELETE FROM known_devices WHERE user_id = ? AND token_hash NOT IN
       (SELECT token_hash FROM known_devices WHERE user_id = ? ORDER BY last_used_at DESC, created_at DESC LIMIT ?)`,
  ).run(userId, userId, KEPT_PER_USER);
  return fresh;
}
