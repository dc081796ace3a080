/**
 * Two API processes (src/server.ts, as `npm start` runs it) on one PostgreSQL database, driven over
 * HTTP by concurrent clients that each talk to one process or the other, as behind a load balancer:
 *
 * - 50 clients issuing into one company: numbers gapless and unique, following the dates, the chains
 *   valid, /integrity ok on both processes;
 * - payments raced onto one invoice never exceed what is due;
 * - a lock raced with issues never lets a document land in the locked period;
 * - an invitation token raced by several clients is accepted once;
 * - with the webhook dispatcher running in both processes, each event is delivered once;
 * - a change written through one process reaches the event stream and the feeds of the other.
 *
 * PGlite lives inside one process and cannot be shared by two: these tests need a PostgreSQL server.
 * They are part of `npm test` where PASSERELLE_TEST_POSTGRES_URL names one (vitest.config.ts; CI's
 * PostgreSQL 15, or the one of docs/postgresql.md); each run works in a database of its own on it.
 */
import http from "node:http";
import postgres from "postgres";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/db/connection.js";
import { freshDatabase } from "../../src/db/postgres/fresh.js";
import { latestMail, linkToken } from "../access-helpers.js";
import { api, expectOk, numberingProblems, rng, seedCompany, sleep, startServer, stopServer, tempDir, type Reply, type ServerProcess } from "./support.js";

const SERVER_URL = process.env.PASSERELLE_TEST_POSTGRES_URL;
/** The servers' clock starts on this day: every date below is before it. */
const TODAY = "2026-11-28";
const SEED = Number(process.env.PASSERELLE_TEST_SEED ?? Date.now() % 100_000);

let dir: string;
let databaseUrl: string;
let db: Db;
const servers: ServerProcess[] = [];
/** The two processes' addresses: client i talks to `base(i)`. */
const base = (i: number) => servers[i % 2]!.url;

beforeAll(async () => {
  if (!SERVER_URL) throw new Error("PASSERELLE_TEST_POSTGRES_URL must name a PostgreSQL server (vitest.config.ts runs this file only then)");
  dir = tempDir("pg-processes");
  databaseUrl = freshDatabase(SERVER_URL);
  const env = {
    PASSERELLE_DATABASE_URL: databaseUrl,
    PASSERELLE_NOW: `${TODAY}T09:00:00Z`,
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: "1",
    LOGIN_ATTEMPTS: "1000",
    SIGNUPS_PER_ADDRESS: "1000",
  };
  for (let i = 0; i < 2; i++) servers.push(await startServer(dir, env));
  db = openDatabase(databaseUrl);
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => stopServer(s)));
  db?.close();
  // the server drops a database after a checkpoint, slow when many are asked at once: not on the database thread's clock
  if (SERVER_URL && databaseUrl) {
    const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
    await admin.end();
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 180_000);

const LINE = { description: "Prestation", quantity: "1", unitPriceCents: 10_000, vatRateBp: 2000 };

/** A draft through process `i % 2`. */
async function draft(i: number, token: string, companyId: string, customerId: string): Promise<string> {
  const d = await expectOk(api(base(i), "POST", `/companies/${companyId}/invoices`, { token, body: { customerId, lines: [LINE] } }), "draft");
  return d.id as string;
}

