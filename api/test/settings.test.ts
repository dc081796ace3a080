import { describe, expect, it } from "vitest";
import { createTestApp, expectProblem, issuedInvoice, ownerWithCompany, PRODUCT, signupOwner } from "./helpers.js";
import { accountantOf, allEntries, ownerDataSnapshot } from "./accounting-helpers.js";

const DEFAULTS = {
  accounts: { customers: "411000", goods: "707000", services: "706000", bank: "512000", deposits: "419100" },
  vatRates: [],
  byProduct: [],
  byCategory: [],
  byCustomer: [],
  accountLabels: {},
  journals: { sales: { code: "VE", label: "Ventes" }, bank: { code: "BQ", label: "Banque" } },
  vatOnPayments: false,
};

async function setup() {
  const t = createTestApp();
  const owner = await ownerWithCompany(t);
  const accountant = await accountantOf(t, owner.companyId);
  const url = `/companies/${owner.companyId}/accounting/settings`;
  return { t, owner, accountant, url };
}

describe("account code settings", () => {
  it("start with the PCG defaults; owners and accountants read them, nobody else", async () => {
    const { t, owner, accountant, url } = await setup();
    expect((await t.call("GET", url, { token: owner.token })).json).toEqual(DEFAULTS);
    expect((await t.call("GET", url, { token: accountant.token })).json).toEqual(DEFAULTS);
    const stranger = await signupOwner(t);
    expectProblem(await t.call("GET", url, { token: stranger.token }), 404);
  });

  it("accountants replace them; owners cannot; fields left out take their defaults", async () => {
    const { t, owner, accountant, url } = await setup();
    const before = ownerDataSnapshot(t.deps.db, owner.companyId);
    expectProblem(await t.call("PUT", url, { token: owner.token, body: { vatOnPayments: true } }), 403);
    expect(ownerDataSnapshot(t.deps.db, owner.companyId)).toBe(before);
    const put = await t.call("PUT", url, { token: accountant.token, body: { vatOnPayments: true, accounts: { services: "706100" } } });
    expect(put.status).toBe(200);
    const expected = { ...DEFAULTS, vatOnPayments: true, accounts: { ...DEFAULTS.accounts, services: "706100" } };
    expect(put.json).toEqual(expected);
    expect((await t.call("GET", url, { token: owner.token })).json).toEqual(expected);
    expect((await t.call("PUT", url, { token: accountant.token, body: {} })).json).toEqual(DEFAULTS);
  });

  it("account numbers must belong to their PCG class; overrides must name this company's products and customers; nothing is stored otherwise", async () => {
    const { t, owner, accountant, url } = await setup();
    const cases: [object, string, string][] = [
      [{ accounts: { customers: "401000" } }, "accounts.customers", "must start with 411: customer accounts are in class 411 (Clients)"],
      [{ accounts: { bank: "530000" } }, "accounts.bank", "must start with 512: bank accounts are in class 512 (Banques)"],
      [{ accounts: { deposits: "411900" } }, "accounts.deposits", "must start with 4191: deposits received are in class 4191 (Clients – avances et acomptes reçus sur commandes)"],
      [{ vatRates: [{ vatRateBp: 2000, vatAccount: "445660" }] }, "vatRates.0.vatAccount", "must start with 4457: collected VAT accounts are in class 4457 (Taxes sur le chiffre d'affaires collectées)"],
      [{ vatRates: [{ vatRateBp: 1900, vatAccount: "4457119" }] }, "vatRates.0.vatRateBp", "must be a French VAT rate in basis points (2000, 1000, 550, 210, 0, …)"],
      [{ byCategory: [{ category: "Luminaires", revenueAccount: "607000" }] }, "byCategory.0.revenueAccount", "must start with 70: revenue accounts are in class 70 (Ventes de produits, prestations, marchandises)"],
      [{ byProduct: [{ productId: "nope", revenueAccount: "707100" }] }, "byProduct.0.productId", "is not a product of this company"],
      [{ byCustomer: [{ customerId: "nope", auxAccount: "DUPONT" }] }, "byCustomer.0.customerId", "is not a customer of this company"],
      [{ byCustomer: [{ customerId: owner.customerId, auxAccount: "DU PONT" }] }, "byCustomer.0.auxAccount", "must be 1–17 letters, digits, - or _ (it becomes the auxiliary account)"],
      [{ accountLabels: { "70x": "Ventes" } }, "accountLabels.70x", "must be an account number: 3 digits, then up to 17 digits or capital letters"],
      [{ journals: { sales: { code: "ve", label: "Ventes" } } }, "journals.sales.code", "must be 1–8 capital letters or digits, e.g. VE"],
      [{ vatOnPayment: true }, "vatOnPayment", "is not a known field"],
    ];
    for (const [body, path, message] of cases) {
      const problem = expectProblem(await t.call("PUT", url, { token: accountant.token, body }), 422, path);
      expect(problem.errors!.find((e) => e.path === path)!.message, path).toBe(message);
    }
    // another company's product is not this company's
    const other = await ownerWithCompany(t);
    const foreign = await t.call("POST", `/companies/${other.companyId}/products`, { token: other.token, body: PRODUCT });
    expectProblem(await t.call("PUT", url, { token: accountant.token, body: { byProduct: [{ productId: foreign.json.id, revenueAccount: "707100" }] } }), 422, "byProduct.0.productId");
    expect((await t.call("GET", url, { token: accountant.token })).json).toEqual(DEFAULTS);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM activity WHERE company_id = ? AND action LIKE 'accounting%'").pluck().get(owner.companyId)).toBe(0);
    // and an accountant of one company cannot touch another's
    expectProblem(await t.call("PUT", `/companies/${other.companyId}/accounting/settings`, { token: accountant.token, body: {} }), 404);
  });

  it("changing them never modifies the owner's data, and changes the entries of open periods only", async () => {
    const { t, owner, accountant, url } = await setup();
    const product = await t.call("POST", `/companies/${owner.companyId}/products`, { token: owner.token, body: PRODUCT });
    await issuedInvoice(t, owner, "2026-10-12", [{ productId: product.json.id, quantity: "2" }]);
    await issuedInvoice(t, owner, "2026-11-05", [{ productId: product.json.id, quantity: "1" }]);
    await t.call("POST", `/companies/${owner.companyId}/locks`, { token: accountant.token, body: { until: "2026-10-31", kind: "soft" } });
    const ownerBefore = ownerDataSnapshot(t.deps.db, owner.companyId, { withSeq: false });
    const invoicesBefore = (await t.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).text;
    const customersBefore = (await t.call("GET", `/companies/${owner.companyId}/customers`, { token: owner.token })).text;
    const productsBefore = (await t.call("GET", `/companies/${owner.companyId}/products`, { token: owner.token })).text;
    const entriesBefore = await allEntries(t, accountant.token, owner.companyId);

    const put = await t.call("PUT", url, {
      token: accountant.token,
      body: {
        byProduct: [{ productId: product.json.id, revenueAccount: "7071000" }],
        byCustomer: [{ customerId: owner.customerId, auxAccount: "DUPONT" }],
        accountLabels: { "7071000": "Ventes de luminaires" },
      },
    });
    expect(put.status).toBe(200);

    expect(ownerDataSnapshot(t.deps.db, owner.companyId, { withSeq: false })).toBe(ownerBefore);
    expect((await t.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).text).toBe(invoicesBefore);
    expect((await t.call("GET", `/companies/${owner.companyId}/customers`, { token: owner.token })).text).toBe(customersBefore);
    expect((await t.call("GET", `/companies/${owner.companyId}/products`, { token: owner.token })).text).toBe(productsBefore);

    const entriesAfter = await allEntries(t, accountant.token, owner.companyId);
    expect(JSON.stringify(entriesAfter[0])).toBe(JSON.stringify(entriesBefore[0])); // October: locked, frozen
    expect(entriesBefore[1]!.lines.map((l) => [l.account, l.auxAccount ?? null])).toEqual([["411000", "C0001"], ["707000", null], ["4457120", null]]);
    expect(entriesAfter[1]!.lines.map((l) => [l.account, l.accountLabel, l.auxAccount ?? null])).toEqual([
      ["411000", "Clients", "DUPONT"],
      ["7071000", "Ventes de luminaires", null],
      ["4457120", "TVA collectée 20 %", null],
    ]);

    // the change is in the audit log, with what changed
    const audit = await t.call("GET", `/companies/${owner.companyId}/audit-log?kind=accounting_settings`, { token: owner.token });
    expect(audit.json.items).toHaveLength(1);
    expect(audit.json.items[0]).toMatchObject({
      action: "accounting_settings.updated",
      actor: { id: accountant.user.id },
      before: { byProduct: [], byCustomer: [], accountLabels: {} },
      after: { byProduct: [{ productId: product.json.id, revenueAccount: "7071000" }], byCustomer: [{ customerId: owner.customerId, auxAccount: "DUPONT" }], accountLabels: { "7071000": "Ventes de luminaires" } },
    });
    expect(Object.keys(audit.json.items[0].after).sort()).toEqual(["accountLabels", "byCustomer", "byProduct"]);
  });
});
