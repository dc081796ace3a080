import { describe, expect, it } from "vitest";
import type { Db } from "../src/db/connection.js";
import { createTestApp, expectProblem, issuedInvoice, ownerWithCompany, PRODUCT, signupOwner } from "./helpers.js";
import { accountantOf, allEntries, ownerDataSnapshot } from "./accounting-helpers.js";
import { columnNames, tableNames } from "../src/db/catalog.js";

async function setup() {
  const t = createTestApp();
  const owner = await ownerWithCompany(t);
  const accountant = await accountantOf(t, owner.companyId);
  const product = (await t.call("POST", `/companies/${owner.companyId}/products`, { token: owner.token, body: PRODUCT })).json as { id: string };
  const service = (await t.call("POST", `/companies/${owner.companyId}/products`, {
    token: owner.token,
    body: { name: "Pose", unitPriceCents: 6000, vatRateBp: 1000, kind: "services" },
  })).json as { id: string };
  const url = `/companies/${owner.companyId}/accounting/accounts`;
  return { t, owner, accountant, product, service, url };
}

/** Every table but the accountant's settings and the logs a write adds to, row by row: the whole database as text. */
function everyTable(db: Db): string {
  const tables = tableNames(db);
  const skipped = new Set(["accounting_settings", "activity", "companies"]); // companies: its change-feed counter moves (compared without it above)
  const dump = (name: string) => {
    const order = columnNames(db, name).map((_, i) => i + 1).join(", ");
    return db.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).all();
  };
  return JSON.stringify(Object.fromEntries(tables.filter((n) => !skipped.has(n)).map((n) => [n, dump(n)])));
}

const SHEET_ROWS = (productId: string, serviceId: string) => [
  { kind: "default", key: "customers", label: "Clients (compte collectif)", account: "411000", origin: "default" },
  { kind: "default", key: "goods", label: "Ventes de marchandises", account: "707000", origin: "default" },
  { kind: "default", key: "services", label: "Prestations de services", account: "706000", origin: "default" },
  { kind: "default", key: "bank", label: "Banque", account: "512000", origin: "default" },
  { kind: "default", key: "deposits", label: "Acomptes reçus sur commandes", account: "419100", origin: "default" },
  { kind: "journal", key: "sales", label: "Ventes", account: "VE", origin: "default" },
  { kind: "journal", key: "bank", label: "Banque", account: "BQ", origin: "default" },
  { kind: "vatRate", key: "20 %", label: "TVA collectée 20 %", account: "4457120", origin: "default" },
  { kind: "vatRate", key: "10 %", label: "TVA collectée 10 %", account: "4457110", origin: "default" },
  { kind: "vatRate", key: "5,5 %", label: "TVA collectée 5,5 %", account: "4457105", origin: "default" },
  { kind: "vatRate", key: "2,1 %", label: "TVA collectée 2,1 %", account: "4457102", origin: "default" },
  { kind: "customer", key: "C0001", label: "Boulangerie Dupont", account: "411000", auxAccount: "C0001", origin: "default" },
  { kind: "product", key: serviceId, label: "Pose", account: "706000", origin: "default" },
  { kind: "product", key: productId, label: "Suspension laiton", account: "707000", origin: "default" },
  { kind: "category", key: "Luminaires", label: "Luminaires", account: "", origin: "default" },
  { kind: "category", key: "Professionnels", label: "Professionnels", account: "", origin: "default" },
];

