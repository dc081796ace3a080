import { beforeEach, describe, expect, it, vi } from "vitest";
import { COMPANY, createTestApp, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { invitedAccountant } from "./access-helpers.js";

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});

const basic = (key: string, user = "flux") => ({ authorization: `Basic ${Buffer.from(`${user}:${key}`).toString("base64")}` });

async function key(t: TestApp, token: string, body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await t.call("POST", "/api-keys", { token, body });
  if (res.status !== 201) throw new Error(`key failed: ${res.text}`);
  return res.json;
}

/** A company with November's invoices (20 %, 5,5 % and 10 %), a credit note, and October's invoice; its accountant. */
async function november() {
  const t = createTestApp();
  const owner = await ownerWithCompany(t);
  await issuedInvoice(t, owner, "2026-10-10", [{ description: "Octobre", quantity: "1", unitPriceCents: 50000, vatRateBp: 2000 }]);
  const first = await issuedInvoice(t, owner, "2026-11-02");
  await issuedInvoice(t, owner, "2026-11-15", [
    { description: "Livres", quantity: "3", unitPriceCents: 1999, vatRateBp: 550, kind: "goods" },
    { description: "Pose", quantity: "1.5", unitPriceCents: 4333, vatRateBp: 1000, kind: "services" },
  ]);
  const credit = await t.call("POST", `/companies/${owner.companyId}/invoices/${first.id}/credit-note`, { token: owner.token, body: {} });
  expect(credit.status).toBe(201);
  const accountant = await invitedAccountant(t, owner);
  return { t, owner, accountant };
}

