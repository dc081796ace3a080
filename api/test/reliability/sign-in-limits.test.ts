/**
 * Sign-in limits that hold under concurrency: attempts are counted before the password is hashed,
 * keyed so that guessing from elsewhere never locks the owner out of a known device, and password
 * hashes (128 MB each at the default cost) run a few at a time in a bounded line.
 */
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { Config } from "../../src/config.js";
import { createTestApp, expectProblem, signupOwner, type TestApp } from "../helpers.js";

const PASSWORD = "correct horse battery";
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** POST /auth/login as a client at `address` (what the Node server reads from the socket). */
async function signIn(t: TestApp, address: string, body: { email: string; password: string; deviceToken?: string }) {
  const response = await t.app.request(
    "/api/v1/auth/login",
    { method: "POST", headers: { "content-type": "application/json", "accept-language": "en" }, body: JSON.stringify(body) },
    { incoming: { socket: { remoteAddress: address } } },
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined, text };
}

function appWith(config: Partial<Config>) {
  return createTestApp({ config });
}

describe("sign-in attempts are counted before the password is hashed", () => {
  it("200 parallel wrong sign-ins for one e-mail from one address: exactly LOGIN_ATTEMPTS are checked (401), the other 190 answer 429 with Retry-After", async () => {
    const t = appWith({ loginAttemptsPerWindow: 10 });
    const owner = await signupOwner(t);
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => signIn(t, "203.0.113.7", { email: owner.email, password: `wrong password ${i}` })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(190);
    for (const r of replies.filter((r) => r.status === 429)) {
      const problem = expectProblem(r, 429);
      expect(r.headers.get("retry-after")).toBe("900");
      expect(problem.detail).toBe("Too many sign-in attempts. Try again in 900 seconds.");
    }
    // only the ten admitted attempts reached the password hash
    expect(t.deps.passwords.slots.peakRunning).toBeLessThanOrEqual(t.deps.config.passwordHashesAtOnce);
  });

  it("a successful sign-in gives its attempt back: nine failures, a success, then one more failure is still a 401", async () => {
    const t = appWith({ loginAttemptsPerWindow: 10 });
    const owner = await signupOwner(t);
    for (let i = 0; i < 9; i++) expect((await signIn(t, "203.0.113.7", { email: owner.email, password: `wrong ${i}` })).status).toBe(401);
    expect((await signIn(t, "203.0.113.7", { email: owner.email, password: PASSWORD })).status).toBe(200);
    expect((await signIn(t, "203.0.113.7", { email: owner.email, password: "wrong 9" })).status).toBe(401);
    expect((await signIn(t, "203.0.113.7", { email: owner.email, password: PASSWORD })).status).toBe(429);
  });
});

describe("an attacker cannot lock the owner out", () => {
  it("ten wrong passwords from one address throttle that address only: the owner signs in from another", async () => {
    const t = appWith({ loginAttemptsPerWindow: 10 });
    const owner = await signupOwner(t);
    for (let i = 0; i < 10; i++) expectProblem(await signIn(t, "203.0.113.7", { email: owner.email, password: `guess ${i}` }), 401);
    const attacker = await signIn(t, "203.0.113.7", { email: owner.email, password: PASSWORD });
    expectProblem(attacker, 429);
    expect(attacker.headers.get("retry-after")).toBe("900");

    const real = await signIn(t, "198.51.100.20", { email: owner.email, password: PASSWORD });
    expect(real.status).toBe(200);
    expect(real.json.user).toEqual(owner.user);
  });

  it("one address guessing across e-mails is limited by LOGIN_ATTEMPTS_PER_ADDRESS", async () => {
    const t = appWith({ loginAttemptsPerWindow: 10, loginAttemptsPerAddress: 5 });
    const owner = await signupOwner(t);
    for (let i = 0; i < 5; i++) expectProblem(await signIn(t, "203.0.113.7", { email: `someone${i}@example.fr`, password: PASSWORD }), 401);
    expectProblem(await signIn(t, "203.0.113.7", { email: owner.email, password: PASSWORD }), 429);
    expect((await signIn(t, "198.51.100.20", { email: owner.email, password: PASSWORD })).status).toBe(200);
  });

  it("guessing from many addresses exhausts the e-mail's budget for unknown devices; the owner's known device still signs in", async () => {
    const t = appWith({ loginAttemptsPerWindow: 10, loginAttemptsPerEmail: 30 });
    const owner = await signupOwner(t);
    const first = await signIn(t, "198.51.100.20", { email: owner.email, password: PASSWORD });
    expect(first.status).toBe(200);
    const deviceToken: string = first.json.deviceToken;
    expect(deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // only its SHA-256 is stored
    expect(t.deps.db.prepare("SELECT token_hash, user_id FROM known_devices").all()).toEqual([{ token_hash: sha256(deviceToken), user_id: owner.user.id }]);

    // a botnet: 3 guesses from each of 10 addresses
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signIn(t, `203.0.113.${i % 10}`, { email: owner.email, password: `guess ${i}` })),
    );
    expect(guesses.map((g) => g.status)).toEqual(Array(30).fill(401));
    // the e-mail is now closed to devices it was never signed in from, wherever they are
    const fromNewAddress = await signIn(t, "192.0.2.50", { email: owner.email, password: PASSWORD });
    expectProblem(fromNewAddress, 429);
    expect(fromNewAddress.headers.get("retry-after")).toBe("900");
    // a device token of another account is no key to this one
    const other = await signupOwner(t);
    const otherDevice = (await signIn(t, "192.0.2.51", { email: other.email, password: PASSWORD })).json.deviceToken as string;
    expectProblem(await signIn(t, "203.0.113.1", { email: owner.email, password: PASSWORD, deviceToken: otherDevice }), 429);

    // the owner's own device, even from an address the attacker used
    const known = await signIn(t, "203.0.113.1", { email: owner.email, password: PASSWORD, deviceToken });
    expect(known.status).toBe(200);
    expect(known.json.user).toEqual(owner.user);
    expect(known.json.deviceToken).toBe(deviceToken);
  });

  it("a known device has its own budget: LOGIN_ATTEMPTS wrong passwords from it, then 429 for that device", async () => {
    const t = appWith({ loginAttemptsPerWindow: 3 });
    const owner = await signupOwner(t);
    const deviceToken = (await signIn(t, "198.51.100.20", { email: owner.email, password: PASSWORD })).json.deviceToken as string;
    for (let i = 0; i < 3; i++) expectProblem(await signIn(t, "198.51.100.20", { email: owner.email, password: `typo ${i}`, deviceToken }), 401);
    expectProblem(await signIn(t, "198.51.100.20", { email: owner.email, password: PASSWORD, deviceToken }), 429);
    // the same address without the device token has its own (e-mail, address) budget left
    expect((await signIn(t, "198.51.100.20", { email: owner.email, password: PASSWORD })).status).toBe(200);
  });
});

