/**
 * The Passerelle server the owner signs in to. Any https origin is accepted; plain http only for
 * this machine (the local demo), since tokens and invoices would otherwise cross the network in clear.
 */

export type ServerUrlCheck =
  | { ok: true; url: string; originPattern: string; needsPermission: boolean }
  | { ok: false; reason: "invalid" | "insecure" };

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function checkServerUrl(input: string): ServerUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(input.trim());
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (parsed.username || parsed.password || !parsed.hostname) return { ok: false, reason: "invalid" };
  const loopback = LOOPBACK_HOSTS.has(parsed.hostname);
  if (parsed.protocol === "http:" && !loopback) return { ok: false, reason: "insecure" };
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return { ok: false, reason: "invalid" };
  const path = parsed.pathname.replace(/\/+$/, "");
  return {
    ok: true,
    url: `${parsed.origin}${path}`,
    // Match patterns without a port cover every port, in Chrome and in Firefox alike.
    originPattern: `${parsed.protocol}//${parsed.hostname}/*`,
    // The manifest grants plain http on this machine; any other origin, https://localhost included, is asked for when it is saved.
    needsPermission: !(loopback && parsed.protocol === "http:"),
  };
}
