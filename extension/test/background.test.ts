// @vitest-environment node
import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { createBackground, startBackground } from "../lib/background/main";
import { ATTENTION_ALARM } from "../lib/background/attention";
import { createMenus, DOCUMENT_PAGE_PATTERNS, onMenuClick, SEND_MENU_ID, SEND_PAGE_MENU_ID } from "../lib/background/context-menu";
import type { Envelope, Message, SessionView } from "../lib/protocol";
import { appFormsItem, attentionItem, companyIdItem, keptForItem, profileItem, rememberedAuthItem, serverUrlItem, sessionAuthItem, uploadsItem } from "../lib/storage";
import { harness, issuedInvoice, ownerWithCompany, COMPANY, PASSWORD, pdfBytes, SERVER } from "./api-harness";

const PAGE = { id: "test-extension-id", url: "chrome-extension://test-extension-id/popup.html" };

async function setup() {
  const h = await harness();
  const background = createBackground(h.env);
  async function ask<T>(message: Message, sender = PAGE): Promise<T> {
    const reply = (await background.router.handle(message, sender)) as Envelope<T>;
    if (!reply.ok) throw new Error(`${message.kind} failed: ${JSON.stringify(reply.error)}`);
    return reply.value;
  }
  return { ...h, background, ask };
}

async function everythingStored(): Promise<string> {
  const areas = await Promise.all([fakeBrowser.storage.local.get(null), fakeBrowser.storage.session.get(null), fakeBrowser.storage.sync.get(null)]);
  return JSON.stringify(areas);
}

