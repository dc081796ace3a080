import { describe, expect, it } from "vitest";
import { PRODUCT, createTestApp, expectProblem, ownerWithCompany, type TestApp } from "./helpers.js";
import { accountantOf } from "./accounting-helpers.js";
import { download, unzip } from "./export-support.js";
import { outbox } from "./access-helpers.js";
import { pdfText } from "./pdf-text.js";
import { scenario } from "./export-scenario.js";
import { acceptedQuoteAmounts } from "../src/services/quotes.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

const LINES = [
  { description: "Dépose et pose de 12 suspensions", quantity: "12", unitPriceCents: 4550, vatRateBp: 1000, kind: "services" as const },
  { description: "Suspension laiton", quantity: "3", unitPriceCents: 18900, vatRateBp: 2000, discountCents: 1000, kind: "goods" as const },
];

async function quoteDraft(t: TestApp, o: Owner, body: object = {}) {
  const res = await t.call("POST", `/companies/${o.companyId}/quotes`, { token: o.token, body: { customerId: o.customerId, lines: LINES, ...body } });
  if (res.status !== 201) throw new Error(`quote: ${res.text}`);
  return res.json;
}

async function issuedQuote(t: TestApp, o: Owner, body: object = {}, issue: object = {}) {
  const draft = await quoteDraft(t, o, body);
  const res = await t.call("POST", `/companies/${o.companyId}/quotes/${draft.id}/issue`, { token: o.token, body: issue });
  if (res.status !== 200) throw new Error(`issue: ${res.text}`);
  return res.json;
}

const post = (t: TestApp, o: { token: string; companyId: string }, path: string, body: object = {}) => t.call("POST", `/companies/${o.companyId}/quotes${path}`, { token: o.token, body });

