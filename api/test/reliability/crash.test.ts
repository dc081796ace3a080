/**
 * Crash safety: a real server under concurrent issuing and payment load is killed with SIGKILL at a
 * random moment, several times over the same data directory. After each restart every write the
 * server acknowledged (2xx) is still there, numbering has no gap and no duplicate, the hash chains
 * verify and every accounting entry balances.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  allPages,
  api,
  numberingProblems,
  randomLines,
  rng,
  seedCompany,
  sleep,
  startServer,
  stopServer,
  tempDir,
  unbalancedEntries,
  type ServerProcess,
} from "./support.js";
import fs from "node:fs";

const ROUNDS = Number(process.env.RELIABILITY_CRASH_ROUNDS ?? 3);
const WORKERS = 8;
const SEED = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);

interface Acknowledged {
  drafts: Set<string>;
  issued: Map<string, { number: string; ttcCents: number }>;
  payments: Map<string, { invoiceId: string; amountCents: number }>;
  creditNotes: Map<string, { number: string; invoiceId: string }>;
}

/** One client: draft → issue → (often) pay → (sometimes) credit, until the connection dies. */
async function client(base: string, token: string, companyId: string, customerIds: string[], seed: number, ack: Acknowledged, unexpected: string[]) {
  const r = rng(seed);
  const note = (what: string, status: number, body: unknown) => {
    if (status >= 500 || (status >= 400 && status !== 409)) unexpected.push(`${what}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
  };
  try {
    for (;;) {
      const draft = await api(base, "POST", `/companies/${companyId}/invoices`, { token, body: { customerId: r.pick(customerIds), lines: randomLines(r) } });
      note("draft", draft.status, draft.json);
      if (draft.status !== 201) continue;
      ack.drafts.add(draft.json.id);
      const issued = await api(base, "POST", `/companies/${companyId}/invoices/${draft.json.id}/issue`, { token, body: {} });
      note("issue", issued.status, issued.json);
      if (issued.status !== 200) continue;
      ack.issued.set(issued.json.id, { number: issued.json.number, ttcCents: issued.json.totals.ttcCents });
      if (r.next() < 0.7) {
        const full = r.next() < 0.6;
        const amountCents = full ? issued.json.totals.ttcCents : Math.max(1, Math.floor(issued.json.totals.ttcCents / 3));
        const paid = await api(base, "POST", `/companies/${companyId}/payments`, {
          token,
          body: { invoiceId: issued.json.id, amountCents, date: issued.json.issueDate, method: r.pick(["transfer", "card", "cheque"]) },
        });
        note("payment", paid.status, paid.json);
        if (paid.status === 201) ack.payments.set(paid.json.id, { invoiceId: issued.json.id, amountCents });
        if (!full || r.next() < 0.1) continue;
      }
      if (r.next() < 0.1) {
        const credit = await api(base, "POST", `/companies/${companyId}/invoices/${issued.json.id}/credit-note`, { token, body: {} });
        note("credit note", credit.status, credit.json);
        if (credit.status === 201) ack.creditNotes.set(credit.json.id, { number: credit.json.number, invoiceId: issued.json.id });
      }
    }
  } catch {
    // the server was killed: this client stops
  }
}

async function verifyAfterRestart(server: ServerProcess, token: string, companyId: string, ack: Acknowledged) {
  const base = server.url;
  const invoices = await allPages(base, token, `/companies/${companyId}/invoices`);
  const byId = new Map(invoices.map((i) => [i.id as string, i]));
  expect(byId.size).toBe(invoices.length); // no row served twice

  const lostDrafts = [...ack.drafts].filter((id) => !byId.has(id));
  expect(lostDrafts).toEqual([]);
  const wrongIssued = [...ack.issued].filter(([id, a]) => byId.get(id)?.number !== a.number || byId.get(id)?.totals.ttcCents !== a.ttcCents);
  expect(wrongIssued).toEqual([]);
  const wrongCredit = [...ack.creditNotes].filter(([id, a]) => byId.get(id)?.number !== a.number || byId.get(id)?.creditedInvoiceId !== a.invoiceId);
  expect(wrongCredit).toEqual([]);

  const payments = await allPages(base, token, `/companies/${companyId}/payments`);
  const paymentsById = new Map(payments.map((p) => [p.id as string, p]));
  const lostPayments = [...ack.payments].filter(([id, a]) => paymentsById.get(id)?.amountCents !== a.amountCents || paymentsById.get(id)?.invoiceId !== a.invoiceId);
  expect(lostPayments).toEqual([]);
  // paid amounts on invoices agree with the payments stored
  const paidByInvoice = new Map<string, number>();
  for (const p of payments) paidByInvoice.set(p.invoiceId, (paidByInvoice.get(p.invoiceId) ?? 0) + p.amountCents);
  const disagree = invoices.filter((i) => i.type === "invoice" && i.paidCents !== (paidByInvoice.get(i.id) ?? 0));
  expect(disagree.map((i) => i.number)).toEqual([]);

  const numbers = invoices.filter((i) => i.number).map((i) => i.number as string);
  expect(new Set(numbers).size).toBe(numbers.length);
  expect(numberingProblems(numbers)).toEqual([]);

  const integrity = await api(base, "GET", `/companies/${companyId}/integrity`, { token });
  expect(integrity.status).toBe(200);
  expect(integrity.json).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", problems: [] });

  const entries = await unbalancedEntries(base, token, companyId);
  if (entries) expect(entries.problems).toEqual([]);
  return { invoices: invoices.length, issued: numbers.length, payments: payments.length, entries: entries?.checked ?? null };
}

describe("crash: SIGKILL under concurrent writes", () => {
  const dataDir = tempDir("crash");
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(`keeps every acknowledged write, numbering and chains across ${ROUNDS} kills (seed ${SEED})`, { timeout: 180_000 }, async () => {
    const r = rng(SEED);
    let server = await startServer(dataDir);
    const { token, companyId, customerIds } = await seedCompany(server.url, dataDir, "Crash");
    const ack: Acknowledged = { drafts: new Set(), issued: new Map(), payments: new Map(), creditNotes: new Map() };
    const unexpected: string[] = [];
    const report: string[] = [];

    for (let round = 1; round <= ROUNDS; round++) {
      const before = ack.issued.size + ack.payments.size + ack.creditNotes.size;
      const clients = Array.from({ length: WORKERS }, (_, w) => client(server.url, token, companyId, customerIds, SEED * 100 + round * 10 + w, ack, unexpected));
      const killAfter = r.int(300, 2500);
      await sleep(killAfter);
      server.child.kill("SIGKILL");
      const exit = await server.exited;
      expect(exit.signal).toBe("SIGKILL");
      await Promise.all(clients);

      server = await startServer(dataDir);
      const counts = await verifyAfterRestart(server, token, companyId, ack);
      report.push(
        `round ${round}: killed after ${killAfter} ms, ${ack.issued.size + ack.payments.size + ack.creditNotes.size - before} acknowledged final writes in the round; ` +
          `after restart ${counts.issued} numbered documents, ${counts.payments} payments${counts.entries === null ? "" : `, ${counts.entries} entries balanced`}`,
      );
    }
    await stopServer(server);
    console.log(`[reliability] crash (seed ${SEED}, ${WORKERS} concurrent clients)\n  ${report.join("\n  ")}`);
    expect(unexpected).toEqual([]);
    expect(ack.issued.size).toBeGreaterThan(ROUNDS * 5);
    expect(ack.payments.size).toBeGreaterThan(0);
  });
});
