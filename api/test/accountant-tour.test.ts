/**
 * The accountant's work is a separate layer: after a full tour of everything an accountant can
 * call — every GET of the company, every write they are allowed (account codes, locks, exports,
 * webhooks, keys) and every owner write they try — the owner's invoices, customers, products,
 * payments and documents are byte-for-byte what they were.
 */
import { describe, expect, it, vi } from "vitest";
import fs from "node:fs";
import { createTestApp, draftBody, issuedInvoice, ownerWithCompany, PRODUCT, type TestApp } from "./helpers.js";
import { invitedAccountant } from "./access-helpers.js";
import { companyRoutes } from "./route-inventory.js";
import { documentPath } from "../src/services/documents.js";

/** The owner's layer as stored: every row of every owner table, and every document's bytes. */
function ownerLayer(t: TestApp, companyId: string) {
  const db = t.deps.db;
  const rows = (sql: string) => JSON.stringify(db.prepare(sql).all(companyId));
  const documents = db.prepare("SELECT id FROM documents WHERE company_id = ? ORDER BY pk").pluck().all(companyId) as string[];
  return {
    company: rows("SELECT * FROM companies WHERE id = ?").replace(/"last_seq":\d+,/, ""),
    customers: rows("SELECT * FROM customers WHERE company_id = ? ORDER BY pk"),
    products: rows("SELECT * FROM products WHERE company_id = ? ORDER BY pk"),
    invoices: rows("SELECT * FROM invoices WHERE company_id = ? ORDER BY pk"),
    invoiceLines: rows("SELECT l.* FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.company_id = ? ORDER BY i.pk, l.position"),
    invoiceVat: rows("SELECT v.* FROM invoice_vat v JOIN invoices i ON i.id = v.invoice_id WHERE i.company_id = ? ORDER BY v.invoice_id, v.vat_rate_bp"),
    numberSeries: rows("SELECT * FROM number_series WHERE company_id = ? ORDER BY series_key"),
    payments: rows("SELECT * FROM payments WHERE company_id = ? ORDER BY pk"),
    recordChain: rows("SELECT * FROM record_chain WHERE company_id = ? ORDER BY position"),
    documents: rows("SELECT * FROM documents WHERE company_id = ? ORDER BY pk"),
    files: documents.map((id) => fs.readFileSync(documentPath(t.dataDir, companyId, id)).toString("base64")),
  };
}