async function savedQuery(t: TestApp, token: string, companyId: string, body: Record<string, unknown>) {
  const res = await t.call("POST", `/companies/${companyId}/journal-queries`, { token, body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; csvUrl: string; jsonUrl: string };
}

/** French CSV cells to cents: "-30,03" → -3003. */
const cents = (cell: string) => Math.round(Number(cell.replace(",", ".")) * 100);

describe("Saved journal queries and their feeds", () => {
  it("an accountant saves a rolling query; the owner reads it but cannot save one, and a rolling period refuses dates", async () => {
    const { t, owner, accountant } = await november();
    const saved = await t.call("POST", `/companies/${owner.companyId}/journal-queries`, {
      token: accountant.token,
      body: { name: "Ventes du mois", period: "current_month", status: "issued" },
    });
    expect(saved.status).toBe(201);
    const base = `${t.deps.config.publicUrl}/api/v1/feeds/${saved.json.id}`;
    expect(saved.json).toEqual({
      id: saved.json.id,
      name: "Ventes du mois",
      period: "current_month",
      from: null,
      to: null,
      customerId: null,
      type: null,
      status: "issued",
      category: null,
      createdAt: "2026-11-20T10:00:00.000Z",
      csvUrl: `${base}/journal.csv`,
      jsonUrl: `${base}/journal.json`,
    });
    const listed = await t.call("GET", `/companies/${owner.companyId}/journal-queries`, { token: owner.token });
    expect(listed.json.items).toEqual([saved.json]);

    const byOwner = await t.call("POST", `/companies/${owner.companyId}/journal-queries`, { token: owner.token, body: { name: "X", period: "current_month" } });
    expect(expectProblem(byOwner, 403).detail).toBe("Only the company's accountants change account codes, locks and exports.");
    const withDates = await t.call("POST", `/companies/${owner.companyId}/journal-queries`, {
      token: accountant.token,
      body: { name: "X", period: "current_year_typo", from: "2026-01-01" },
    });
    expectProblem(withDates, 422, "period");
    const rollingWithDates = await t.call("POST", `/companies/${owner.companyId}/journal-queries`, {
      token: accountant.token,
      body: { name: "X", period: "current_month", from: "2026-01-01" },
    });
    expect(expectProblem(rollingWithDates, 422, "from").errors).toEqual([{ path: "from", message: "is only for `period: fixed`; a rolling period sets its own dates" }]);
    const foreignCustomer = await t.call("POST", `/companies/${owner.companyId}/journal-queries`, {
      token: accountant.token,
      body: { name: "X", period: "fixed", customerId: "nope" },
    });
    expectProblem(foreignCustomer, 422, "customerId");
    expect((await t.call("GET", `/companies/${owner.companyId}/journal-queries`, { token: owner.token })).json.items).toHaveLength(1);
  });

  it("the CSV feed opens in French Excel (BOM, `;`, decimal comma, dd/mm/yyyy) and its sums are the journal's totals to the cent", async () => {
    const { t, owner, accountant } = await november();
    const query = await savedQuery(t, accountant.token, owner.companyId, { name: "Ventes du mois", period: "current_month" });
    const readKey = await key(t, accountant.token, { name: "Excel", scope: "read" });
    const res = await t.app.request(new URL(query.csvUrl).pathname, { headers: basic(readKey.secret) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      '"Date";"Numéro";"Type";"Code client";"Client";"Total HT";"TVA";"Total TTC";"Réglé";"Statut";"Échéance";"Facture d\'origine";"Base HT 20 %";"TVA 20 %";"Base HT 10 %";"TVA 10 %";"Base HT 5,5 %";"TVA 5,5 %"',
    );
    const rows = lines.slice(1).map((l) => l.split(";"));
    expect(rows.map((r) => r[0])).toEqual(["02/11/2026", "15/11/2026", "20/11/2026"]);
    expect(rows.map((r) => r.slice(5, 8))).toEqual([
      ["30,03", "6,01", "36,04"],
      ["124,97", "9,80", "134,77"],
      ["-30,03", "-6,01", "-36,04"],
    ]);

    const journal = await t.call("GET", `/companies/${owner.companyId}/sales-journal?from=2026-11-01&to=2026-11-30`, { token: accountant.token });
    const sum = (column: number) => rows.reduce((s, r) => s + cents(r[column]!), 0);
    expect({ htCents: sum(5), vatCents: sum(6), ttcCents: sum(7), count: rows.length }).toEqual({
      htCents: journal.json.totals.htCents,
      vatCents: journal.json.totals.vatCents,
      ttcCents: journal.json.totals.ttcCents,
      count: journal.json.totals.count,
    });
    expect(journal.json.totals).toMatchObject({ htCents: 12497, vatCents: 980, ttcCents: 13477 });
    // per rate: 20 % nets out, 10 % on 64,995 → 65,00 (5,00 of VAT), 5,5 % on 59,97 (3,30 of VAT)
    expect([sum(12), sum(13), sum(14), sum(15), sum(16), sum(17)]).toEqual([0, 0, 6500, 650, 5997, 330]);

    // the month rolls: on 5 December the same address serves December (nothing yet)
    t.clock.advance(15 * 86_400_000);
    const december = await t.app.request(new URL(query.csvUrl).pathname, { headers: basic(readKey.secret) });
    expect((await december.text()).trimEnd().split("\r\n")).toHaveLength(1);
  });

  it("the JSON feed is a list of flat records Power Query types: amounts in euros as numbers summing to the journal's totals", async () => {
    const { t, owner, accountant } = await november();
    const query = await savedQuery(t, accountant.token, owner.companyId, { name: "Novembre", period: "fixed", from: "2026-11-01", to: "2026-11-30", type: "invoice" });
    const readKey = await key(t, accountant.token, { name: "Excel", scope: "read" });
    const res = await t.app.request(new URL(query.jsonUrl).pathname, { headers: basic(readKey.secret) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const rows = (await res.json()) as Record<string, unknown>[];
    expect(rows[1]).toEqual({
      date: "2026-11-15",
      number: rows[1]!.number,
      type: "invoice",
      customerCode: "C0001",
      customerName: rows[1]!.customerName,
      netEuros: 124.97,
      vatEuros: 9.8,
      grossEuros: 134.77,
      paidEuros: 0,
      status: "issued",
      dueDate: rows[1]!.dueDate,
      correctedInvoice: null,
    });
    const journal = await t.call("GET", `/companies/${owner.companyId}/sales-journal?from=2026-11-01&to=2026-11-30&type=invoice`, { token: accountant.token });
    const sum = (field: string) => rows.reduce((s, r) => s + Math.round((r[field] as number) * 100), 0);
    expect([rows.length, sum("netEuros"), sum("vatEuros"), sum("grossEuros")]).toEqual([
      journal.json.totals.count,
      journal.json.totals.htCents,
      journal.json.totals.vatCents,
      journal.json.totals.ttcCents,
    ]);
    expect(journal.json.totals).toMatchObject({ count: 2, htCents: 15500, vatCents: 1581, ttcCents: 17081 });
  });

  it("a feed asks for Basic credentials, takes only a live read-only key of a member, and the key writes nothing", async () => {
    const { t, owner, accountant } = await november();
    const query = await savedQuery(t, accountant.token, owner.companyId, { name: "Mois", period: "current_month" });
    const path = new URL(query.csvUrl).pathname;
    const get = async (headers: Record<string, string> = {}) => {
      const res = await t.app.request(path, { headers: { "accept-language": "en", ...headers } });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined };
    };
    const challenge = 'Basic realm="Passerelle feeds", charset="UTF-8"';

    const anonymous = await get();
    expectProblem(anonymous, 401);
    expect(anonymous.headers.get("www-authenticate")).toBe(challenge);
    const wrong = await get(basic("psk_not-a-key"));
    expectProblem(wrong, 401);
    expect(wrong.headers.get("www-authenticate")).toBe(challenge);

    const readKey = await key(t, accountant.token, { name: "Excel", scope: "read" });
    expect((await get(basic(readKey.secret, "n'importe qui"))).status).toBe(200);
    // the same key cannot change anything
    const write = await t.call("POST", `/companies/${owner.companyId}/journal-queries`, { token: readKey.secret, body: { name: "X", period: "current_month" } });
    expect(expectProblem(write, 403).detail).toBe("This API key is read-only: it can only read (GET). Create a key with scope `write` to change data.");
    const deleteByKey = await t.call("DELETE", `/companies/${owner.companyId}/journal-queries/${query.id}`, { token: readKey.secret });
    expectProblem(deleteByKey, 403);

    const writeKey = await key(t, accountant.token, { name: "Script", scope: "write" });
    expect(expectProblem(await get(basic(writeKey.secret)), 403).detail).toBe(
      "A feed takes a read-only API key: this key can also write, and should not be kept in a workbook. Create a key with scope `read`.",
    );

    // a key of someone outside the company, or limited to another company, sees no feed
    const stranger = await ownerWithCompany(t);
    const strangerKey = await key(t, stranger.token, { name: "Excel", scope: "read" });
    expect(expectProblem(await get(basic(strangerKey.secret)), 404).detail).toBe("This company does not exist or is not visible to you.");
    const other = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name: "Atelier Ravel" } });
    expect(other.status, other.text).toBe(201);
    const elsewhere = await key(t, owner.token, { name: "Autre", scope: "read", companyId: other.json.id });
    expectProblem(await get(basic(elsewhere.secret)), 404);
    const ownersKey = await key(t, owner.token, { name: "Excel", scope: "read" });
    expect((await get(basic(ownersKey.secret))).status).toBe(200);

    // revoked: refused at once
    expect((await t.call("DELETE", `/api-keys/${readKey.id}`, { token: accountant.token })).status).toBe(204);
    const revoked = await get(basic(readKey.secret));
    expectProblem(revoked, 401);
    expect(revoked.headers.get("www-authenticate")).toBe(challenge);

    // a deleted query's feed is gone
    expect((await t.call("DELETE", `/companies/${owner.companyId}/journal-queries/${query.id}`, { token: accountant.token })).status).toBe(204);
    expectProblem(await get(basic(ownersKey.secret)), 404);
  });
});