describe("quotes", () => {
  it("creates a draft with invoice-style lines and totals: per-rate VAT on the sum of rounded line nets", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const quote = await quoteDraft(t, o, { notes: "Travaux en janvier", validUntil: "2026-12-31" });
    expect(quote).toEqual({
      id: expect.any(String),
      number: null,
      status: "draft",
      issueDate: null,
      validUntil: "2026-12-31",
      customer: { id: o.customerId, code: "C0001", name: "Boulangerie Dupont" },
      lines: [
        { id: expect.any(String), position: 1, productId: null, description: "Dépose et pose de 12 suspensions", quantity: "12", unitPriceCents: 4550, vatRateBp: 1000, discountCents: 0, kind: "services", unit: null, netCents: 54600 },
        { id: expect.any(String), position: 2, productId: null, description: "Suspension laiton", quantity: "3", unitPriceCents: 18900, vatRateBp: 2000, discountCents: 1000, kind: "goods", unit: null, netCents: 55700 },
      ],
      totals: {
        htCents: 110300,
        vatCents: 16600,
        ttcCents: 126900,
        byRate: [
          { vatRateBp: 2000, baseCents: 55700, vatCents: 11140 },
          { vatRateBp: 1000, baseCents: 54600, vatCents: 5460 },
        ],
      },
      notes: "Travaux en janvier",
      vatExemption: null,
      decidedOn: null,
      invoiceId: null,
      invoiceNumber: null,
      orderId: null,
      duplicatedFromId: null,
      createdAt: "2026-11-20T10:00:00.000Z",
      issuedAt: null,
    });
    const product = (await t.call("POST", `/companies/${o.companyId}/products`, { token: o.token, body: PRODUCT })).json;
    const patched = await t.call("PATCH", `/companies/${o.companyId}/quotes/${quote.id}`, { token: o.token, body: { lines: [{ productId: product.id, quantity: "2" }], notes: null } });
    expect(patched.status).toBe(200);
    expect(patched.json.lines.map((l: any) => [l.description, l.netCents, l.kind])).toEqual([["Suspension laiton", 37800, "goods"]]);
    expect(patched.json.totals).toEqual({ htCents: 37800, vatCents: 7560, ttcCents: 45360, byRate: [{ vatRateBp: 2000, baseCents: 37800, vatCents: 7560 }] });
    expect(patched.json.notes).toBeNull();
  });

  it("issues quotes in their own gapless series D2026-00001, D2026-00002, valid 30 days unless told, leaving the invoice series alone", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const first = await issuedQuote(t, o, {}, { issueDate: "2026-11-18" });
    expect([first.number, first.status, first.issueDate, first.validUntil, first.issuedAt]).toEqual(["D2026-00001", "issued", "2026-11-18", "2026-12-18", "2026-11-20T10:00:00.000Z"]);
    const second = await issuedQuote(t, o, { validUntil: "2026-11-30" });
    expect([second.number, second.issueDate, second.validUntil]).toEqual(["D2026-00002", "2026-11-20", "2026-11-30"]);
    const counters = t.deps.db.prepare("SELECT series_key, last_counter FROM number_series WHERE company_id = ? ORDER BY series_key").raw().all(o.companyId);
    expect(counters).toEqual([["D2026", 2], ["customer", 1]]);
    // an issued quote is final
    expectProblem(await t.call("PATCH", `/companies/${o.companyId}/quotes/${first.id}`, { token: o.token, body: { notes: "x" } }), 409);
    expectProblem(await t.call("DELETE", `/companies/${o.companyId}/quotes/${first.id}`, { token: o.token }), 409);
    expectProblem(await post(t, o, `/${first.id}/issue`), 409);
    // numbering follows dates
    const late = await quoteDraft(t, o);
    expectProblem(await post(t, o, `/${late.id}/issue`, { issueDate: "2026-11-17" }), 409, "issueDate");
    expectProblem(await post(t, o, `/${late.id}/issue`, { issueDate: "2026-11-21" }), 422, "issueDate");
    expect(t.deps.db.prepare("SELECT last_counter FROM number_series WHERE company_id = ? AND series_key = 'D2026'").pluck().get(o.companyId)).toBe(2);
  });

  it("refuses bad input with 422 naming the field, and changes nothing", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    expectProblem(await post(t, o, "", { customerId: o.customerId, lines: LINES, issueDate: "2026-11-10", validUntil: "2026-11-09" }), 422, "validUntil");
    expectProblem(await post(t, o, "", { customerId: o.customerId, lines: [] }), 422, "lines");
    expectProblem(await post(t, o, "", { customerId: "nope", lines: LINES }), 422, "customerId");
    expectProblem(await post(t, o, "", { customerId: o.customerId, lines: LINES, validUntil: "2026-02-30" }), 422, "validUntil");
    const draft = await quoteDraft(t, o);
    expectProblem(await post(t, o, `/${draft.id}/issue`, { issueDate: "2026-11-10", validUntil: "2026-11-01" }), 422, "validUntil");
    expectProblem(await post(t, o, `/${draft.id}/accept`), 409);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM quotes").pluck().get()).toBe(1);
  });

  it("records the customer's answer: accepted while the offer holds, refused any time; an issued quote past its validity is expired", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const a = await issuedQuote(t, o, { validUntil: "2026-11-25" }, { issueDate: "2026-11-10" });
    const b = await issuedQuote(t, o, { validUntil: "2026-11-15" }, { issueDate: "2026-11-10" });
    const c = await issuedQuote(t, o, { validUntil: "2026-11-15" }, { issueDate: "2026-11-10" });
    expect((await t.call("GET", `/companies/${o.companyId}/quotes/${b.id}`, { token: o.token })).json.status).toBe("expired");
    const accepted = await post(t, o, `/${a.id}/accept`, { date: "2026-11-19" });
    expect([accepted.status, accepted.json.status, accepted.json.decidedOn]).toEqual([200, "accepted", "2026-11-19"]);
    expectProblem(await post(t, o, `/${a.id}/refuse`), 409);
    expectProblem(await post(t, o, `/${b.id}/accept`), 409, "date");
    // an answer given in time is recorded late
    expect((await post(t, o, `/${b.id}/accept`, { date: "2026-11-14" })).json.status).toBe("accepted");
    expectProblem(await post(t, o, `/${c.id}/refuse`, { date: "2026-11-09" }), 422, "date");
    expectProblem(await post(t, o, `/${c.id}/refuse`, { date: "2026-11-21" }), 422, "date");
    const refused = await post(t, o, `/${c.id}/refuse`);
    expect([refused.json.status, refused.json.decidedOn]).toEqual(["refused", "2026-11-20"]);
    const list = (s: string) => t.call("GET", `/companies/${o.companyId}/quotes?status=${s}`, { token: o.token }).then((r) => r.json.items.map((q: any) => q.number));
    expect(await list("accepted")).toEqual(["D2026-00002", "D2026-00001"]);
    expect(await list("refused")).toEqual(["D2026-00003"]);
    const d = await issuedQuote(t, o, { validUntil: "2026-11-19" }, { issueDate: "2026-11-11" });
    const e = await issuedQuote(t, o, {}, { issueDate: "2026-11-12" });
    expect(await list("expired")).toEqual([d.number]);
    expect(await list("issued")).toEqual([e.number]);
    expect((await t.call("GET", `/companies/${o.companyId}/quotes?q=D2026-0000`, { token: o.token })).json.items).toHaveLength(5);
  });

  it("lists newest first in pages: issued quotes by date, drafts by creation, a cursor to the next page", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await issuedQuote(t, o, {}, { issueDate: "2026-11-02" });
    await issuedQuote(t, o, {}, { issueDate: "2026-11-03" });
    await issuedQuote(t, o, {}, { issueDate: "2026-11-03" });
    await quoteDraft(t, o);
    const first = await t.call("GET", `/companies/${o.companyId}/quotes?limit=3`, { token: o.token });
    expect(first.json.items.map((q: any) => q.number)).toEqual([null, "D2026-00003", "D2026-00002"]);
    const second = await t.call("GET", `/companies/${o.companyId}/quotes?limit=3&cursor=${first.json.nextCursor}`, { token: o.token });
    expect([second.json.items.map((q: any) => q.number), second.json.nextCursor]).toEqual([["D2026-00001"], null]);
    const byCustomer = await t.call("GET", `/companies/${o.companyId}/quotes?from=2026-11-03&to=2026-11-03&customerId=${o.customerId}`, { token: o.token });
    expect(byCustomer.json.items.map((q: any) => q.number)).toEqual(["D2026-00003", "D2026-00002"]);
  });

  it("duplicates any quote into a new undated draft, and turns an accepted one into a draft invoice once, the quote keeping the link", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const quote = await issuedQuote(t, o, { notes: "Travaux en janvier" }, { issueDate: "2026-11-10" });
    const copy = await post(t, o, `/${quote.id}/duplicate`);
    expect(copy.status).toBe(201);
    expect([copy.json.status, copy.json.number, copy.json.issueDate, copy.json.validUntil, copy.json.duplicatedFromId, copy.json.notes, copy.json.totals.ttcCents]).toEqual([
      "draft",
      null,
      null,
      null,
      quote.id,
      "Travaux en janvier",
      126900,
    ]);
    expect(copy.json.lines.map((l: any) => l.description)).toEqual(quote.lines.map((l: any) => l.description));
    expectProblem(await post(t, o, `/${quote.id}/invoice`), 409);
    await post(t, o, `/${quote.id}/accept`, { date: "2026-11-12" });
    const invoice = await post(t, o, `/${quote.id}/invoice`);
    expect(invoice.status).toBe(201);
    expect([invoice.json.type, invoice.json.status, invoice.json.number, invoice.json.customer.id]).toEqual(["invoice", "draft", null, o.customerId]);
    expect(invoice.json.notes).toBe("Travaux en janvier\n\nSelon notre devis D2026-00001 du 10/11/2026, accepté le 12/11/2026.");
    expect(invoice.json.lines.map((l: any) => [l.description, l.quantity, l.unitPriceCents, l.vatRateBp, l.discountCents, l.kind, l.netCents])).toEqual([
      ["Dépose et pose de 12 suspensions", "12", 4550, 1000, 0, "services", 54600],
      ["Suspension laiton", "3", 18900, 2000, 1000, "goods", 55700],
    ]);
    expect(invoice.json.totals).toEqual(quote.totals);
    expectProblem(await post(t, o, `/${quote.id}/invoice`), 409);
    const issued = await t.call("POST", `/companies/${o.companyId}/invoices/${invoice.json.id}/issue`, { token: o.token, body: {} });
    const linked = (await t.call("GET", `/companies/${o.companyId}/quotes/${quote.id}`, { token: o.token })).json;
    expect([linked.invoiceId, linked.invoiceNumber, issued.json.number]).toEqual([invoice.json.id, "F2026-00001", "F2026-00001"]);
    expect((await post(t, o, `/${quote.id}/invoice`)).json.detail).toBe("Quote D2026-00001 is already invoiced by F2026-00001.");
  });

  it("frees the quote when the draft invoice made from it is deleted", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const quote = await issuedQuote(t, o);
    await post(t, o, `/${quote.id}/accept`);
    const invoice = (await post(t, o, `/${quote.id}/invoice`)).json;
    expect((await t.call("DELETE", `/companies/${o.companyId}/invoices/${invoice.id}`, { token: o.token })).status).toBe(204);
    expect((await t.call("GET", `/companies/${o.companyId}/quotes/${quote.id}`, { token: o.token })).json.invoiceId).toBeNull();
    expect((await post(t, o, `/${quote.id}/invoice`)).status).toBe(201);
  });

  it("gives an accepted quote's lines and per-rate totals to whatever invoices it (a deposit), and nothing for another state", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const quote = await issuedQuote(t, o);
    expect(() => acceptedQuoteAmounts(t.deps.db, o.companyId, quote.id)).toThrow("not accepted yet");
    await post(t, o, `/${quote.id}/accept`);
    const amounts = acceptedQuoteAmounts(t.deps.db, o.companyId, quote.id);
    expect({ ...amounts, lines: amounts.lines.map((l) => l.netCents) }).toEqual({
      quoteId: quote.id,
      number: "D2026-00001",
      customerId: o.customerId,
      vatExemption: null,
      lines: [54600, 55700],
      totals: quote.totals,
    });
    const other = await ownerWithCompany(t);
    expect(() => acceptedQuoteAmounts(t.deps.db, other.companyId, quote.id)).toThrow("does not exist");
  });

  it("shows quotes to the company's accountant read-only, and to nobody else", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const quote = await issuedQuote(t, o);
    const accountant = { ...(await accountantOf(t, o.companyId)), companyId: o.companyId };
    const seen = await t.call("GET", `/companies/${o.companyId}/quotes`, { token: accountant.token });
    expect(seen.json.items.map((q: any) => q.number)).toEqual(["D2026-00001"]);
    expect((await t.call("GET", `/companies/${o.companyId}/quotes/${quote.id}`, { token: accountant.token })).json.number).toBe("D2026-00001");
    expectProblem(await post(t, accountant, `/${quote.id}/accept`), 403);
    expectProblem(await post(t, accountant, "", { customerId: o.customerId, lines: LINES }), 403);
    expectProblem(await post(t, accountant, `/${quote.id}/duplicate`), 403);
    const stranger = await ownerWithCompany(t);
    expectProblem(await t.call("GET", `/companies/${o.companyId}/quotes/${quote.id}`, { token: stranger.token }), 404);
    expectProblem(await t.call("GET", `/companies/${stranger.companyId}/quotes/${quote.id}`, { token: stranger.token }), 404);
    expect(t.deps.db.prepare("SELECT status FROM quotes").pluck().all()).toEqual(["issued"]);
  });

  it("is never in the sales journal, the entries or the FEC: they are byte for byte the same with quotes issued, accepted and refused", async () => {
    const { t, o, accountant } = await scenario();
    const outputs = async () =>
      Promise.all(
        [
          "/sales-journal?from=2026-10-01&to=2026-11-30",
          "/entries?from=2026-10-01&to=2026-11-30",
          "/exports/fec?from=2026-10-01&to=2026-11-30",
          "/exports/sales-journal.csv?from=2026-10-01&to=2026-11-30",
          "/invoices?from=2026-10-01&to=2026-11-30",
        ].map(async (path) => {
          const res = await download(t, `/companies/${o.companyId}${path}`, accountant.token);
          expect(res.status, path).toBe(200);
          return res.bytes.toString("base64");
        }),
      );
    const before = await outputs();
    const accepted = await issuedQuote(t, o, {}, { issueDate: "2026-11-20" });
    await post(t, o, `/${accepted.id}/accept`);
    const refused = await issuedQuote(t, o, {}, { issueDate: "2026-11-20" });
    await post(t, o, `/${refused.id}/refuse`);
    await issuedQuote(t, o, {}, { issueDate: "2026-11-20" });
    await quoteDraft(t, o);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM quotes WHERE company_id = ?").pluck().get(o.companyId)).toBe(4);
    expect(await outputs()).toEqual(before);
  });
});