describe("session", () => {
  it("keeps the token in session storage only, and never the password", async () => {
    const { api, ask } = await setup();
    const owner = await ownerWithCompany(api);
    const view = await ask<SessionView>({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });

    expect(view).toEqual({
      serverUrl: SERVER,
      user: { id: owner.user.id, email: owner.email, name: "Owner" },
      companies: [{ id: owner.companyId, name: COMPANY.name }],
      companyId: owner.companyId,
      remember: false,
      capabilities: { invoicePdf: expect.any(Boolean) },
    });
    const session = await sessionAuthItem.getValue();
    expect(session?.token).toMatch(/.{32,}/);
    expect(await rememberedAuthItem.getValue()).toBeNull();
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(session!.token);
    expect(await everythingStored()).not.toContain(PASSWORD);
  });

  it("keeps the token in local storage when the owner stays signed in", async () => {
    const { api, ask } = await setup();
    const owner = await ownerWithCompany(api);
    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: true });
    expect((await rememberedAuthItem.getValue())?.remember).toBe(true);
    expect(await sessionAuthItem.getValue()).toBeNull();

    // A browser restart empties session storage: the profile is fetched again from the remembered token.
    await fakeBrowser.storage.session.clear();
    const view = await ask<SessionView>({ kind: "session.get" });
    expect(view.companyId).toBe(owner.companyId);
    expect((await profileItem.getValue())?.me.user.email).toBe(owner.email);
  });

  it("signing out ends the session on the server and leaves nothing but the server address", async () => {
    const { api, ask, background } = await setup();
    const owner = await ownerWithCompany(api);
    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: true });
    const token = (await rememberedAuthItem.getValue())!.token;
    await uploadsItem.setValue([]);
    await background.uploader.enqueue([]);

    await ask({ kind: "session.signOut" });

    expect((await api.call("GET", "/me", { token })).status).toBe(401);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(await serverUrlItem.getValue()).toBe(SERVER);
    expect(await fakeBrowser.alarms.get(ATTENTION_ALARM)).toBeUndefined();
    expect(await ask({ kind: "session.get" })).toBeNull();
  });

  it("refuses a wrong password with the API's 401 and stores nothing", async () => {
    const { api, background } = await setup();
    const owner = await ownerWithCompany(api);
    const reply = await background.router.handle({ kind: "session.signIn", email: owner.email, password: "wrong password!", remember: false }, PAGE);
    expect(reply).toMatchObject({ ok: false, error: { status: 401, reason: "api" } });
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it("forgets a session the server no longer accepts", async () => {
    const { api, ask, background } = await setup();
    const owner = await ownerWithCompany(api);
    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    await api.call("POST", "/auth/logout", { token: (await sessionAuthItem.getValue())!.token });

    const reply = await background.router.handle({ kind: "api", method: "listInvoices", args: [owner.companyId, {}] }, PAGE);
    expect(reply).toMatchObject({ ok: false, error: { status: 401 } });
    expect(await sessionAuthItem.getValue()).toBeNull();
    expect(await profileItem.getValue()).toBeNull();
  });

  it("keeps the forms and the uploads of a session the server refused, for the same owner signing in again", async () => {
    const { api, ask, background } = await setup();
    const owner = await ownerWithCompany(api);
    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    const form = { "invoice-new": { value: { customerId: owner.customerId, notes: "Livraison mardi" }, savedAt: 1 } };
    await appFormsItem.setValue(form);
    await background.uploader.enqueue([{ url: "https://site.example/missing.pdf" }]);
    await background.uploader.idle();
    const uploads = await uploadsItem.getValue();
    await api.call("POST", "/auth/logout", { token: (await sessionAuthItem.getValue())!.token });

    const refused = await background.router.handle({ kind: "api", method: "listInvoices", args: [owner.companyId, {}] }, PAGE);
    expect(refused).toMatchObject({ ok: false, error: { status: 401 } });
    expect(await profileItem.getValue()).toBeNull();
    expect(await keptForItem.getValue()).toEqual({ serverUrl: SERVER, userId: owner.user.id, email: owner.email });
    expect(await appFormsItem.getValue()).toEqual(form);
    expect(await uploadsItem.getValue()).toEqual(uploads);

    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    expect(await appFormsItem.getValue()).toEqual(form);
    expect(await uploadsItem.getValue()).toEqual(uploads);
  });

  it("gives nobody else the forms kept from an expired session", async () => {
    const { api, ask } = await setup();
    const first = await ownerWithCompany(api);
    const second = await ownerWithCompany(api);
    await ask({ kind: "session.signIn", email: first.email, password: PASSWORD, remember: false });
    await appFormsItem.setValue({ "invoice-new": { value: { notes: "à moi" }, savedAt: 1 } });
    api.clock.advance(15 * 24 * 3600 * 1000);
    expect(await ask({ kind: "session.get" })).toBeNull();
    expect(Object.keys(await appFormsItem.getValue())).toEqual(["invoice-new"]);

    await ask({ kind: "session.signIn", email: second.email, password: PASSWORD, remember: false });
    expect(await appFormsItem.getValue()).toEqual({});
    expect(await keptForItem.getValue()).toEqual({ serverUrl: SERVER, userId: second.user.id, email: second.email });
  });

  it("treats an expired session as signed out", async () => {
    const { api, ask } = await setup();
    const owner = await ownerWithCompany(api);
    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    api.clock.advance(15 * 24 * 3600 * 1000);
    expect(await ask({ kind: "session.get" })).toBeNull();
    expect(await sessionAuthItem.getValue()).toBeNull();
  });

  it("switches between the companies the owner owns, and only those", async () => {
    const { api, ask, background } = await setup();
    const owner = await ownerWithCompany(api);
    const second = await api.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name: "Deuxième Atelier SAS", siren: "732829320", vatNumber: undefined } });
    expect(second.status).toBe(201);
    const view = await ask<SessionView>({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    expect(view.companies.map((c) => c.name).sort()).toEqual(["Atelier Test SARL", "Deuxième Atelier SAS"]);

    const switched = await ask<SessionView>({ kind: "session.selectCompany", companyId: second.json.id });
    expect(switched.companyId).toBe(second.json.id);
    expect(await companyIdItem.getValue()).toBe(second.json.id);

    const refused = await background.router.handle({ kind: "session.selectCompany", companyId: "someone-elses" }, PAGE);
    expect(refused.ok).toBe(false);
    expect(await companyIdItem.getValue()).toBe(second.json.id);
  });
});