describe("the account codes as a sheet", () => {
  it("lists every default, journal, rate, customer, product and category with the value in force; accountants and owners read it, nobody else", async () => {
    const { t, owner, accountant, product, service, url } = await setup();
    const rows = SHEET_ROWS(product.id, service.id);
    expect((await t.call("GET", url, { token: accountant.token })).json).toEqual({ rows });
    expect((await t.call("GET", url, { token: owner.token })).json).toEqual({ rows });
    const stranger = await signupOwner(t);
    expectProblem(await t.call("GET", url, { token: stranger.token }), 404);
    expectProblem(await t.call("PUT", url, { token: stranger.token, body: { rows: [] } }), 404);
  });

  it("refuses a sheet with errors, naming each row and its rule, and changes nothing", async () => {
    const { t, owner, accountant, product, service, url } = await setup();
    const sent = SHEET_ROWS(product.id, service.id).map(({ kind, key, account, auxAccount }) => ({ kind, key, account, ...(auxAccount ? { auxAccount } : {}) }));
    sent[2]!.account = "607000"; // services: not a revenue account
    sent[11]!.account = "401000"; // the customer: a supplier account
    sent[13]!.account = "7071"; // a revenue account: fine
    sent.push({ kind: "customer", key: "C0099", account: "411000" });
    sent.push({ kind: "product", key: product.id, account: "707100" });
    sent.push({ kind: "vatRate", key: "19,6 %", account: "4457119" });
    sent.push({ kind: "journal", key: "bank", account: "ve" });
    sent.push({ kind: "compte", key: "x", account: "411000" });
    sent.push({ kind: "category", key: "Luminaires", account: "7AB" });
    const before = everyTable(t.deps.db);
    const settingsBefore = (await t.call("GET", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token })).text;

    const problem = expectProblem(await t.call("PUT", url, { token: accountant.token, body: { rows: sent } }), 422, "rows.2.account");
    expect(problem.errors).toEqual([
      { path: "rows.2.account", message: "must start with 70: revenue accounts are in class 70 (Ventes de produits, prestations, marchandises)" },
      { path: "rows.11.account", message: "must start with 411: customer accounts are in class 411 (Clients)" },
      { path: "rows.16.key", message: "is not the code of a customer of this company" },
      { path: "rows.17.key", message: "appears twice: one row per default, journal, rate, customer, product or category" },
      { path: "rows.18.key", message: "must be a French VAT rate such as 20 %, 10 %, 5,5 % or 2,1 %" },
      { path: "rows.19.key", message: "appears twice: one row per default, journal, rate, customer, product or category" },
      { path: "rows.20.kind", message: "must be one of default, journal, vatRate, customer, product, category" },
      { path: "rows.21.key", message: "appears twice: one row per default, journal, rate, customer, product or category" },
    ]);
    const format = expectProblem(await t.call("PUT", url, { token: accountant.token, body: { rows: [{ kind: "category", key: "Luminaires", account: "7AB" }, { kind: "journal", key: "sales", account: "BQ" }] } }), 422);
    expect(format.errors).toEqual([
      { path: "rows.0.account", message: "must be an account number: 3 digits, then up to 17 digits or capital letters" },
      { path: "rows.1.account", message: "the sales and bank journals need different codes" },
    ]);
    expectProblem(await t.call("PUT", url, { token: accountant.token, body: { rows: [{ kind: "product", key: product.id, account: 707100 }] } }), 422, "rows.0.account");
    expectProblem(await t.call("PUT", url, { token: accountant.token, body: { rows: [{ kind: "product", key: product.id, account: "707100", note: "x" }] } }), 422, "rows.0.note");
    const categories = Array.from({ length: 501 }, (_, i) => ({ kind: "category", key: `Catégorie ${i}`, account: "707100" }));
    expect(expectProblem(await t.call("PUT", url, { token: accountant.token, body: { rows: categories } }), 422).errors).toEqual([
      { path: "rows", message: "holds more overrides than the settings keep: 5000 products, 5000 customers, 500 categories, 20 VAT rates" },
    ]);
    // the owner reads the codes, only the accountant changes them
    expectProblem(await t.call("PUT", url, { token: owner.token, body: { rows: [] } }), 403);

    expect(everyTable(t.deps.db)).toBe(before);
    expect((await t.call("GET", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token })).text).toBe(settingsBefore);
  });

  it("applies a valid sheet in one go: overrides where a row differs from what it inherits; owner data byte for byte the same; locked entries frozen", async () => {
    const { t, owner, accountant, product, service, url } = await setup();
    await issuedInvoice(t, owner, "2026-10-12", [{ productId: product.id, quantity: "2" }]);
    await issuedInvoice(t, owner, "2026-11-05", [{ productId: product.id, quantity: "1" }, { productId: service.id, quantity: "3" }]);
    expect((await t.call("POST", `/companies/${owner.companyId}/locks`, { token: accountant.token, body: { until: "2026-10-31", kind: "soft" } })).status).toBe(201);
    const ownerBefore = ownerDataSnapshot(t.deps.db, owner.companyId, { withSeq: false });
    const tablesBefore = everyTable(t.deps.db);
    const entriesBefore = await allEntries(t, accountant.token, owner.companyId);
    expect(entriesBefore[1]!.lines.map((l) => [l.account, l.auxAccount ?? null, l.debitCents, l.creditCents])).toEqual([
      ["411000", "C0001", 42480, 0],
      ["706000", null, 0, 18000],
      ["707000", null, 0, 18900],
      ["4457120", null, 0, 3780],
      ["4457110", null, 0, 1800],
    ]);

    const sent = SHEET_ROWS(product.id, service.id).map(({ kind, key, account, auxAccount }) => ({ kind, key, account, ...(auxAccount ? { auxAccount } : {}) }));
    sent[11]!.auxAccount = "DUPONT";
    sent[12]!.account = "706100"; // the service
    sent[8]!.account = "4457111"; // 10 %
    sent.pop(); // "Professionnels": no row, no mapping
    const put = await t.call("PUT", url, { token: accountant.token, body: { rows: sent } });
    expect(put.status, put.text).toBe(200);
    const shown = SHEET_ROWS(product.id, service.id);
    shown[8] = { ...shown[8]!, account: "4457111", origin: "override" };
    shown[11] = { ...shown[11]!, auxAccount: "DUPONT", origin: "override" };
    shown[12] = { ...shown[12]!, account: "706100", origin: "override" };
    expect(put.json).toEqual({ rows: shown });
    expect((await t.call("GET", url, { token: accountant.token })).json).toEqual({ rows: shown });
    const settings = (await t.call("GET", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token })).json;
    expect(settings).toMatchObject({
      vatRates: [{ vatRateBp: 1000, vatAccount: "4457111" }],
      byProduct: [{ productId: service.id, revenueAccount: "706100" }],
      byCustomer: [{ customerId: owner.customerId, auxAccount: "DUPONT" }],
      byCategory: [],
    });

    // one change in the audit log, by the accountant, saying what changed
    const audit = await t.call("GET", `/companies/${owner.companyId}/audit-log?kind=accounting_settings`, { token: owner.token });
    expect(audit.json.items).toHaveLength(1);
    expect(audit.json.items[0]).toMatchObject({ action: "accounting_settings.updated", actor: { id: accountant.user.id } });
    expect(Object.keys(audit.json.items[0].after).sort()).toEqual(["byCustomer", "byProduct", "vatRates"]);

    // the owner's data: not one byte changed
    expect(ownerDataSnapshot(t.deps.db, owner.companyId, { withSeq: false })).toBe(ownerBefore);
    const tablesAfter = everyTable(t.deps.db);
    expect(tablesAfter.length).toBe(tablesBefore.length);
    expect(tablesAfter).toBe(tablesBefore);

    const entriesAfter = await allEntries(t, accountant.token, owner.companyId);
    expect(JSON.stringify(entriesAfter[0])).toBe(JSON.stringify(entriesBefore[0])); // October: locked, frozen
    expect(entriesAfter[0]!.lines.map((l) => [l.account, l.auxAccount ?? null])).toEqual([["411000", "C0001"], ["707000", null], ["4457120", null]]);
    expect(entriesAfter[1]!.lines.map((l) => [l.account, l.auxAccount ?? null, l.debitCents, l.creditCents])).toEqual([
      ["411000", "DUPONT", 42480, 0],
      ["706100", null, 0, 18000],
      ["707000", null, 0, 18900],
      ["4457120", null, 0, 3780],
      ["4457111", null, 0, 1800],
    ]);

    // sending the sheet as it is shown changes nothing; an empty account goes back to the default
    expect((await t.call("PUT", url, { token: accountant.token, body: { rows: shown.map(({ kind, key, account, auxAccount }) => ({ kind, key, account, ...(auxAccount ? { auxAccount } : {}) })) } })).json).toEqual({ rows: shown });
    const reset = shown.map(({ kind, key, account, auxAccount }) => ({ kind, key, account: kind === "vatRate" ? "" : account, ...(auxAccount ? { auxAccount } : {}) }));
    const after = await t.call("PUT", url, { token: accountant.token, body: { rows: reset } });
    expect(after.json.rows[8]).toEqual(SHEET_ROWS(product.id, service.id)[8]);
  });

  it("a category's mapping reaches its products that have none of their own; a default changed on the sheet reaches the rows that follow it", async () => {
    const { t, accountant, product, service, url } = await setup();
    const sent = SHEET_ROWS(product.id, service.id).map(({ kind, key, account, auxAccount }) => ({ kind, key, account, ...(auxAccount ? { auxAccount } : {}) }));
    sent[14]!.account = "707200"; // Luminaires
    sent[13]!.account = "707200"; // the product shows what its category gives: no override of its own
    sent[0]!.account = "411100";
    sent[11]!.account = "411100"; // the customer follows the collective account
    const put = await t.call("PUT", url, { token: accountant.token, body: { rows: sent } });
    expect(put.status, put.text).toBe(200);
    const rows = put.json.rows as { kind: string; key: string; account: string; origin: string }[];
    expect(rows.filter((r) => ["customer", "product", "category"].includes(r.kind) || r.key === "customers").map((r) => [r.key === product.id ? "product" : r.key === service.id ? "service" : r.key, r.account, r.origin])).toEqual([
      ["customers", "411100", "override"],
      ["C0001", "411100", "default"],
      ["service", "706000", "default"],
      ["product", "707200", "default"],
      ["Luminaires", "707200", "override"],
      ["Professionnels", "", "default"],
    ]);
    const settings = (await t.call("GET", url.replace("/accounts", "/settings"), { token: accountant.token })).json;
    expect(settings).toMatchObject({ accounts: { customers: "411100" }, byProduct: [], byCustomer: [], byCategory: [{ category: "Luminaires", revenueAccount: "707200" }] });

    // the services default changed, the service's row left as it was shown: it follows the new default
    const next = (put.json.rows as { kind: string; key: string; account: string; auxAccount?: string }[]).map(({ kind, key, account, auxAccount }) => ({ kind, key, account: key === "services" ? "706900" : account, ...(auxAccount ? { auxAccount } : {}) }));
    const followed = await t.call("PUT", url, { token: accountant.token, body: { rows: next } });
    expect(followed.json.rows.find((r: { key: string }) => r.key === service.id)).toEqual({ kind: "product", key: service.id, label: "Pose", account: "706900", origin: "default" });
    // an account typed on its row is the service's own, and stays when the default changes again
    next[12]!.account = "706500";
    const own = await t.call("PUT", url, { token: accountant.token, body: { rows: next } });
    expect(own.json.rows.find((r: { key: string }) => r.key === service.id)).toEqual({ kind: "product", key: service.id, label: "Pose", account: "706500", origin: "override" });
    next[2]!.account = "706000";
    const again = await t.call("PUT", url, { token: accountant.token, body: { rows: next } });
    expect(again.json.rows.find((r: { key: string }) => r.key === service.id)).toEqual({ kind: "product", key: service.id, label: "Pose", account: "706500", origin: "override" });
    expect(again.json.rows.find((r: { key: string }) => r.key === "services")).toEqual({ kind: "default", key: "services", label: "Prestations de services", account: "706000", origin: "default" });
  });
});
