import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestApp, ownerWithCompany } from "./helpers.js";
import { ACCOUNTANT_PASSWORD, linkToken } from "./access-helpers.js";
import { freePort, startSmtp, type TestSmtp } from "./smtp-server.js";
import { retryDueInvitations } from "../src/services/invitation-delivery.js";
import { createMailer } from "../src/mail/mailer.js";
import type { Config } from "../src/config.js";

/** The owner signs up through the outbox; from then on the app sends through `smtpUrl`, as a server with SMTP_URL set does. */
async function ownerThenSmtp(smtpUrl: string, config: Partial<Config> = {}) {
  const t = createTestApp({ config });
  const owner = await ownerWithCompany(t);
  t.deps.mailer = createMailer({ ...t.deps.config, smtpUrl });
  return { t, owner };
}

let servers: TestSmtp[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe("invitation e-mail delivery over SMTP", () => {
  it("sends through SMTP_URL: one message, to the invited address only", async () => {
    const smtp = await startSmtp();
    servers.push(smtp);
    const { t, owner } = await ownerThenSmtp(smtp.url, { mailFrom: "Passerelle <invitations@passerelle.test>" });
    const res = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: "smtp@cabinet.fr" } });
    expect(res.json).toMatchObject({ deliveryStatus: "sent", deliveryAttempts: 1, deliveryError: null });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.envelopeTo).toEqual(["smtp@cabinet.fr"]);
    expect(smtp.messages[0]!.headers.get("from")).toBe("Passerelle <invitations@passerelle.test>");
    expect(smtp.messages[0]!.headers.get("content-type")).toMatch(/^multipart\/alternative/);
  });

  it("when the mail server is down, says so on the invitation and retries until it is back, with a fresh link", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const port = await freePort();
    const { t, owner } = await ownerThenSmtp(`smtp://127.0.0.1:${port}`);
    const res = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: "later@cabinet.fr" } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: "pending", deliveryStatus: "retrying", deliveryAttempts: 1, nextDeliveryAt: "2026-11-20T10:01:00.000Z" });
    expect(res.json.deliveryError).toContain("ECONNREFUSED");

    // not due yet: nothing is attempted
    t.clock.advance(59_000);
    expect(await retryDueInvitations(t.deps)).toBe(0);

    const smtp = await startSmtp({ port });
    servers.push(smtp);
    t.clock.advance(1_000);
    expect(await retryDueInvitations(t.deps)).toBe(1);
    const list = await t.call("GET", `/companies/${owner.companyId}/invitations`, { token: owner.token });
    expect(list.json.items[0]).toMatchObject({ deliveryStatus: "sent", deliveryAttempts: 2, deliveryError: null, nextDeliveryAt: null, lastDeliveryAt: "2026-11-20T10:01:00.000Z" });
    expect(smtp.messages).toHaveLength(1);
    const token = linkToken(smtp.messages[0]!);
    const accepted = await t.call("POST", "/invitations/accept", { body: { token, name: "Later", password: ACCOUNTANT_PASSWORD } });
    expect(accepted.status).toBe(200);
    expect(await retryDueInvitations(t.deps)).toBe(0);
  });

  it("gives up after six refused attempts, keeps the reason, and a resend starts over", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    let refuse = true;
    const smtp = await startSmtp({ rejectRecipient: (a) => (refuse && a === "bounce@cabinet.fr" ? "Mailbox unavailable" : null) });
    servers.push(smtp);
    const { t, owner } = await ownerThenSmtp(smtp.url);
    const first = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: "bounce@cabinet.fr" } });
    expect(first.json.deliveryStatus).toBe("retrying");
    expect(first.json.deliveryError).toContain("550 Mailbox unavailable");
    const delays: number[] = [];
    let last = Date.parse(first.json.lastDeliveryAt);
    for (;;) {
      const row = t.deps.db.prepare("SELECT delivery_status, next_attempt_at FROM invitations").get() as { delivery_status: string; next_attempt_at: string | null };
      if (row.delivery_status !== "retrying") break;
      t.clock.set(row.next_attempt_at!);
      delays.push((Date.parse(row.next_attempt_at!) - last) / 60_000);
      last = Date.parse(row.next_attempt_at!);
      expect(await retryDueInvitations(t.deps)).toBe(1);
    }
    expect(delays).toEqual([1, 5, 15, 60, 240]);
    const failed = (await t.call("GET", `/companies/${owner.companyId}/invitations`, { token: owner.token })).json.items[0];
    expect(failed).toMatchObject({ status: "pending", deliveryStatus: "failed", deliveryAttempts: 6, nextDeliveryAt: null });
    expect(failed.deliveryError).toContain("550 Mailbox unavailable");
    expect(smtp.messages).toHaveLength(0);

    refuse = false;
    const resent = await t.call("POST", `/companies/${owner.companyId}/invitations/${failed.id}/resend`, { token: owner.token });
    expect(resent.json).toMatchObject({ deliveryStatus: "sent", deliveryAttempts: 1, deliveryError: null });
    expect(smtp.messages).toHaveLength(1);
  });

  it("does not e-mail a revoked invitation whose retry is pending", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const port = await freePort();
    const { t, owner } = await ownerThenSmtp(`smtp://127.0.0.1:${port}`);
    const res = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: "oops@cabinet.fr" } });
    await t.call("DELETE", `/companies/${owner.companyId}/invitations/${res.json.id}`, { token: owner.token });
    const smtp = await startSmtp({ port });
    servers.push(smtp);
    t.clock.advance(3600_000);
    expect(await retryDueInvitations(t.deps)).toBe(0);
    expect(smtp.messages).toHaveLength(0);
  });
});
