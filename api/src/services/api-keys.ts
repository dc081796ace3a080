/** API keys belong to a user; they are listed and revoked by that user only. */
import type { ApiKey, ApiKeyCreated, ApiKeyInput } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { Principal } from "../context.js";
import { newId } from "../db/ids.js";
import { forbidden, invalid, notFound } from "../http/problem.js";
import { membershipRole } from "../auth/access.js";
import { newApiKeySecret } from "../auth/api-keys.js";

interface ApiKeyRow {
  id: string;
  name: string;
  scope: "read" | "write";
  company_id: string | null;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    companyId: row.company_id,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** Keys are managed from a signed-in session: a key can neither mint nor revoke keys. */
export function requireSession(principal: Principal): void {
  if (principal.via !== "session") throw forbidden("API keys are managed from a signed-in session, not with an API key.");
}

export function createApiKey(db: Db, userId: string, input: ApiKeyInput, now: Date): ApiKeyCreated {
  if (input.companyId && !membershipRole(db, userId, input.companyId)) {
    throw invalid("companyId", "is not a company you belong to");
  }
  const id = newId();
  const { secret, hash, prefix } = newApiKeySecret();
  db.prepare(
    "INSERT INTO api_keys (id, user_id, name, secret_hash, prefix, scope, company_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  ).run(id, userId, input.name, hash, prefix, input.scope, input.companyId ?? null, now.toISOString());
  return { ...toApiKey(db.prepare("SELECT * FROM api_keys WHERE id = ?").get(id) as ApiKeyRow), secret };
}

export function listApiKeys(db: Db, userId: string): ApiKey[] {
  const rows = db.prepare("SELECT * FROM api_keys WHERE user_id = ? AND revoked_at IS NULL ORDER BY pk").all(userId) as ApiKeyRow[];
  return rows.map(toApiKey);
}

export function revokeApiKey(db: Db, userId: string, keyId: string, now: Date): void {
  const changed = db
    .prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
    .run(now.toISOString(), keyId, userId).changes;
  if (changed === 0) throw notFound("API key");
}

/** Removing someone from a company also kills their keys limited to it (they would never work again anyway). */
export function revokeCompanyKeys(db: Db, userId: string, companyId: string, now: Date): number {
  return db
    .prepare("UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND company_id = ? AND revoked_at IS NULL")
    .run(now.toISOString(), userId, companyId).changes;
}