/** A new accountant of `owner`'s company (locks are theirs), invited and accepted through the API. */
async function accountantOf(owner: { token: string; companyId: string }): Promise<string> {
  const email = `accountant-${Date.now()}@cabinet.fr`;
  await expectOk(api(base(0), "POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email } }), "invitation");
  const accepted = await expectOk(api(base(1), "POST", "/invitations/accept", { body: { token: linkToken(latestMail(dir)), name: "Expert", password: "expert-comptable 2026" } }), "accept");
  return accepted.token as string;
}

function expectProblem(reply: Reply, status: number, field: string) {
  expect({ status: reply.status, fields: (reply.json?.errors ?? []).map((e: { path: string }) => e.path) }).toEqual({ status, fields: [field] });
}

async function integrityOnBoth(token: string, companyId: string) {
  for (const s of servers) {
    const res = await api(s.url, "GET", `/companies/${companyId}/integrity`, { token });
    expect(res.status).toBe(200);
    expect({ ok: res.json.ok, chain: res.json.chain, numbering: res.json.numbering, problems: res.json.problems }).toEqual({ ok: true, chain: "valid", numbering: "continuous", problems: [] });
  }
}

// many clients at once on two processes of a shared, loaded machine: more time than a unit test's
describe("two API processes on one PostgreSQL database", { timeout: 120_000 }, () => {
  it(`50 clients issue into one company through both: numbers gapless, unique and in date order, chains valid (seed ${SEED})`, async () => {
    const r = rng(SEED);
    const owner = await seedCompany(base(0), dir, "numbering", 1);
    const clients = Array.from({ length: 50 }, (_, i) => i);
      // each client: a draft through its process, issued through the other, half of them dated today, the others earlier
      const drafts = await Promise.all(clients.map((_, i) => draft(i, owner.token, owner.companyId, owner.customerIds[0]!)));
      const dates = drafts.map((_, i) => (i % 2 === 0 ? TODAY : `2026-11-${String(r.int(2, 27)).padStart(2, "0")}`));
      const replies = await Promise.all(
        clients.map((_, i) =>
          api(base(i + 1), "POST", `/companies/${owner.companyId}/invoices/${drafts[i]}/issue`, { token: owner.token, body: { issueDate: dates[i] } }),
        ),
      );
      const issued = replies.flatMap((reply, i) => (reply.status === 200 ? [{ id: drafts[i]!, number: reply.json.number as string, date: dates[i]! }] : []));
      // an earlier date refused once a later one was issued: numbering follows dates, nothing else refuses
      for (const [i, reply] of replies.entries()) {
        if (reply.status === 200) continue;
        expectProblem(reply, 409, "issueDate");
        expect(dates[i]).not.toBe(TODAY);
      }
      expect(issued.length).toBeGreaterThanOrEqual(25);

      const numbers = issued.map((x) => x.number);
      expect(new Set(numbers).size).toBe(numbers.length);
      expect(numberingProblems(numbers)).toEqual([]);
      const rows = db
        .prepare("SELECT id, number, issue_date FROM invoices WHERE company_id = ? AND number IS NOT NULL ORDER BY series_counter")
        .all(owner.companyId) as { id: string; number: string; issue_date: string }[];
      expect(rows.map((x) => x.number)).toEqual(Array.from({ length: issued.length }, (_, i) => `F2026-${String(i + 1).padStart(5, "0")}`));
      expect(rows.map((x) => x.issue_date)).toEqual(rows.map((x) => x.issue_date).sort());
      expect(new Map(rows.map((x) => [x.id, x.number]))).toEqual(new Map(issued.map((x) => [x.id, x.number])));
      // a refused issue left its draft as it was
      expect(db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND status = 'draft'").pluck().get(owner.companyId)).toBe(50 - issued.length);
      expect(db.prepare("SELECT position FROM record_chain WHERE company_id = ? ORDER BY position").pluck().all(owner.companyId)).toEqual(rows.map((_, i) => i + 1));
      await integrityOnBoth(owner.token, owner.companyId);
  });

  it("payments raced onto one invoice through both processes never exceed what is due", async () => {
    const owner = await seedCompany(base(0), dir, "payments", 1);
    const id = await draft(0, owner.token, owner.companyId, owner.customerIds[0]!);
    const invoice = await expectOk(api(base(1), "POST", `/companies/${owner.companyId}/invoices/${id}/issue`, { token: owner.token, body: {} }), "issue");
    expect(invoice.totals.ttcCents).toBe(12_000);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api(base(i), "POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId: id, amountCents: 3_000, date: TODAY, method: "transfer" } }),
      ),
    );
    expect(replies.filter((x) => x.status === 201)).toHaveLength(4);
    for (const reply of replies.filter((x) => x.status !== 201)) expectProblem(reply, 409, "amountCents");
    expect(db.prepare("SELECT paid_cents FROM invoices WHERE id = ?").pluck().get(id)).toBe(12_000);
    expect(db.prepare("SELECT SUM(amount_cents) FROM payments WHERE invoice_id = ?").pluck().get(id)).toBe(12_000);
    const after = await expectOk(api(base(0), "GET", `/companies/${owner.companyId}/invoices/${id}`, { token: owner.token }), "invoice");
    expect({ status: after.status, paid: after.paidCents }).toEqual({ status: "paid", paid: 12_000 });
    await integrityOnBoth(owner.token, owner.companyId);
  });

  it("a lock raced with issues through both processes never lets a document land in the locked period", async () => {
    const owner = await seedCompany(base(0), dir, "lock-race", 1);
    const accountant = await accountantOf(owner);
    const UNTIL = "2026-11-20";
    const drafts = await Promise.all(Array.from({ length: 30 }, (_, i) => draft(i, owner.token, owner.companyId, owner.customerIds[0]!)));
    const issue = (i: number) => api(base(i), "POST", `/companies/${owner.companyId}/invoices/${drafts[i]}/issue`, { token: owner.token, body: { issueDate: UNTIL } });
    // half the issues, the lock, the other half: sent at once, answered in whatever order the processes commit
    const first = drafts.slice(0, 15).map((_, i) => issue(i));
    const lock = api(base(1), "POST", `/companies/${owner.companyId}/locks`, { token: accountant, body: { until: UNTIL, kind: "soft" } });
    const second = drafts.slice(15).map((_, i) => issue(15 + i));
    const replies = await Promise.all([...first, ...second]);
    expect((await lock).status).toBe(201);
    // an issue after the lock is refused as a write into a locked period
    for (const reply of replies.filter((x) => x.status !== 200)) expectProblem(reply, 409, "date");

    // every document dated in the locked period was committed before the lock
    const lockSeq = db.prepare("SELECT seq FROM activity WHERE company_id = ? AND action = 'period.locked'").pluck().get(owner.companyId) as number;
    const issuedSeqs = db.prepare("SELECT seq FROM activity WHERE company_id = ? AND action = 'invoice.issued' AND record_date <= ?").pluck().all(owner.companyId, UNTIL) as number[];
    expect(issuedSeqs.filter((seq) => seq > lockSeq)).toEqual([]);
    expect(issuedSeqs).toHaveLength(replies.filter((x) => x.status === 200).length);
    expect(db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND number IS NOT NULL").pluck().get(owner.companyId)).toBe(issuedSeqs.length);
    await integrityOnBoth(owner.token, owner.companyId);
  });

  it("an invitation token raced by ten clients through both processes is accepted once", async () => {
    const owner = await seedCompany(base(0), dir, "invitation", 0);
    const email = `race-${Date.now()}@cabinet.fr`;
    const invitation = await expectOk(api(base(1), "POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email } }), "invitation");
    const mail = latestMail(dir);
    expect(mail.to).toContain(email);
    const token = linkToken(mail);
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api(base(i), "POST", "/invitations/accept", { body: { token, name: `Expert ${i}`, password: "expert-comptable 2026" } })),
    );
    const accepted = replies.filter((x) => x.status === 200);
    expect(accepted).toHaveLength(1);
    for (const reply of replies.filter((x) => x.status !== 200)) expect([reply.status, reply.json?.status]).toEqual([410, 410]);
    expect(db.prepare("SELECT COUNT(*) FROM users WHERE email = ?").pluck().get(email)).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? AND m.company_id = ?").pluck().get(email, owner.companyId)).toBe(1);
    expect(db.prepare("SELECT consumed_at IS NOT NULL FROM invitations WHERE id = ?").pluck().get(invitation.id)).toBe(1);
  });

  it("with the dispatcher running in both processes, each webhook event is delivered once", async () => {
    const received: { delivery: string; seq: number }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c));
      req.on("end", () => {
        received.push({ delivery: String(req.headers["x-passerelle-delivery"]), seq: JSON.parse(body).seq });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const owner = await seedCompany(base(0), dir, "webhooks", 1);
      const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
      await expectOk(api(base(1), "POST", `/companies/${owner.companyId}/webhooks`, { token: owner.token, body: { url, events: ["invoice.issued"] } }), "webhook");
      const drafts = await Promise.all(Array.from({ length: 20 }, (_, i) => draft(i, owner.token, owner.companyId, owner.customerIds[0]!)));
      const issued = await Promise.all(drafts.map((id, i) => expectOk(api(base(i + 1), "POST", `/companies/${owner.companyId}/invoices/${id}/issue`, { token: owner.token, body: {} }), "issue")));
      const deadline = Date.now() + 60_000;
      while (received.length < issued.length && Date.now() < deadline) await sleep(50);
      const waited = Date.now() - (deadline - 60_000);
      await sleep(1_500); // both dispatchers woken by every issue: time for a second delivery to show up, were there one
      const seqs = db.prepare("SELECT seq FROM activity WHERE company_id = ? AND action = 'invoice.issued' ORDER BY seq").pluck().all(owner.companyId) as number[];
      expect(received.map((x) => x.seq).sort((a, b) => a - b), `received after ${waited} ms`).toEqual(seqs);
      expect(new Set(received.map((x) => x.delivery)).size).toBe(20);
      expect(db.prepare("SELECT status, attempts, COUNT(*) AS n FROM webhook_deliveries WHERE company_id = ? GROUP BY status, attempts").all(owner.companyId)).toEqual([
        { status: "delivered", attempts: 1, n: 20 },
      ]);
    } finally {
      receiver.close();
    }
  });

  it("a change written through one process reaches the other's event stream, /changes and the feed of changes", async () => {
    const owner = await seedCompany(base(0), dir, "live", 1);
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const events: { at: number; data: { seq: number; id: string; action: string } }[] = [];
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const stream = http.get(`${b.url}/api/v1/companies/${owner.companyId}/events`, { headers: { authorization: `Bearer ${owner.token}`, accept: "text/event-stream" } }, (res) => {
      expect(res.statusCode).toBe(200);
      let buffer = "";
      res.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        if (buffer.includes(": connected to")) connected();
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: change\ndata: (.*)$/m.exec(message)?.[1];
          if (data) events.push({ at: performance.now(), data: JSON.parse(data) });
        }
      });
      res.on("error", () => {});
    });
    stream.on("error", () => {});
    try {
      await ready;
      const since = (await expectOk(api(b.url, "GET", `/companies/${owner.companyId}/changes`, { token: owner.token }), "changes")).lastSeq as number;
      const delays: number[] = [];
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const id = await draft(0, owner.token, owner.companyId, owner.customerIds[0]!);
        const sent = performance.now();
        await expectOk(api(a.url, "POST", `/companies/${owner.companyId}/invoices/${id}/issue`, { token: owner.token, body: {} }), "issue");
        ids.push(id);
        const deadline = Date.now() + 10_000;
        let event: (typeof events)[number] | undefined;
        while (!(event = events.find((e) => e.data.id === id && e.data.action === "invoice.issued")) && Date.now() < deadline) await sleep(2);
        expect(event, `invoice.issued of ${id} on process B's stream`).toBeDefined();
        delays.push(event!.at - sent);
      }
      console.log(`issued through A, on B's event stream after (ms): ${delays.map((d) => d.toFixed(0)).join(" ")}`);
      // every write of A, in order, each once: a draft and its issue per invoice
      expect(events.map((e) => e.data.seq)).toEqual(Array.from({ length: 20 }, (_, i) => since + i + 1));
      expect(events.filter((e) => e.data.action === "invoice.issued").map((e) => e.data.id)).toEqual(ids);

      const feed = await expectOk(api(b.url, "GET", `/companies/${owner.companyId}/changes?since=${since}`, { token: owner.token }), "changes");
      expect({ seqs: feed.items.map((x: { seq: number }) => x.seq), lastSeq: feed.lastSeq, hasMore: feed.hasMore }).toEqual({
        seqs: events.map((e) => e.data.seq),
        lastSeq: since + 20,
        hasMore: false,
      });
      const portfolio = await expectOk(api(b.url, "GET", "/changes", { token: owner.token }), "portfolio");
      expect(portfolio.items.map((x: { companyId: string; lastSeq: number }) => [x.companyId, x.lastSeq])).toEqual([[owner.companyId, since + 20]]);
    } finally {
      stream.destroy();
    }
  });
});