describe("quote documents", () => {
  it("prints a quote as PDF with its number, date, validity, totals and a « Bon pour accord » box; a draft prints as a draft", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const draft = await quoteDraft(t, o);
    const draftPdf = await download(t, `/companies/${o.companyId}/quotes/${draft.id}/pdf`, o.token);
    expect([draftPdf.status, draftPdf.headers.get("content-type")]).toEqual([200, "application/pdf"]);
    const draftText = (await pdfText(draftPdf.bytes)).flat();
    expect(draftText).toContain("Document provisoire, sans numéro : ce n'est pas un devis.");
    expect(draftText.some((s) => s.startsWith("Bon pour accord"))).toBe(false);
    const quote = await issuedQuote(t, o, { notes: "Travaux en janvier" }, { issueDate: "2026-11-18", validUntil: "2026-12-18" });
    const pdf = await download(t, `/companies/${o.companyId}/quotes/${quote.id}/pdf`, o.token);
    expect(pdf.headers.get("content-disposition")).toMatch(/^inline; filename="D2026-00001.pdf"/);
    const pages = await pdfText(pdf.bytes);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    for (const expected of [
      "DEVIS",
      "Devis n° :",
      "D2026-00001",
      "Date du devis :",
      "18/11/2026",
      "Valable jusqu'au :",
      "18/12/2026",
      "CLIENT",
      "Boulangerie Dupont",
      "Total HT",
      "1 103,00 €",
      "Total TTC",
      "1 269,00 €",
      "Travaux en janvier",
      "Devis D2026-00001 — page 1 / 1",
    ]) {
      expect(text.map((s) => s.replace(/\u00a0|\u202f/g, " ")), expected).toContain(expected);
    }
    expect(text.join(" ")).toContain("Devis gratuit, valable jusqu'au 18/12/2026. Les prix sont fermes pendant cette durée ; passé cette date, un nouveau devis sera établi.");
    expect(text.join(" ")).toContain("Bon pour accord — date, signature et cachet du client, précédés de la mention manuscrite « Bon pour accord » :");
    // what an invoice prints and a quote must not: no due date, no payment terms
    expect(text.join("\n")).not.toMatch(/échéance|Pénalités|indemnité forfaitaire|IBAN/i);
  });

  it("sends an issued quote with the company's quote template, its PDF attached byte for byte as downloaded", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await t.call("PATCH", `/companies/${o.companyId}/customers/${o.customerId}`, { token: o.token, body: { email: "compta@boulangerie-dupont.fr" } });
    const draft = await quoteDraft(t, o);
    expectProblem(await t.call("GET", `/companies/${o.companyId}/quotes/${draft.id}/email-draft`, { token: o.token }), 409);
    const quote = await issuedQuote(t, o, {}, { issueDate: "2026-11-18", validUntil: "2026-12-18" });
    const base = `/companies/${o.companyId}/quotes/${quote.id}`;
    const proposed = await t.call("GET", `${base}/email-draft`, { token: o.token });
    expect(proposed.json).toEqual({
      to: ["compta@boulangerie-dupont.fr"],
      subject: "Devis D2026-00001 — Atelier Test SARL",
      message:
        "Bonjour,\n\nVeuillez trouver ci-joint notre devis D2026-00001 du 18/11/2026, d'un montant de 1\u202f269,00\u00a0€ TTC, valable jusqu'au 18/12/2026.\n\nPour l'accepter, retournez-le daté et signé avec la mention « Bon pour accord ».\n\nCordialement,\nAtelier Test SARL",
      attachmentName: "D2026-00001.pdf",
    });
    const before = outbox(t.dataDir).length;
    const sent = await t.call("POST", `${base}/sendings`, { token: o.token, body: { to: proposed.json.to, subject: proposed.json.subject, message: proposed.json.message } });
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({ quoteId: quote.id, status: "sent", attempts: 1, attachmentName: "D2026-00001.pdf", sentAt: "2026-11-20T10:00:00.000Z" });
    const mails = outbox(t.dataDir);
    expect(mails).toHaveLength(before + 1);
    const mail = mails.at(-1)!;
    expect([mail.to, mail.subject, mail.headers.get("message-id")]).toEqual(["compta@boulangerie-dupont.fr", "Devis D2026-00001 — Atelier Test SARL", sent.json.messageId]);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([["D2026-00001.pdf", "application/pdf"]]);
    expect(mail.attachments[0]!.content.equals((await download(t, `${base}/pdf`, o.token)).bytes)).toBe(true);
    expect((await t.call("GET", `${base}/sendings`, { token: o.token })).json.items).toEqual([sent.json]);
    expectProblem(await t.call("POST", `/companies/${o.companyId}/quotes/${draft.id}/sendings`, { token: o.token, body: { to: ["a@b.fr"], subject: "s", message: "m" } }), 409);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM quote_sendings").pluck().get()).toBe(1);
  });

  it("exports the filtered quotes' PDFs in a ZIP of their own, never in the invoices' ZIP", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const accountant = await accountantOf(t, o.companyId);
    const a = await issuedQuote(t, o, {}, { issueDate: "2026-11-10" });
    await issuedQuote(t, o, {}, { issueDate: "2026-11-12" });
    await post(t, o, `/${a.id}/accept`);
    await quoteDraft(t, o);
    const all = await download(t, `/companies/${o.companyId}/exports/quotes.zip`, accountant.token);
    expect(all.status).toBe(200);
    expect(all.headers.get("content-disposition")).toMatch(/^attachment; filename="devis.zip"/);
    const files = await unzip(all.bytes);
    expect([...files.keys()]).toEqual(["D2026-00001.pdf", "D2026-00002.pdf"]);
    expect(files.get("D2026-00001.pdf")!.equals((await download(t, `/companies/${o.companyId}/quotes/${a.id}/pdf`, o.token)).bytes)).toBe(true);
    expect([...(await unzip((await download(t, `/companies/${o.companyId}/exports/quotes.zip?status=accepted`, accountant.token)).bytes)).keys()]).toEqual(["D2026-00001.pdf"]);
    expect([...(await unzip((await download(t, `/companies/${o.companyId}/exports/quotes.zip?status=draft`, accountant.token)).bytes)).keys()]).toHaveLength(1);
    expect([...(await unzip((await download(t, `/companies/${o.companyId}/exports/invoices.zip`, accountant.token)).bytes)).keys()]).toEqual([]);
    expectProblem(await t.call("GET", `/companies/${o.companyId}/exports/quotes.zip?from=2026-11-12&to=2026-11-10`, { token: accountant.token }), 422, "to");
  });
});