describe("message protocol", () => {
  it("answers only this extension's own pages", async () => {
    const { background } = await setup();
    const fromWebPage = await background.router.handle({ kind: "session.get" }, { id: "test-extension-id", url: "https://evil.example/page" });
    const fromOtherExtension = await background.router.handle({ kind: "session.get" }, { id: "other", url: "chrome-extension://other/popup.html" });
    const withoutUrl = await background.router.handle({ kind: "session.get" }, { id: "test-extension-id" });
    for (const reply of [fromWebPage, fromOtherExtension, withoutUrl]) {
      expect(reply).toMatchObject({ ok: false, error: { reason: "bad-message" } });
    }
  });

  it("refuses unknown kinds and client methods outside the allowed list", async () => {
    const { background } = await setup();
    expect(await background.router.handle({ kind: "tabs.closeAll" }, PAGE)).toMatchObject({ ok: false, error: { title: "Unknown message" } });
    expect(await background.router.handle({ kind: "api", method: "login", args: [] }, PAGE)).toMatchObject({ ok: false });
    expect(await background.router.handle({ kind: "api", method: "raw", args: ["DELETE", "/companies/x"] }, PAGE)).toMatchObject({ ok: false });
  });

  it("relays allowed client calls with the session token", async () => {
    const { api, ask } = await setup();
    const owner = await ownerWithCompany(api);
    const invoice = await issuedInvoice(api, owner, "2026-11-02");
    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    const page = await ask<{ items: { id: string; number: string }[] }>({ kind: "api", method: "listInvoices", args: [owner.companyId, { limit: 5 }] });
    expect(page.items.map((i) => i.number)).toEqual([invoice.number]);
  });

  it("answers 'signed out' before any sign-in", async () => {
    const { background } = await setup();
    expect(await background.router.handle({ kind: "api", method: "me", args: [] }, PAGE)).toMatchObject({ ok: false, error: { reason: "signed-out" } });
  });

  it("replies through sendResponse on the runtime listener", async () => {
    // The fake browser has no context menus: a stand-in event that records its listener.
    fakeBrowser.contextMenus.onClicked.addListener = vi.fn();
    startBackground((await harness()).env);
    const sendResponse = vi.fn();
    const trigger = fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown[]>;
    const results = await trigger({ kind: "session.get" }, PAGE, sendResponse);
    expect(results).toContain(true);
    await vi.waitFor(() => expect(sendResponse).toHaveBeenCalledWith({ ok: true, value: null }));
  });
});

