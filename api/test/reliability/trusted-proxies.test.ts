/**
 * Behind a reverse proxy every request arrives from the proxy's address. The rate limits key on the
 * client the trusted proxy vouches for (X-Forwarded-For), so one client using up its attempts does
 * not lock out everyone behind the same proxy — and a client that is not a trusted proxy cannot
 * pick its own key by sending the header. The socket's peer is given as @hono/node-server gives it.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { TrustedProxies } from "../../src/http/client-address.js";
import { createTestApp, type TestApp } from "../helpers.js";
import { API_DIR, tempDir, tsxArgs } from "./support.js";

const PROXY = "127.0.0.1";

function from(peer: string) {
  return { incoming: { socket: { remoteAddress: peer } } };
}

async function signIn(t: TestApp, peer: string, email: string, forwardedFor?: string) {
  const res = await t.app.request(
    "/api/v1/auth/login",
    {
      method: "POST",
      headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
      body: JSON.stringify({ email, password: "not the password" }),
    },
    from(peer),
  );
  return res.status;
}

async function unknownInvitation(t: TestApp, peer: string, forwardedFor?: string) {
  const res = await t.app.request("/invite/no-such-token", { headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} }, from(peer));
  return res.status;
}

const proxied = () => createTestApp({ config: { loginAttemptsPerWindow: 3, loginAttemptsPerAddress: 3, trustedProxies: TrustedProxies.parse(`${PROXY},::1`) } });

describe("rate limits behind a trusted proxy", () => {
  it("sign-in: a client's failures through the proxy limit that client only", async () => {
    const t = proxied();
    const attempts = [];
    for (let i = 0; i < 4; i++) attempts.push(await signIn(t, PROXY, `nobody${i}@example.fr`, "203.0.113.7"));
    expect(attempts).toEqual([401, 401, 401, 429]);
    // another client behind the same proxy, and the same proxy reached over IPv6 by a third
    expect(await signIn(t, PROXY, "someone@example.fr", "198.51.100.9")).toBe(401);
    expect(await signIn(t, "::ffff:127.0.0.1", "someone-else@example.fr", "2001:db8::5")).toBe(401);
    // the limited client, whatever it prepends to the header
    expect(await signIn(t, PROXY, "again@example.fr", "198.51.100.9, 203.0.113.7")).toBe(429);
  });

  it("sign-in: headers from a peer that is not a trusted proxy are ignored", async () => {
    const t = proxied();
    const attempts = [];
    for (let i = 0; i < 4; i++) attempts.push(await signIn(t, "192.0.2.50", `nobody${i}@example.fr`, `198.51.100.${i}`));
    expect(attempts).toEqual([401, 401, 401, 429]);
    // nor can it borrow another client's key to lock that client out
    expect(await signIn(t, "192.0.2.51", "victim@example.fr", "192.0.2.50")).toBe(401);
  });

  it("the invitation page's lookups are limited per client behind the proxy", async () => {
    const t = proxied();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await unknownInvitation(t, PROXY, "203.0.113.7"));
    expect(statuses).toEqual([404, 404, 404, 429]);
    expect(await unknownInvitation(t, PROXY, "198.51.100.9")).toBe(404);
    expect(await unknownInvitation(t, "203.0.113.7")).toBe(429); // the same client, now direct
  });

  it("with no trusted proxy configured, the peer is the client even if it sends the header", async () => {
    const t = createTestApp({ config: { loginAttemptsPerAddress: 3 } });
    for (let i = 0; i < 3; i++) expect(await signIn(t, PROXY, `nobody${i}@example.fr`, `203.0.113.${i}`)).toBe(401);
    expect(await signIn(t, PROXY, "other@example.fr", "198.51.100.9")).toBe(429);
  });
});

describe("TRUSTED_PROXIES at start", () => {
  it("a wrong entry stops the server with one line naming it", { timeout: 30_000 }, () => {
    const dataDir = tempDir("proxies");
    const run = spawnSync(process.execPath, tsxArgs("src/server.ts"), {
      cwd: API_DIR,
      env: { ...process.env, PASSERELLE_DATA: dataDir, PASSERELLE_DEMO: "0", PORT: "8787", TRUSTED_PROXIES: "127.0.0.1, caddy.internal" },
      encoding: "utf8",
      timeout: 25_000,
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(run.status).toBe(78); // EX_CONFIG: a setting to fix
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `TRUSTED_PROXIES : « caddy.internal » n'est ni une adresse IP ni une plage CIDR (ex. 127.0.0.1, ::1, 10.0.0.0/8). / TRUSTED_PROXIES: "caddy.internal" is neither an IP address nor a CIDR range (e.g. 127.0.0.1, ::1, 10.0.0.0/8)\n`,
    );
  });
});
