/** API keys for scripts: `psk_` + 32 random bytes (base64url), stored as SHA-256, scoped, revocable. */
import type { Deps } from "../context.js";
import type { CredentialResolver } from "./authenticate.js";
import { randomToken, sha256Hex } from "./secrets.js";

export const API_KEY_PREFIX = "psk_";

/** A new key secret; `prefix` is what lists show so people can tell their keys apart. */
export function newApiKeySecret(): { secret: string; hash: string; prefix: string } {
  const secret = API_KEY_PREFIX + randomToken(32);
  return { secret, hash: sha256Hex(secret), prefix: secret.slice(0, API_KEY_PREFIX.length + 6) };
}

/** How stale `last_used_at` may get before a request refreshes it (spares a write on every call). */
const LAST_USED_RESOLUTION_MS = 60_000;

export function apiKeyResolver(deps: Deps): CredentialResolver {
  const find = deps.db.prepare(
    "SELECT id, user_id, scope, company_id, last_used_at FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL",
  );
  const touch = deps.db.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?");
  return (token, now) => {
    if (!token.startsWith(API_KEY_PREFIX)) return null;
    const hash = sha256Hex(token);
    const row = find.get(hash) as
      | { id: string; user_id: string; scope: "read" | "write"; company_id: string | null; last_used_at: string | null }
      | undefined;
    if (!row) return null;
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
      touch.run(now.toISOString(), row.id);
    }
    return { userId: row.user_id, via: "api_key", credentialHash: hash, scope: row.scope, companyId: row.company_id };
  };
}