describe("uploads", () => {
  async function signedIn() {
    const s = await setup();
    const owner = await ownerWithCompany(s.api);
    await s.ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    return { ...s, owner };
  }

  it("sends a linked PDF with its source URL; the API holds the same bytes", async () => {
    const { api, web, ask, background, owner } = await signedIn();
    const url = "https://fournisseur.example/factures/FA-2026-118.pdf";
    const bytes = pdfBytes("facture fournisseur 118");
    web.pages.set(url, () => new Response(bytes, { headers: { "content-type": "application/pdf", "content-length": String(bytes.byteLength) } }));

    expect(await ask({ kind: "uploads.send", items: [{ url, label: "Facture 118" }] })).toEqual({ queued: 1 });
    await background.uploader.idle();

    const [upload] = await uploadsItem.getValue();
    expect(upload).toMatchObject({ state: "sent", label: "Facture 118", error: null, receivedBytes: bytes.byteLength });
    const docs = await api.call("GET", `/companies/${owner.companyId}/documents`, { token: owner.token });
    expect(docs.json.items).toHaveLength(1);
    expect(docs.json.items[0]).toMatchObject({
      id: upload!.documentId,
      originalName: "FA-2026-118.pdf",
      mimeType: "application/pdf",
      sourceUrl: url,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      sizeBytes: bytes.byteLength,
    });
  });

  it("says when the same bytes were already sent, stores nothing twice, and sends them anyway when asked", async () => {
    const { api, web, ask, background, owner } = await signedIn();
    const bytes = pdfBytes("facture fournisseur 118");
    const pdf = () => new Response(bytes, { headers: { "content-type": "application/pdf" } });
    web.pages.set("https://fournisseur.example/FA-118.pdf", pdf);
    web.pages.set("https://fournisseur.example/telecharger?id=118", pdf);
    await ask({ kind: "uploads.send", items: [{ url: "https://fournisseur.example/FA-118.pdf" }] });
    await background.uploader.idle();
    const [first] = await uploadsItem.getValue();
    api.clock.advance(3600_000);

    await ask({ kind: "uploads.send", items: [{ url: "https://fournisseur.example/telecharger?id=118" }] });
    await background.uploader.idle();
    const [again] = await uploadsItem.getValue();
    const stored = (await api.call("GET", `/companies/${owner.companyId}/documents`, { token: owner.token })).json.items;
    expect(stored).toHaveLength(1);
    expect(again).toMatchObject({ state: "duplicate", documentId: first!.documentId, alreadySentAt: stored[0].uploadedAt, sha256: createHash("sha256").update(bytes).digest("hex") });

    await ask({ kind: "uploads.sendAnyway", uploadId: again!.id });
    await background.uploader.idle();
    const [anyway] = await uploadsItem.getValue();
    expect(anyway).toMatchObject({ state: "sent", sendAnyway: true });
    const both = (await api.call("GET", `/companies/${owner.companyId}/documents`, { token: owner.token })).json.items;
    expect(both.map((d: { id: string }) => d.id)).toEqual([anyway!.documentId, first!.documentId]);
  });

  it("refuses a link that leads to a web page, and says why", async () => {
    const { web, ask, background } = await signedIn();
    web.pages.set("https://fournisseur.example/login", () => new Response("<html>Connexion</html>", { headers: { "content-type": "text/html; charset=utf-8" } }));
    await ask({ kind: "uploads.send", items: [{ url: "https://fournisseur.example/login" }] });
    await background.uploader.idle();
    expect((await uploadsItem.getValue())[0]).toMatchObject({ state: "failed", error: "ce n'est ni un PDF ni une image." });
  });

  it("reports the API's refusal of a file that is not a document", async () => {
    const { web, ask, background } = await signedIn();
    web.pages.set("https://fournisseur.example/notes.pdf", () => new Response("plain text pretending", { headers: { "content-type": "application/pdf" } }));
    await ask({ kind: "uploads.send", items: [{ url: "https://fournisseur.example/notes.pdf" }] });
    await background.uploader.idle();
    expect((await uploadsItem.getValue())[0]).toMatchObject({ state: "failed", error: "ce n'est ni un PDF ni une image." });
  });

  it("fails with the site's status, then succeeds when retried", async () => {
    const { web, ask, background } = await signedIn();
    const url = "https://fournisseur.example/releve.pdf";
    web.pages.set(url, () => new Response("gone", { status: 503 }));
    await ask({ kind: "uploads.send", items: [{ url }] });
    await background.uploader.idle();
    const [failed] = await uploadsItem.getValue();
    expect(failed).toMatchObject({ state: "failed", error: "le site a refusé de fournir le document (erreur 503)." });

    web.pages.set(url, () => new Response(pdfBytes("relevé"), { headers: { "content-type": "application/pdf" } }));
    await ask({ kind: "uploads.retry", uploadId: failed!.id });
    await background.uploader.idle();
    expect((await uploadsItem.getValue())[0]).toMatchObject({ id: failed!.id, state: "sent", error: null });
  });

  it("lets the page fetch the document itself when the site refuses the extension", async () => {
    const { api, ask, background, owner } = await signedIn();
    const bytes = pdfBytes("derrière une connexion");
    const base64 = Buffer.from(bytes).toString("base64");
    const executeScript = vi.spyOn(fakeBrowser.scripting, "executeScript").mockResolvedValue([
      { frameId: 0, documentId: "d", result: { status: 200, contentType: "application/pdf", disposition: 'attachment; filename="avis d\'échéance.pdf"', base64 } },
    ] as never);
    await ask({ kind: "uploads.send", items: [{ url: "https://espace-client.example/doc?id=7", tabId: 42 }] });
    await background.uploader.idle();

    expect(executeScript).toHaveBeenCalledWith(expect.objectContaining({ target: { tabId: 42 }, args: ["https://espace-client.example/doc?id=7"] }));
    expect((await uploadsItem.getValue())[0]).toMatchObject({ state: "sent" });
    const docs = await api.call("GET", `/companies/${owner.companyId}/documents`, { token: owner.token });
    expect(docs.json.items[0]).toMatchObject({ originalName: "avis d'échéance.pdf", sha256: createHash("sha256").update(bytes).digest("hex") });
  });

  it("sends documents one after the other, oldest request first", async () => {
    const { web, ask, background, requests } = await signedIn();
    for (const n of [1, 2, 3]) web.pages.set(`https://site.example/${n}.pdf`, () => new Response(pdfBytes(`doc ${n}`), { headers: { "content-type": "application/pdf" } }));
    await ask({ kind: "uploads.send", items: [1, 2, 3].map((n) => ({ url: `https://site.example/${n}.pdf` })) });
    await background.uploader.idle();
    expect(requests.filter((r) => r.includes("site.example"))).toEqual(["GET https://site.example/1.pdf", "GET https://site.example/2.pdf", "GET https://site.example/3.pdf"]);
    expect((await uploadsItem.getValue()).map((u) => u.state)).toEqual(["sent", "sent", "sent"]);
  });

  it("marks uploads cut short by a worker restart as failed, to be retried", async () => {
    const { background } = await signedIn();
    const base = { url: "https://site.example/a.pdf", label: "a.pdf", tabId: null, companyId: "c", receivedBytes: 10, totalBytes: 100, error: null, documentId: null, sha256: null, createdAt: 1, updatedAt: 1 };
    await uploadsItem.setValue([
      { ...base, id: "1", state: "fetching" },
      { ...base, id: "2", state: "sent" },
    ]);
    await background.uploader.recover();
    expect((await uploadsItem.getValue()).map((u) => [u.id, u.state, u.error])).toEqual([
      ["1", "failed", "envoi interrompu (navigateur fermé ou extension redémarrée)."],
      ["2", "sent", null],
    ]);
  });

  it("records a send asked for while signed out as failed, with the reason", async () => {
    const { background } = await setup();
    await background.uploader.enqueue([{ url: "https://site.example/a.pdf" }]);
    expect((await uploadsItem.getValue())[0]).toMatchObject({ state: "failed", error: "Vous n'êtes plus connecté : reconnectez-vous." });
  });

  it("the context menu sends the clicked link", async () => {
    const { web, background } = await signedIn();
    web.pages.set("https://site.example/devis.pdf", () => new Response(pdfBytes("devis"), { headers: { "content-type": "application/pdf" } }));
    await onMenuClick(background.uploader, { menuItemId: SEND_MENU_ID, linkUrl: "https://site.example/devis.pdf", pageUrl: "https://site.example/" }, { id: 3 });
    await background.uploader.idle();
    expect((await uploadsItem.getValue())[0]).toMatchObject({ url: "https://site.example/devis.pdf", tabId: 3, state: "sent" });
  });

  it("offers the menu on links, images and pages that are a document, not on ordinary pages", async () => {
    const created: unknown[] = [];
    fakeBrowser.contextMenus.removeAll = vi.fn(async () => undefined);
    fakeBrowser.contextMenus.create = vi.fn((item: unknown) => (created.push(item), 1)) as never;
    await createMenus();
    expect(created).toEqual([
      { id: SEND_MENU_ID, title: "Envoyer à mon comptable", contexts: ["link", "image"] },
      { id: SEND_PAGE_MENU_ID, title: "Envoyer à mon comptable", contexts: ["page"], documentUrlPatterns: DOCUMENT_PAGE_PATTERNS },
    ]);
    expect(DOCUMENT_PAGE_PATTERNS).toContain("*://*/*.pdf");
    expect(DOCUMENT_PAGE_PATTERNS).toContain("*://*/*.pdf?*");

    const { web, background } = await signedIn();
    web.pages.set("https://site.example/releve.pdf", () => new Response(pdfBytes("relevé"), { headers: { "content-type": "application/pdf" } }));
    await onMenuClick(background.uploader, { menuItemId: SEND_PAGE_MENU_ID, pageUrl: "https://site.example/releve.pdf" }, { id: 4 });
    await background.uploader.idle();
    expect((await uploadsItem.getValue())[0]).toMatchObject({ url: "https://site.example/releve.pdf", state: "sent" });
  });
});

