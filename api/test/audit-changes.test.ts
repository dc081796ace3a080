import { describe, expect, it } from "vitest";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { PasserelleClient, SseParser, type SseMessage } from "@passerelle/shared";
import { createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { accountantOf } from "./accounting-helpers.js";
import { dropTrigger } from "./engine-helpers.js";
import { createDeps } from "../src/deps.js";
import { recordPayment } from "../src/services/payments.js";
import { changesSince, changesSinceJson } from "../src/services/audit-log.js";

const LINES = [{ description: "Étude", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const }];

async function setup(options: Parameters<typeof createTestApp>[0] = {}) {
  const t = createTestApp(options);
  const owner = await ownerWithCompany(t);
  const accountant = await accountantOf(t, owner.companyId);
  return { t, owner, accountant };
}

describe("the audit log", () => {
  it("lists every write of both layers, newest first: who, when, what, on which record, before/after", async () => {
    const { t, owner, accountant } = await setup();
    const invoice = await issuedInvoice(t, owner, "2026-11-02", LINES);
    await t.call("POST", `/companies/${owner.companyId}/locks`, { token: accountant.token, body: { until: "2026-10-31", kind: "soft" } });
    const res = await t.call("GET", `/companies/${owner.companyId}/audit-log`, { token: accountant.token });
    expect(res.status).toBe(200);
    expect(res.json.items.map((a: any) => [a.seq, a.action, a.recordKind, a.actor?.name])).toEqual([
      [5, "period.locked", "period_lock", "Comptable"],
      [4, "invoice.issued", "invoice", "Owner"],
      [3, "invoice.draft_created", "invoice", "Owner"],
      [2, "customer.created", "customer", "Owner"],
      [1, "company.created", "company", "Owner"],
    ]);
    const issued = res.json.items.find((a: any) => a.action === "invoice.issued");
    expect(issued).toEqual({
      seq: issued.seq,
      at: "2026-11-20T10:00:00.000Z",
      actor: { id: owner.user.id, name: "Owner", email: owner.email },
      action: "invoice.issued",
      recordKind: "invoice",
      recordId: invoice.id,
      recordDate: "2026-11-02",
      before: { status: "draft" },
      after: { status: "issued", number: "F2026-00001", ttcCents: 3604 },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("filters by actor, by kind (an action or its prefix) and by period; pages by cursor", async () => {
    const { t, owner, accountant } = await setup();
    await issuedInvoice(t, owner, "2026-11-02", LINES);
    t.clock.set("2026-11-21T09:00:00Z");
    await t.call("PUT", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token, body: { vatOnPayments: true } });
    const log = async (q: string) => (await t.call("GET", `/companies/${owner.companyId}/audit-log?${q}`, { token: owner.token })).json.items.map((a: any) => a.action);
    expect(await log(`actor=${accountant.user.id}`)).toEqual(["accounting_settings.updated"]);
    expect(await log("kind=invoice")).toEqual(["invoice.issued", "invoice.draft_created"]);
    expect(await log("kind=invoice.issued")).toEqual(["invoice.issued"]);
    expect(await log("kind=invoic")).toEqual([]);
    expect(await log("from=2026-11-21")).toEqual(["accounting_settings.updated"]);
    expect(await log("to=2026-11-20")).toEqual(["invoice.issued", "invoice.draft_created", "customer.created", "company.created"]);
    const first = await t.call("GET", `/companies/${owner.companyId}/audit-log?limit=2`, { token: owner.token });
    const second = await t.call("GET", `/companies/${owner.companyId}/audit-log?limit=2&cursor=${first.json.nextCursor}`, { token: owner.token });
    expect([...first.json.items, ...second.json.items].map((a: any) => a.seq)).toEqual([5, 4, 3, 2]);
    expectProblem(await t.call("GET", `/companies/${owner.companyId}/audit-log?kind=Invoice!`, { token: owner.token }), 422, "kind");
  });

  it("is append-only and hash-chained: /integrity notices an altered entry", async () => {
    const { t, owner } = await setup();
    await issuedInvoice(t, owner, "2026-11-02", LINES);
    expect(() => t.deps.db.prepare("UPDATE activity SET action = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => t.deps.db.prepare("DELETE FROM activity WHERE seq = 1").run()).toThrow(/append-only/);
    expect((await t.call("GET", `/companies/${owner.companyId}/integrity`, { token: owner.token })).json.ok).toBe(true);
    // someone with the database file drops the guard and rewrites history
    dropTrigger(t.deps.db, "activity_no_update", "activity");
    t.deps.db.prepare("UPDATE activity SET after_json = '{\"ttcCents\":1}' WHERE company_id = ? AND action = 'invoice.issued'").run(owner.companyId);
    const report = (await t.call("GET", `/companies/${owner.companyId}/integrity`, { token: owner.token })).json;
    expect(report.ok).toBe(false);
    expect(report.chain).toBe("broken");
    expect(report.problems).toContainEqual({ kind: "audit", record: "4", message: "audit log entry 4 was altered or an entry before it is missing" });
  });
});

describe("the change feed", () => {
  it("every write gets the next sequence; `since` gives what changed after it, oldest first", async () => {
    const { t, owner, accountant } = await setup();
    const invoice = await issuedInvoice(t, owner, "2026-11-02", LINES);
    await t.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId: invoice.id, amountCents: 100, date: "2026-11-03", method: "cash" } });
    await t.call("PUT", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token, body: {} });
    const all = await t.call("GET", `/companies/${owner.companyId}/changes`, { token: accountant.token });
    expect(all.json.lastSeq).toBe(6);
    expect(all.json.hasMore).toBe(false);
    expect(all.json.items.map((c: any) => [c.seq, c.kind, c.action])).toEqual([
      [1, "company", "company.created"],
      [2, "customer", "customer.created"],
      [3, "invoice", "invoice.draft_created"],
      [4, "invoice", "invoice.issued"],
      [5, "payment", "payment.recorded"],
      [6, "accounting_settings", "accounting_settings.updated"],
    ]);
    expect(all.json.items[3]).toEqual({ seq: 4, kind: "invoice", id: invoice.id, action: "invoice.issued", at: "2026-11-20T10:00:00.000Z" });
    const after = await t.call("GET", `/companies/${owner.companyId}/changes?since=4&limit=1`, { token: owner.token });
    expect([after.json.items.map((c: any) => c.seq), after.json.lastSeq, after.json.hasMore]).toEqual([[5], 6, true]);
    expect((await t.call("GET", `/companies/${owner.companyId}/changes?since=6`, { token: owner.token })).json).toEqual({ items: [], lastSeq: 6, hasMore: false });
    expectProblem(await t.call("GET", `/companies/${owner.companyId}/changes?since=-1`, { token: owner.token }), 422, "since");
    // refused writes take no sequence
    expectProblem(await t.call("PATCH", `/companies/${owner.companyId}/invoices/${invoice.id}`, { token: owner.token, body: { notes: "x" } }), 409);
    expect((await t.call("GET", `/companies/${owner.companyId}/changes?since=6`, { token: owner.token })).json.lastSeq).toBe(6);
  });
});

/** Reads an SSE response until `until` says stop (or the stream ends), with a deadline. */
async function readStream(body: ReadableStream<Uint8Array>, until: (messages: SseMessage[]) => boolean, timeoutMs = 5000) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  const messages: SseMessage[] = [];
  let ended = false;
  const deadline = Date.now() + timeoutMs;
  while (!until(messages)) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
    if (next === null) break;
    if (next.done) {
      ended = true;
      break;
    }
    messages.push(...parser.push(next.value));
  }
  if (!ended) await reader.cancel();
  return { messages, ended, changes: messages.filter((m) => m.type === "event" && m.event === "change").map((m) => JSON.parse((m as { data: string }).data)) };
}