describe("a full tour by the accountant", () => {
  it("leaves the owner's invoices, customers, products, payments and documents byte-for-byte unchanged", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const o = owner.token;
    const c = owner.companyId;
    const product = await t.call("POST", `/companies/${c}/products`, { token: o, body: PRODUCT });
    const invoice = await issuedInvoice(t, owner, "2026-10-12", [
      { productId: product.json.id, quantity: "2" },
      { description: "Pose", quantity: "1.5", unitPriceCents: 6800, vatRateBp: 1000, kind: "services" },
    ]);
    const second = await issuedInvoice(t, owner, "2026-11-03");
    const creditNote = await t.call("POST", `/companies/${c}/invoices/${second.id}/credit-note`, { token: o, body: { issueDate: "2026-11-04" } });
    const payment = await t.call("POST", `/companies/${c}/payments`, { token: o, body: { invoiceId: invoice.id, amountCents: 10000, date: "2026-10-20", method: "transfer" } });
    const draft = await t.call("POST", `/companies/${c}/invoices`, { token: o, body: draftBody(owner.customerId) });
    const form = new FormData();
    form.set("file", new Blob([Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")], { type: "application/pdf" }), "releve.pdf");
    const document = await t.call("POST", `/companies/${c}/documents`, { token: o, body: form });
    expect([product.status, creditNote.status, payment.status, draft.status, document.status]).toEqual([201, 201, 201, 201, 201]);

    const before = ownerLayer(t, c);
    const accountant = await invitedAccountant(t, owner);
    const a = accountant.token;
    const ids: Record<string, string> = {
      companyId: c,
      customerId: owner.customerId,
      productId: product.json.id,
      invoiceId: invoice.id,
      paymentId: payment.json.id,
      documentId: document.json.id,
      userId: accountant.user.id,
    };
    const url = (path: string) => path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(ids[n] ?? "x"));
    const statuses: Record<string, number> = {};
    const hit = async (method: string, path: string, body?: unknown) => {
      const res = await t.app.request(url(path), {
        method,
        headers: { authorization: `Bearer ${a}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (res.headers.get("content-type")?.startsWith("text/event-stream")) await res.body?.cancel();
      else await res.arrayBuffer();
      statuses[`${method} ${path}`] = res.status;
      return res.status;
    };

    // what the accountant does for a living: account codes, a lock, exports, a webhook, a key
    const routes = await companyRoutes(t);
    const has = (m: string, p: string) => routes.some((r) => r.method === m && r.path === `/api/v1/companies/{companyId}${p}`);
    if (has("PUT", "/accounting/settings")) {
      expect(await hit("PUT", "/api/v1/companies/{companyId}/accounting/settings", { byProduct: [{ productId: product.json.id, revenueAccount: "707100" }] })).toBe(200);
    }
    if (has("POST", "/locks")) expect(await hit("POST", "/api/v1/companies/{companyId}/locks", { until: "2026-10-31", kind: "soft" })).toBeLessThan(300);
    const hook = await t.call("POST", `/companies/${c}/webhooks`, { token: a, body: { url: "https://cabinet.example/hook", events: ["export.made"] } });
    expect(hook.status).toBe(201);
    ids.webhookId = hook.json.id;
    expect((await t.call("POST", "/api-keys", { token: a, body: { name: "Excel", scope: "read", companyId: c } })).status).toBe(201);

    // every read of the company, exports included
    for (const r of routes.filter((r) => r.method === "GET")) {
      expect(await hit("GET", r.path), `GET ${r.path}`).toBeLessThan(500);
    }

    // every owner write, with a valid body: refused
    const ownerWrites: [string, string, unknown][] = [
      ["PATCH", "", { name: "Renommée par le comptable" }],
      ["POST", "/customers", { name: "Client du comptable", address: "1 rue X, 75001 Paris" }],
      ["PATCH", "/customers/{customerId}", { name: "Renommé" }],
      ["POST", "/products", { ...PRODUCT, name: "Produit du comptable" }],
      ["PATCH", "/products/{productId}", { unitPriceCents: 1 }],
      ["POST", "/invoices", draftBody(owner.customerId)],
      ["PATCH", `/invoices/${draft.json.id}`, { notes: "changée" }],
      ["DELETE", `/invoices/${draft.json.id}`, undefined],
      ["POST", `/invoices/${draft.json.id}/issue`, { issueDate: "2026-11-10" }],
      ["POST", "/invoices/{invoiceId}/credit-note", {}],
      ["POST", "/payments", { invoiceId: invoice.id, amountCents: 100, date: "2026-11-10", method: "cash" }],
      ["DELETE", "/payments/{paymentId}", undefined],
    ];
    for (const [method, path, body] of ownerWrites) {
      const status = await hit(method, `/api/v1/companies/{companyId}${path}`, body);
      expect(status, `${method} ${path}`).toBe(path === "/payments/{paymentId}" && !has("DELETE", "/payments/{paymentId}") ? 404 : 403);
    }
    const upload = new FormData();
    upload.set("file", new Blob([Buffer.from("%PDF-1.4\n%%EOF\n")], { type: "application/pdf" }), "intrus.pdf");
    expect((await t.call("POST", `/companies/${c}/documents`, { token: a, body: upload })).status).toBe(403);

    // and every other write route there is, with whatever body: never a server error
    for (const r of routes.filter((r) => r.method !== "GET" && !(`${r.method} ${r.path}` in statuses))) {
      if (r.path.endsWith("/accountants/{userId}")) continue; // leaving the company ends the tour
      expect(await hit(r.method, r.path, {}), `${r.method} ${r.path}`).toBeLessThan(500);
    }
    expect(Object.keys(statuses).length).toBeGreaterThanOrEqual(45);

    expect(ownerLayer(t, c)).toEqual(before);
  });
});