describe("password hashes run in a bounded pool", () => {
  it("50 sign-ins at once with the default settings: never more than PASSWORD_HASHES_AT_ONCE hashes in flight, all 50 answered 200 after waiting their turn", async () => {
    const t = appWith({});
    // the defaults: 2 hashes at once (128 MB each at the default cost), 64 waiting — a crowd of 50 is queued, none refused
    expect(t.deps.config.passwordHashesAtOnce).toBe(2);
    expect(t.deps.config.passwordHashQueue).toBe(64);
    const owner = await signupOwner(t);
    const slots = t.deps.passwords.slots;
    const seen: number[] = [];
    const sampler = setInterval(() => seen.push(slots.inFlight), 1);
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(t, `198.51.100.${i}`, { email: owner.email, password: PASSWORD })));
    clearInterval(sampler);
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(slots.peakRunning).toBe(2);
    expect(Math.max(...seen)).toBe(2);
    expect(slots.inFlight).toBe(0);
    expect(slots.waiting).toBe(0);
    expect(slots.refused).toBe(0);
  });

  it("a line too long is refused at once with 503 and Retry-After, and the refused attempts are not counted", async () => {
    const t = appWith({ passwordHashesAtOnce: 2, passwordHashQueue: 8, loginAttemptsPerWindow: 10, loginAttemptsPerEmail: 100 });
    const owner = await signupOwner(t);
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(t, `198.51.100.${i}`, { email: owner.email, password: `wrong ${i}` })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 503)).toHaveLength(40);
    for (const r of replies.filter((r) => r.status === 503)) {
      expectProblem(r, 503);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(r.json.detail).toMatch(/^Too many passwords are being checked at once\. Try again in \d+ seconds\.$/);
    }
    expect(t.deps.passwords.slots.refused).toBe(40);
    // the 40 refused attempts were given back: 90 more failures are allowed for this e-mail from unknown devices, then 429
    for (let i = 0; i < 90; i++) expect((await signIn(t, `192.0.2.${i}`, { email: owner.email, password: `later ${i}` })).status).toBe(401);
    expectProblem(await signIn(t, "192.0.2.200", { email: owner.email, password: PASSWORD }), 429);
  });

  it("sign-ups hash in the same line: 20 at once with 1 slot and 2 waiting → 3 sign-ups recorded, 17 × 503", async () => {
    const t = appWith({ passwordHashesAtOnce: 1, passwordHashQueue: 2 });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.call("POST", "/auth/signup", { body: { email: `burst${i}@example.fr`, password: PASSWORD, name: "Burst" } })),
    );
    expect(replies.filter((r) => r.status === 202)).toHaveLength(3);
    for (const r of replies.filter((r) => r.status !== 202)) expectProblem(r, 503);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM signups").pluck().get()).toBe(3);
    expect(t.deps.passwords.slots.peakRunning).toBe(1);
  });
});
