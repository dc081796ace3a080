import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createTestApp, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { invitedAccountant } from "./access-helpers.js";
import { WebhookDispatcher } from "../src/services/webhook-dispatcher.js";

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on loopback; `answer` decides the status code of each request. */
async function receiver(answer: (n: number) => number = () => 204) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(answer(received.length)).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/passerelle`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** What a receiver should do: recompute the HMAC over `${timestamp}.${body}` and compare in constant time. */
function verify(secret: string, r: Received): boolean {
  const timestamp = String(r.headers["x-passerelle-timestamp"]);
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${timestamp}.${r.body}`).digest("hex")}`);
  const given = Buffer.from(String(r.headers["x-passerelle-signature"]));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

let closers: (() => Promise<void>)[] = [];
beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

/** The receivers here listen on loopback, which only a development configuration lets webhooks reach. */
const LOCAL_TARGETS = { config: { webhooksAllowPrivateTargets: true } };

async function setup(answer?: (n: number) => number) {
  const t = createTestApp(LOCAL_TARGETS);
  const owner = await ownerWithCompany(t);
  const hook = await receiver(answer);
  const dispatcher = new WebhookDispatcher(t.deps, { timeoutMs: 2_000 }).start();
  closers.push(() => dispatcher.stop(), hook.close);
  return { t, owner, hook, dispatcher };
}

async function register(t: TestApp, token: string, companyId: string, url: string, events: string[]) {
  const res = await t.call("POST", `/companies/${companyId}/webhooks`, { token, body: { url, events } });
  if (res.status !== 201) throw new Error(`webhook failed: ${res.text}`);
  return res.json as { id: string; secret: string; url: string; events: string[] };
}

describe("webhooks", () => {
  it("POSTs each subscribed event after commit, signed with HMAC-SHA256 over timestamp.body", async () => {
    const { t, owner, hook, dispatcher } = await setup();
    const webhook = await register(t, owner.token, owner.companyId, hook.url, ["invoice.issued", "payment.recorded"]);
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const sealed = t.deps.db.prepare("SELECT secret_sealed FROM webhooks WHERE id = ?").pluck().get(webhook.id) as string;
    expect(sealed).not.toContain(webhook.secret.slice(6));
    expect(sealed.startsWith("v1.")).toBe(true);

    const invoice = await issuedInvoice(t, owner);
    await dispatcher.idle();
    expect(hook.received).toHaveLength(1);
    const [first] = hook.received;
    expect(verify(webhook.secret, first!)).toBe(true);
    expect(verify("whsec_wrong", first!)).toBe(false);
    expect(first!.headers["content-type"]).toBe("application/json");
    expect(first!.headers["x-passerelle-event"]).toBe("invoice.issued");
    expect(first!.headers["x-passerelle-timestamp"]).toBe(String(Date.parse("2026-11-20T10:00:00Z") / 1000));
    const body = JSON.parse(first!.body);
    expect(body).toMatchObject({
      event: "invoice.issued",
      companyId: owner.companyId,
      occurredAt: "2026-11-20T10:00:00.000Z",
      actorId: owner.user.id,
      data: { kind: "invoice", id: invoice.id, date: "2026-11-02", url: `${t.deps.config.publicUrl}/api/v1/companies/${owner.companyId}/invoices/${invoice.id}` },
    });
    expect(first!.headers["x-passerelle-delivery"]).toBe(body.id);

    const payment = await t.call("POST", `/companies/${owner.companyId}/payments`, {
      token: owner.token,
      body: { invoiceId: invoice.id, amountCents: 100, date: "2026-11-10", method: "transfer" },
    });
    expect(payment.status).toBe(201);
    // not subscribed: credit notes
    const other = await issuedInvoice(t, owner, "2026-11-05");
    await t.call("POST", `/companies/${owner.companyId}/invoices/${other.id}/credit-note`, { token: owner.token, body: {} });
    await dispatcher.idle();
    expect(hook.received.map((r) => r.headers["x-passerelle-event"])).toEqual(["invoice.issued", "payment.recorded", "invoice.issued"]);
    const paid = JSON.parse(hook.received[1]!.body);
    expect(paid.data).toMatchObject({ kind: "payment", id: payment.json.id, date: "2026-11-10" });
    expect(paid.seq).toBeGreaterThan(body.seq);
    expect(verify(webhook.secret, hook.received[1]!)).toBe(true);

    const log = await t.call("GET", `/companies/${owner.companyId}/webhooks/${webhook.id}/deliveries`, { token: owner.token });
    expect(log.json.items.map((d: { event: string; status: string; attempts: number; lastStatusCode: number }) => [d.event, d.status, d.attempts, d.lastStatusCode])).toEqual([
      ["invoice.issued", "delivered", 1, 204],
      ["payment.recorded", "delivered", 1, 204],
      ["invoice.issued", "delivered", 1, 204],
    ]);
  });

  it("a write to a company without webhooks opens no transaction, and the dispatcher goes idle after it", async () => {
    const t = createTestApp(LOCAL_TARGETS);
    const owner = await ownerWithCompany(t);
    const dispatcher = new WebhookDispatcher(t.deps, { timeoutMs: 2_000 }).start();
    closers.push(() => dispatcher.stop());
    await dispatcher.idle();
    const transactions = vi.spyOn(t.deps.db, "transaction");
    await issuedInvoice(t, owner);
    await issuedInvoice(t, owner);
    await dispatcher.idle();
    // the requests' own use-cases only (two drafts, two issues): the dispatcher read, and stopped
    expect(transactions).toHaveBeenCalledTimes(4);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM webhook_deliveries").pluck().get()).toBe(0);
  });

  it("retries a failing receiver with exponential backoff, then logs the delivery as delivered", async () => {
    const { t, owner, hook, dispatcher } = await setup((n) => (n < 3 ? 500 : 200));
    const webhook = await register(t, owner.token, owner.companyId, hook.url, ["invoice.issued"]);
    await issuedInvoice(t, owner);
    await dispatcher.idle();
    const deliveries = () => t.call("GET", `/companies/${owner.companyId}/webhooks/${webhook.id}/deliveries`, { token: owner.token });
    let d = (await deliveries()).json.items[0];
    expect(d).toMatchObject({ status: "retrying", attempts: 1, lastStatusCode: 500, lastError: "the receiver answered HTTP 500", nextAttemptAt: "2026-11-20T10:00:30.000Z" });

    t.clock.advance(29_000);
    await dispatcher.run();
    expect(hook.received).toHaveLength(1);
    t.clock.advance(1_000);
    await dispatcher.run();
    d = (await deliveries()).json.items[0];
    expect(d).toMatchObject({ status: "retrying", attempts: 2, nextAttemptAt: "2026-11-20T10:01:30.000Z" });
    t.clock.advance(60_000);
    await dispatcher.run();
    d = (await deliveries()).json.items[0];
    expect(d).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200, lastError: null, deliveredAt: "2026-11-20T10:01:30.000Z" });
    // the same event, the same delivery id, each attempt signed with its own timestamp
    expect(new Set(hook.received.map((r) => r.headers["x-passerelle-delivery"])).size).toBe(1);
    expect(hook.received.map((r) => r.headers["x-passerelle-timestamp"])).toEqual(["1795168800", "1795168830", "1795168890"]);
    expect(hook.received.every((r) => verify(webhook.secret, r))).toBe(true);
  });

  it("gives up after a day of failures and says so in the log", async () => {
    const { t, owner, hook, dispatcher } = await setup(() => 503);
    const webhook = await register(t, owner.token, owner.companyId, hook.url, ["invoice.issued"]);
    await issuedInvoice(t, owner);
    await dispatcher.idle();
    let guard = 0;
    for (;;) {
      const row = t.deps.db.prepare("SELECT status, next_attempt_at FROM webhook_deliveries").get() as { status: string; next_attempt_at: string | null };
      if (row.status !== "retrying") break;
      t.clock.set(row.next_attempt_at!);
      await dispatcher.run();
      if (++guard > 50) throw new Error("never gave up");
    }
    const d = (await t.call("GET", `/companies/${owner.companyId}/webhooks/${webhook.id}/deliveries`, { token: owner.token })).json.items[0];
    // 30 s, 1, 2, 4, … 128 min, then every 4 h: the last attempt lands within 24 h of the event
    expect(d).toMatchObject({ status: "failed", attempts: 14, lastStatusCode: 503, nextAttemptAt: null });
    expect(Date.parse(d.lastAttemptAt) - Date.parse(d.createdAt)).toBe((15330 + 4 * 14400) * 1000);
    expect(hook.received).toHaveLength(14);
  });

  it("reports an unreachable receiver and a deleted webhook cancels what is pending", async () => {
    const { t, owner, hook, dispatcher } = await setup();
    await hook.close();
    const webhook = await register(t, owner.token, owner.companyId, hook.url, ["invoice.issued"]);
    await issuedInvoice(t, owner);
    await dispatcher.idle();
    const log = await t.call("GET", `/companies/${owner.companyId}/webhooks/${webhook.id}/deliveries`, { token: owner.token });
    expect(log.json.items[0].status).toBe("retrying");
    expect(log.json.items[0].lastError).toContain("ECONNREFUSED");
    expect((await t.call("DELETE", `/companies/${owner.companyId}/webhooks/${webhook.id}`, { token: owner.token })).status).toBe(204);
    const row = t.deps.db.prepare("SELECT status, last_error FROM webhook_deliveries").get();
    expect(row).toEqual({ status: "cancelled", last_error: "the webhook was deleted" });
    expect((await t.call("GET", `/companies/${owner.companyId}/webhooks/${webhook.id}/deliveries`, { token: owner.token })).status).toBe(404);
  });

  it("accountants register their own webhooks; an owner may delete any, an accountant only theirs", async () => {
    const { t, owner, hook, dispatcher } = await setup();
    const accountant = await invitedAccountant(t, owner);
    const mine = await register(t, accountant.token, owner.companyId, hook.url, ["credit_note.issued"]);
    const owners = await register(t, owner.token, owner.companyId, "https://hooks.example.fr/owner", ["invoice.issued"]);
    const list = await t.call("GET", `/companies/${owner.companyId}/webhooks`, { token: accountant.token });
    expect(list.json.items.map((w: { id: string; createdBy: { id: string } }) => [w.id, w.createdBy.id])).toEqual([
      [mine.id, accountant.user.id],
      [owners.id, owner.user.id],
    ]);
    expect(list.json.items[0]).not.toHaveProperty("secret");
    const refused = await t.call("DELETE", `/companies/${owner.companyId}/webhooks/${owners.id}`, { token: accountant.token });
    expect(refused.status).toBe(403);

    const invoice = await issuedInvoice(t, owner);
    await t.call("POST", `/companies/${owner.companyId}/invoices/${invoice.id}/credit-note`, { token: owner.token, body: {} });
    await dispatcher.idle();
    expect(hook.received.map((r) => JSON.parse(r.body).event)).toEqual(["credit_note.issued"]);
    expect(verify(mine.secret, hook.received[0]!)).toBe(true);
    expect((await t.call("DELETE", `/companies/${owner.companyId}/webhooks/${mine.id}`, { token: owner.token })).status).toBe(204);
  });

  it("stops delivering to an accountant's webhook once the accountant's access ends", async () => {
    const { t, owner, hook, dispatcher } = await setup(() => 500);
    const accountant = await invitedAccountant(t, owner);
    await register(t, accountant.token, owner.companyId, hook.url, ["invoice.issued"]);
    await issuedInvoice(t, owner);
    await dispatcher.idle();
    expect(hook.received).toHaveLength(1);
    await t.call("DELETE", `/companies/${owner.companyId}/accountants/${accountant.user.id}`, { token: owner.token });
    t.clock.advance(3600_000);
    await issuedInvoice(t, owner, "2026-11-03");
    await dispatcher.run();
    expect(hook.received).toHaveLength(1);
    expect(t.deps.db.prepare("SELECT status FROM webhook_deliveries").pluck().all()).toEqual(["cancelled"]);
  });

  it("signals the accountant's events: period locked (soft or hard close) and export made", async () => {
    const { t, owner, hook, dispatcher } = await setup();
    const accountant = await invitedAccountant(t, owner);
    const webhook = await register(t, owner.token, owner.companyId, hook.url, ["period.locked", "export.made"]);
    await issuedInvoice(t, owner, "2026-10-05");
    const soft = await t.call("POST", `/companies/${owner.companyId}/locks`, { token: accountant.token, body: { until: "2026-10-31", kind: "soft" } });
    expect(soft.status).toBeLessThan(300);
    const hard = await t.call("POST", `/companies/${owner.companyId}/locks`, { token: accountant.token, body: { until: "2025-12-31", kind: "hard" } });
    expect(hard.status).toBeLessThan(300);
    const exported = await t.call("GET", `/companies/${owner.companyId}/exports/customers.xlsx`, { token: accountant.token });
    expect(exported.status).toBe(200);
    await dispatcher.idle();
    const bodies = hook.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => [b.event, b.data.action, b.actorId])).toEqual([
      ["period.locked", "period.locked", accountant.user.id],
      ["period.locked", "period.closed", accountant.user.id],
      ["export.made", "export.made", accountant.user.id],
    ]);
    expect(bodies[0].data.date).toBe("2026-10-31");
    expect(bodies[2].data.details.kind).toBe("customers.xlsx");
    expect(hook.received.every((r) => verify(webhook.secret, r))).toBe(true);
  });

  it("accepts https:// URLs and http:// only to this machine (where internal targets are allowed); events must be known", async () => {
    const t = createTestApp(LOCAL_TARGETS);
    const owner = await ownerWithCompany(t);
    const post = (url: string, events: string[] = ["invoice.issued"]) =>
      t.call("POST", `/companies/${owner.companyId}/webhooks`, { token: owner.token, body: { url, events } });
    for (const ok of ["https://compta.example.fr/hook", "http://localhost:9000/x", "http://127.0.0.1/x"]) expect((await post(ok)).status, ok).toBe(201);
    const refused: [string, string][] = [
      ["http://compta.example.fr/hook", "must be an https:// URL (http:// only to localhost or 127.0.0.1, for development)"],
      ["ftp://example.fr/x", "must be an https:// URL (http:// only to localhost or 127.0.0.1, for development)"],
      ["https://user:pass@example.fr/x", "must not carry a user name or password"],
      ["not a url", "must be an absolute URL, e.g. https://example.fr/hooks/passerelle"],
    ];
    for (const [url, message] of refused) {
      const res = await post(url);
      expect(res.status, url).toBe(422);
      expect(res.json.errors).toEqual([{ path: "url", message }]);
    }
    const badEvent = await post("https://example.fr/x", ["invoice.deleted"]);
    expect(badEvent.status).toBe(422);
    expect(badEvent.json.errors[0].path).toBe("events.0");
    expect((await post("https://example.fr/x", [])).json.errors[0]).toEqual({ path: "events", message: "must name at least one event" });
  });
});
