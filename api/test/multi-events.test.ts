import { beforeEach, describe, expect, it, vi } from "vitest";
import { createTestApp, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { ACCOUNTANT_PASSWORD, invite, invitedAccountant } from "./access-helpers.js";

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});

/** An open event stream read as text, event by event. */
async function open(t: TestApp, query: string, token: string) {
  const res = await t.app.request(`/api/v1/events${query}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return {
    get text() {
      return text;
    },
    async until(needle: string, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (!text.includes(needle)) {
        if (Date.now() > deadline) throw new Error(`no "${needle}" in ${text}`);
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return text;
    },
    /** The data of every event of this name, in order. */
    events(name: string): Record<string, unknown>[] {
      return [...text.matchAll(new RegExp(`event: ${name}\\ndata: (.*)\\n`, "g"))].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
    },
    async done() {
      return (await reader.read()).done;
    },
    close: () => reader.cancel(),
  };
}

const lastSeq = (t: TestApp, companyId: string) => t.deps.db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(companyId) as number;

/** An accountant of two companies of two different owners. */
async function accountantOfTwo(t: TestApp) {
  const a = await ownerWithCompany(t);
  const b = await ownerWithCompany(t);
  const accountant = await invitedAccountant(t, a);
  const { token } = await invite(t, b, accountant.email);
  expect((await t.call("POST", "/invitations/accept", { body: { token, password: ACCOUNTANT_PASSWORD } })).status).toBe(200);
  return { a, b, accountant };
}

describe("one event stream for many companies", () => {
  it("streams the changes of every company named, each with its company, from the sequence given or from now", async () => {
    const t = createTestApp();
    const { a, b, accountant } = await accountantOfTwo(t);
    const aSeq = lastSeq(t, a.companyId);
    await issuedInvoice(t, a, "2026-11-02"); // before the stream opens: sent because A starts at aSeq
    const bSeq = lastSeq(t, b.companyId);
    const stream = await open(t, `?companies=${a.companyId}:${aSeq},${b.companyId}`, accountant.token);
    await stream.until("event: ready");
    await stream.until("\n\n");
    expect(stream.events("ready")).toEqual([{ seqs: { [a.companyId]: aSeq, [b.companyId]: bSeq } }]);
    await stream.until(`"companyId":"${a.companyId}","seq":${lastSeq(t, a.companyId)}`);
    await issuedInvoice(t, b, "2026-11-03");
    await stream.until(`"companyId":"${b.companyId}","seq":${lastSeq(t, b.companyId)}`);
    const changes = stream.events("change");
    const ofA = changes.filter((c) => c.companyId === a.companyId).map((c) => c.seq);
    const ofB = changes.filter((c) => c.companyId === b.companyId).map((c) => c.seq);
    expect(ofA).toEqual(Array.from({ length: lastSeq(t, a.companyId) - aSeq }, (_, i) => aSeq + 1 + i));
    expect(ofB).toEqual(Array.from({ length: lastSeq(t, b.companyId) - bSeq }, (_, i) => bSeq + 1 + i));
    expect(changes.find((c) => c.companyId === b.companyId && c.action === "invoice.issued")).toMatchObject({ kind: "invoice" });
    await stream.close();
  });

  it("without a list, follows every company of the caller", async () => {
    const t = createTestApp();
    const { a, b, accountant } = await accountantOfTwo(t);
    const stream = await open(t, "", accountant.token);
    await stream.until(": connected to 2 companies");
    await issuedInvoice(t, a, "2026-11-02");
    await issuedInvoice(t, b, "2026-11-02");
    await stream.until(`"companyId":"${b.companyId}"`);
    expect(new Set(stream.events("change").map((c) => c.companyId))).toEqual(new Set([a.companyId, b.companyId]));
    await stream.close();
  });

  it("refuses the whole stream when one company is not the caller's, and a malformed list with 422", async () => {
    const t = createTestApp();
    const { a, accountant } = await accountantOfTwo(t);
    const stranger = await ownerWithCompany(t);
    const refused = await t.call("GET", `/events?companies=${a.companyId},${stranger.companyId}`, { token: accountant.token });
    const problem = expectProblem(refused, 404);
    expect(JSON.stringify(problem)).not.toContain(stranger.companyId);
    expect(refused.text).not.toContain("event:");
    expectProblem(await t.call("GET", "/events?companies=a,b;c", { token: accountant.token }), 422, "companies");
    expectProblem(await t.call("GET", `/events?companies=${a.companyId}:x`, { token: accountant.token }), 422, "companies");
    const tooMany = Array.from({ length: 201 }, () => a.companyId).join(",");
    const many = expectProblem(await t.call("GET", `/events?companies=${tooMany}`, { token: accountant.token }), 422, "companies");
    expect(many.errors![0]!.message).toContain("at most 200 companies");
    expectProblem(await t.call("GET", `/events?companies=${a.companyId}`), 401);
  });

  it("an access revoked mid-stream stops that company at once, nothing more of it is sent, the others go on", async () => {
    const t = createTestApp();
    const { a, b, accountant } = await accountantOfTwo(t);
    const stream = await open(t, `?companies=${a.companyId},${b.companyId}`, accountant.token);
    await stream.until(": connected");
    const before = lastSeq(t, a.companyId);
    const started = Date.now();
    expect((await t.call("DELETE", `/companies/${a.companyId}/accountants/${accountant.user.id}`, { token: a.token })).status).toBe(204);
    await stream.until("event: revoked");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(stream.events("revoked")).toEqual([{ companyId: a.companyId }]);
    await issuedInvoice(t, a, "2026-11-04");
    await issuedInvoice(t, b, "2026-11-04");
    await stream.until(`"companyId":"${b.companyId}","seq":${lastSeq(t, b.companyId)}`);
    // neither the removal itself nor the invoice after it reached the removed accountant
    expect(lastSeq(t, a.companyId)).toBeGreaterThan(before);
    expect(stream.events("change").filter((c) => c.companyId === a.companyId)).toEqual([]);
    expect(stream.text).not.toContain("accountant.removed");

    expect((await t.call("DELETE", `/companies/${b.companyId}/accountants/${accountant.user.id}`, { token: b.token })).status).toBe(204);
    await stream.until("event: end");
    expect(stream.events("end")).toEqual([{ reason: "revoked" }]);
    expect(await stream.done()).toBe(true);
  });

  it("ends when the session is signed out", async () => {
    const t = createTestApp();
    const { a, accountant } = await accountantOfTwo(t);
    const stream = await open(t, `?companies=${a.companyId}`, accountant.token);
    await stream.until(": connected");
    expect((await t.call("POST", "/auth/logout", { token: accountant.token })).status).toBe(204);
    await stream.until("event: end", 3000);
    expect(stream.events("end")).toEqual([{ reason: "signed_out" }]);
    expect(await stream.done()).toBe(true);
  });

  it("GET /changes gives the newest sequence and time of each of the caller's companies, and of no other", async () => {
    const t = createTestApp();
    const { a, b, accountant } = await accountantOfTwo(t);
    await ownerWithCompany(t); // a company the accountant does not belong to
    await issuedInvoice(t, b, "2026-11-02");
    const at = (id: string) =>
      t.deps.db.prepare("SELECT a.at FROM activity a JOIN companies c ON c.id = a.company_id AND a.seq = c.last_seq WHERE c.id = ?").pluck().get(id) as string;
    const res = await t.call("GET", "/changes", { token: accountant.token });
    expect(res.status).toBe(200);
    const expected = [a, b]
      .map((o) => ({ companyId: o.companyId, lastSeq: lastSeq(t, o.companyId), at: at(o.companyId) }))
      .sort((x, y) => x.companyId.localeCompare(y.companyId));
    expect(res.json).toEqual({ items: expected });
    expect(expected.every((x) => x.lastSeq > 0 && x.at === "2026-11-20T10:00:00.000Z")).toBe(true);
    // a key limited to one company sees that company only
    const key = await t.call("POST", "/api-keys", { token: accountant.token, body: { name: "client A", scope: "read", companyId: a.companyId } });
    expect(key.status).toBe(201);
    expect((await t.call("GET", "/changes", { token: key.json.secret })).json).toEqual({ items: expected.filter((x) => x.companyId === a.companyId) });
    expectProblem(await t.call("GET", "/changes"), 401);
  });
});