const changeCount = (n: number) => (ms: SseMessage[]) => ms.filter((m) => m.type === "event" && m.event === "change").length >= n;

async function events(t: TestApp, token: string, companyId: string, query = "", headers: Record<string, string> = {}): Promise<Response> {
  return await t.app.request(`/api/v1/companies/${companyId}/events${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
}

describe("the change feed's page written by SQLite", () => {
  it("is byte for byte the JSON of changesSince for every since and limit, empty pages and the last one included", async () => {
    const { t, owner } = await setup();
    for (let i = 0; i < 3; i++) await issuedInvoice(t, owner, "2026-11-02", LINES);
    const last = changesSince(t.deps.db, owner.companyId, 0, 1000).lastSeq;
    expect(last).toBe(8);
    for (let since = 0; since <= last + 1; since++) {
      for (const limit of [1, 2, 3, 7, 8, 1000]) {
        const text = changesSinceJson(t.deps.db, owner.companyId, since, limit);
        expect(text, `since ${since}, limit ${limit}`).toBe(JSON.stringify(changesSince(t.deps.db, owner.companyId, since, limit)));
      }
    }
    const res = await t.call("GET", `/companies/${owner.companyId}/changes?since=2&limit=3`, { token: owner.token });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toEqual({ items: changesSince(t.deps.db, owner.companyId, 2, 3).items, lastSeq: 8, hasMore: true });
  });
});

describe("the event stream (Server-Sent Events)", () => {
  it("sends each change with `id:` = sequence, and resumes after Last-Event-ID", async () => {
    const { t, owner, accountant } = await setup();
    await issuedInvoice(t, owner, "2026-11-02", LINES); // seq 3, 4
    const res = await events(t, accountant.token, owner.companyId, "?since=1");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const read = await readStream(res.body!, changeCount(3));
    expect(read.changes.map((c) => [c.seq, c.action])).toEqual([
      [2, "customer.created"],
      [3, "invoice.draft_created"],
      [4, "invoice.issued"],
    ]);
    const ids = read.messages.filter((m) => m.type === "event").map((m) => (m as { id?: string }).id);
    expect(ids).toEqual(["2", "3", "4"]);
    expect(read.messages[0]).toEqual({ type: "comment", text: `connected to ${owner.companyId} after 1` });

    const resumed = await readStream((await events(t, accountant.token, owner.companyId, "?since=0", { "last-event-id": "3" })).body!, changeCount(1));
    expect(resumed.changes.map((c) => c.seq)).toEqual([4]);
    expectProblem(await events(t, accountant.token, owner.companyId, "", { "last-event-id": "abc" }).then(toCall), 422, "Last-Event-ID");
  });

  it("without a starting point, sends only what changes from now on; heartbeats keep it open", async () => {
    const { t, owner, accountant } = await setup();
    const res = await events(t, accountant.token, owner.companyId, "?heartbeat=1");
    const reading = readStream(res.body!, (ms) => changeCount(1)(ms) && ms.some((m) => m.type === "comment" && m.text === "heartbeat"), 6000);
    await new Promise((r) => setTimeout(r, 50));
    await t.call("POST", `/companies/${owner.companyId}/invoices`, { token: owner.token, body: draftBody(owner.customerId) });
    const read = await reading;
    expect(read.changes.map((c) => [c.seq, c.action])).toEqual([[3, "invoice.draft_created"]]);
    expect(read.messages.some((m) => m.type === "comment" && m.text === "heartbeat")).toBe(true);
  });

  it("ends cleanly when the session signs out", async () => {
    const { t, owner, accountant } = await setup();
    const res = await events(t, accountant.token, owner.companyId);
    const reading = readStream(res.body!, () => false, 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect((await t.call("POST", "/auth/logout", { token: accountant.token })).status).toBe(204);
    const read = await reading;
    expect(read.ended).toBe(true);
    expect(read.messages.at(-1)).toEqual({ type: "event", event: "end", data: '{"reason":"signed_out"}', id: undefined });
  });

  it("ends cleanly when the owner removes the accountant", async () => {
    const { t, owner, accountant } = await setup();
    const res = await events(t, accountant.token, owner.companyId);
    const reading = readStream(res.body!, () => false, 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect((await t.call("DELETE", `/companies/${owner.companyId}/accountants/${accountant.user.id}`, { token: owner.token })).status).toBe(204);
    const read = await reading;
    expect(read.ended).toBe(true);
    expect(read.messages.at(-1)).toMatchObject({ type: "event", event: "end", data: '{"reason":"revoked"}' });
    expectProblem(await events(t, accountant.token, owner.companyId).then(toCall), 404);
  });
});

describe("scripts with API keys", () => {
  it("a read key follows the journal, the entries and the feed but cannot lock; its stream ends when the key is revoked", async () => {
    const { t, owner, accountant } = await setup();
    await issuedInvoice(t, owner, "2026-11-02", LINES);
    const key = await t.call("POST", "/api-keys", { token: accountant.token, body: { name: "Synchro Excel", scope: "read", companyId: owner.companyId } });
    expect(key.status).toBe(201);
    const secret = key.json.secret as string;
    expect((await t.call("GET", `/companies/${owner.companyId}/sales-journal`, { token: secret })).json.totals.ttcCents).toBe(3604);
    expect((await t.call("GET", `/companies/${owner.companyId}/entries`, { token: secret })).json.items).toHaveLength(1);
    expect((await t.call("GET", `/companies/${owner.companyId}/changes?since=3`, { token: secret })).json.items.map((c: any) => c.action)).toEqual(["invoice.issued"]);
    expectProblem(await t.call("POST", `/companies/${owner.companyId}/locks`, { token: secret, body: { until: "2026-10-31", kind: "soft" } }), 403);

    const res = await events(t, secret, owner.companyId);
    expect(res.status).toBe(200);
    const reading = readStream(res.body!, () => false, 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect((await t.call("DELETE", `/api-keys/${key.json.id}`, { token: accountant.token })).status).toBe(204);
    const read = await reading;
    expect(read.ended).toBe(true);
    expect(read.messages.at(-1)).toMatchObject({ type: "event", event: "end", data: '{"reason":"revoked"}' });
  });
});

async function toCall(res: Response) {
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

describe("live over a real HTTP server", () => {
  it("delivers a write within a second, and a write of another process on the same database by polling", async () => {
    const dir = (await import("node:fs")).mkdtempSync(path.join((await import("node:os")).tmpdir(), "passerelle-live-"));
    const t = createTestApp({ config: { databasePath: path.join(dir, "live.db") } });
    const owner = await ownerWithCompany(t);
    const accountant = await accountantOf(t, owner.companyId);
    const invoice = await issuedInvoice(t, owner, "2026-11-02", LINES);
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const { port } = server.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      const watcher = new PasserelleClient({ baseUrl, token: accountant.token });
      const writer = new PasserelleClient({ baseUrl, token: owner.token });
      const controller = new AbortController();
      const stream = watcher.events(owner.companyId, { signal: controller.signal });
      const first = stream.next(); // opens the stream
      await new Promise((r) => setTimeout(r, 200));

      const sent = performance.now();
      const payment = await writer.recordPayment(owner.companyId, { invoiceId: invoice.id, amountCents: 500, date: "2026-11-03", method: "card" });
      const got = await first;
      const elapsed = performance.now() - sent;
      expect(got.value).toEqual({ seq: 5, kind: "payment", id: payment.id, action: "payment.recorded", at: "2026-11-20T10:00:00.000Z" });
      expect(elapsed).toBeLessThan(1000);

      // another process: its own connection to the same file, no in-process notification
      const other = createDeps(t.deps.config, { clock: t.clock });
      const outside = recordPayment({ db: other.db, clock: t.clock, config: other.config, actorId: owner.user.id }, owner.companyId, {
        invoiceId: invoice.id,
        amountCents: 700,
        date: "2026-11-04",
        method: "transfer",
      });
      other.db.close();
      const fromOutside = await stream.next();
      expect(fromOutside.value).toMatchObject({ seq: 6, id: outside.id, action: "payment.recorded" });
      controller.abort();
      await stream.return(undefined);
    } finally {
      server.close();
    }
  });
});
