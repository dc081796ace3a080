/**
 * End to end, over real sockets: the owner signs up (confirming from the e-mail) and invites with
 * the typed client, a real SMTP server on loopback receives the e-mails, the accountant follows the
 * link like a browser (GET the page, post the form with its CSRF cookie and field), signs in with
 * the new account and reads the journal.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { ApiError, PasserelleClient, type SalesJournal } from "@passerelle/shared";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { testConfig } from "../src/config.js";
import { fixedClock } from "../src/clock.js";
import { COMPANY, CUSTOMER } from "./helpers.js";
import { signupLinkToken } from "./signup-flow.js";
import { freePort, startSmtp, type TestSmtp } from "./smtp-server.js";

let smtp: TestSmtp;
let server: ServerType;
let baseUrl: string;

beforeAll(async () => {
  smtp = await startSmtp();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-"));
  const deps = createDeps(testConfig({ dataDir, port, host: "127.0.0.1", publicUrl: baseUrl, smtpUrl: smtp.url }), {
    clock: fixedClock("2026-11-20T10:00:00Z"),
  });
  server = serve({ fetch: createApp(deps).fetch, port, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await smtp.close();
  vi.restoreAllMocks();
});

describe("inviting an accountant, end to end", () => {
  it("e-mail → link → account → the accountant reads the sales journal, and cannot change the owner's data", async () => {
    // the owner, with the typed client
    const owner = new PasserelleClient({ baseUrl });
    await owner.signup({ email: "claire@maison-lumiere.fr", password: "lumière et laiton 2026", name: "Claire Martin" });
    const signupMail = smtp.messages.shift()!;
    expect(signupMail.envelopeTo).toEqual(["claire@maison-lumiere.fr"]);
    await owner.confirmSignup({ token: signupLinkToken(signupMail), password: "lumière et laiton 2026" });
    const company = await owner.createCompany({ ...COMPANY, name: "Maison Lumière SARL" });
    const customer = await owner.createCustomer(company.id, CUSTOMER);
    const first = await owner.createDraft(company.id, {
      customerId: customer.id,
      lines: [{ description: "Étude d'éclairage", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" }],
    });
    const issued = await owner.issueInvoice(company.id, first.id, "2026-11-02");
    const second = await owner.createDraft(company.id, {
      customerId: customer.id,
      lines: [{ description: "Suspension laiton", quantity: "1", unitPriceCents: 18900, vatRateBp: 2000, kind: "goods" }],
    });
    await owner.issueInvoice(company.id, second.id, "2026-11-05");
    await owner.createCreditNote(company.id, issued.id, { issueDate: "2026-11-06" });

    const invitation = await owner.inviteAccountant(company.id, "expert@cabinet-durand.fr");
    expect(invitation).toMatchObject({ status: "pending", deliveryStatus: "sent", expiresAt: "2026-11-27T10:00:00.000Z" });

    // the e-mail, as the SMTP server received it
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail.envelopeTo).toEqual(["expert@cabinet-durand.fr"]);
    expect(mail.subject).toBe("Claire Martin vous invite sur Passerelle : Maison Lumière SARL / Invitation to Maison Lumière SARL");
    expect(mail.text).toContain("Claire Martin (claire@maison-lumiere.fr) vous invite à accéder à la comptabilité de Maison Lumière SARL");
    const link = /(http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    expect(link.startsWith(`${baseUrl}/invite/`)).toBe(true);
    expect(mail.html).toContain(`href="${link}"`);

    // the browser: open the link, fill in the form, post it with the cookie it was given
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    const cookie = page.headers.get("set-cookie")!.split(";")[0]!;
    const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
    const action = new URL(/<form method="post" action="([^"]+)"/.exec(html)![1]!, link);
    const password = "bilan carré 2026 !";
    const done = await fetch(action, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: baseUrl },
      body: new URLSearchParams({ ...hidden, name: "Denis Durand", password, confirm: password }),
    });
    expect(done.status).toBe(200);
    const donePage = await done.text();
    expect(donePage).toContain("Votre compte est créé et vous avez maintenant accès à <strong>Maison Lumière SARL</strong>");

    // the accountant signs in with the new account and pulls the journal
    const accountant = new PasserelleClient({ baseUrl });
    const session = await accountant.login({ email: "expert@cabinet-durand.fr", password });
    expect(session.user.name).toBe("Denis Durand");
    const portfolio = await accountant.listCompanies();
    expect(portfolio.items.map((c) => [c.name, c.role])).toEqual([["Maison Lumière SARL", "accountant"]]);
    const journal = await accountant.request<SalesJournal>("GET", `/companies/${company.id}/sales-journal`);
    expect(journal.items.map((r) => [r.date, r.number, r.type, r.htCents, r.vatCents, r.ttcCents])).toEqual([
      ["2026-11-02", "F2026-00001", "invoice", 3003, 601, 3604],
      ["2026-11-05", "F2026-00002", "invoice", 18900, 3780, 22680],
      ["2026-11-06", "AV2026-00001", "credit_note", -3003, -601, -3604],
    ]);
    expect(journal.totals).toMatchObject({ count: 3, htCents: 18900, vatCents: 3780, ttcCents: 22680 });

    const refused = await accountant.createCustomer(company.id, { name: "Intrus", address: "1 rue X, 75001 Paris" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(403);

    // the owner sees the accountant and the accepted invitation
    expect((await owner.listAccountants(company.id)).items.map((a) => a.email)).toEqual(["expert@cabinet-durand.fr"]);
    expect((await owner.listInvitations(company.id)).items[0]!.status).toBe("accepted");

    // the link is dead now
    const reused = await fetch(link);
    expect(reused.status).toBe(410);
  });
});
