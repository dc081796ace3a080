/**
 * The load the fault suites put on a server and what they check after the fault: clients issuing
 * and paying invoices record every write the server acknowledged, and after the fault (the server
 * killed, the database stopped) each of them must still be there, with numbering continuous, chains
 * valid and payments adding up.
 */
import { expect } from "vitest";
import { allPages, api, numberingProblems, randomLines, rng, unbalancedEntries, type Reply } from "./support.js";

export interface Acknowledged {
  drafts: Set<string>;
  issued: Map<string, { number: string; ttcCents: number }>;
  payments: Map<string, { invoiceId: string; amountCents: number }>;
  creditNotes: Map<string, { number: string; invoiceId: string }>;
}

export const acknowledged = (): Acknowledged => ({ drafts: new Set(), issued: new Map(), payments: new Map(), creditNotes: new Map() });

export const finalWrites = (ack: Acknowledged) => ack.issued.size + ack.payments.size + ack.creditNotes.size;

export interface ClientOptions {
  /** A 503 the client is told about instead of counting it unexpected (the database is away); the client goes on. */
  unavailable?: (what: string, reply: Reply) => void;
  /** The client stops once this returns true (otherwise only when its connection fails). */
  stop?: () => boolean;
}

/** One client: draft → issue → (often) pay → (sometimes) credit, until the connection dies or `stop()`. */
export async function client(base: string, token: string, companyId: string, customerIds: string[], seed: number, ack: Acknowledged, unexpected: string[], options: ClientOptions = {}) {
  const r = rng(seed);
  /** Whether the reply is an acknowledged write (`expected`) and not an answer to count. */
  const note = (what: string, reply: Reply) => {
    if (reply.status === 503 && options.unavailable) options.unavailable(what, reply);
    else if (reply.status >= 500 || (reply.status >= 400 && reply.status !== 409)) unexpected.push(`${what}: ${reply.status} ${JSON.stringify(reply.json).slice(0, 300)}`);
  };
  while (!options.stop?.()) {
    try {
      const draft = await api(base, "POST", `/companies/${companyId}/invoices`, { token, body: { customerId: r.pick(customerIds), lines: randomLines(r) } });
      note("draft", draft);
      if (draft.status !== 201) continue;
      ack.drafts.add(draft.json.id);
      const issued = await api(base, "POST", `/companies/${companyId}/invoices/${draft.json.id}/issue`, { token, body: {} });
      note("issue", issued);
      if (issued.status !== 200) continue;
      ack.issued.set(issued.json.id, { number: issued.json.number, ttcCents: issued.json.totals.ttcCents });
      if (r.next() < 0.7) {
        const full = r.next() < 0.6;
        const amountCents = full ? issued.json.totals.ttcCents : Math.max(1, Math.floor(issued.json.totals.ttcCents / 3));
        const paid = await api(base, "POST", `/companies/${companyId}/payments`, {
          token,
          body: { invoiceId: issued.json.id, amountCents, date: issued.json.issueDate, method: r.pick(["transfer", "card", "cheque"]) },
        });
        note("payment", paid);
        if (paid.status === 201) ack.payments.set(paid.json.id, { invoiceId: issued.json.id, amountCents });
        if (!full || r.next() < 0.1) continue;
      }
      if (r.next() < 0.1) {
        const credit = await api(base, "POST", `/companies/${companyId}/invoices/${issued.json.id}/credit-note`, { token, body: {} });
        note("credit note", credit);
        if (credit.status === 201) ack.creditNotes.set(credit.json.id, { number: credit.json.number, invoiceId: issued.json.id });
      }
    } catch {
      // the server was killed: this client stops; told when to stop, it only lost one connection (a keep-alive one the server closed)
      if (!options.stop) return;
    }
  }
}

/** Every acknowledged write is there as acknowledged; numbering, chains, payments and entries hold. */
export async function verifyAcknowledged(base: string, token: string, companyId: string, ack: Acknowledged) {
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