describe("badge", () => {
  it("counts overdue invoices, schedules its refresh at sign-in and shows failures first", async () => {
    const { api, ask, background } = await setup();
    const owner = await ownerWithCompany(api);
    // Due 30 days after issue: the 2026-09 one is overdue on 2026-11-20, the 2026-11 one is not.
    const partly = await issuedInvoice(api, owner, "2026-08-01");
    const old = await issuedInvoice(api, owner, "2026-09-01");
    await issuedInvoice(api, owner, "2026-11-10");
    await api.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId: partly.id, amountCents: 1000, date: "2026-08-15", method: "transfer" } });

    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    await ask({ kind: "attention.refresh" });

    expect(await attentionItem.getValue()).toMatchObject({ companyId: owner.companyId, overdueCount: 2, overdueCents: old.dueCents + partly.dueCents - 1000 });
    expect(await fakeBrowser.action.getBadgeText({})).toBe("2");
    expect(await fakeBrowser.action.getTitle({})).toBe("Passerelle — factures en retard : 2");
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(ATTENTION_ALARM)).toMatchObject({ periodInMinutes: 30 }));

    await background.uploader.enqueue([{ url: "https://site.example/missing.pdf" }]);
    await background.uploader.idle();
    expect(await fakeBrowser.action.getBadgeText({})).toBe("!");
  });

  it("is cleared by signing out, and loses its overdue count when the session is refused", async () => {
    const { api, ask, background } = await setup();
    const owner = await ownerWithCompany(api);
    await issuedInvoice(api, owner, "2026-09-01");
    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    await ask({ kind: "attention.refresh" });
    expect(await fakeBrowser.action.getBadgeText({})).toBe("1");
    await api.call("POST", "/auth/logout", { token: (await sessionAuthItem.getValue())!.token });
    await background.router.handle({ kind: "api", method: "listInvoices", args: [owner.companyId, {}] }, PAGE);
    expect(await fakeBrowser.action.getBadgeText({})).toBe("");
    expect(await fakeBrowser.action.getTitle({})).toBe("Passerelle");

    await ask({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    await ask({ kind: "attention.refresh" });
    expect(await fakeBrowser.action.getBadgeText({})).toBe("1");
    await ask({ kind: "session.signOut" });
    expect(await fakeBrowser.action.getBadgeText({})).toBe("");
  });
});
