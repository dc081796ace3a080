import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMailer, type MailMessage } from "../src/mail/mailer.js";
import { testConfig } from "../src/config.js";
import { parseMail } from "./mime.js";
import { startSmtp, type TestSmtp } from "./smtp-server.js";

// bytes that a text encoding would damage: every byte value, a NUL and a lone CR among them
const pdf = Buffer.concat([Buffer.from("%PDF-1.7\r\n"), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from("\r%%EOF\n")]);

const message: MailMessage = {
  to: ["compta@client.fr", "Marie Durand <marie@client.fr>"],
  subject: "Facture F-2026-0042 — Atelier Dupont",
  text: "Bonjour,\n\nVeuillez trouver ci-joint la facture.",
  html: "<p>Bonjour,</p><p>Veuillez trouver ci-joint la facture.</p>",
  replyTo: "gerant@atelier-dupont.fr",
  messageId: "<invoice-sending-1@passerelle.test>",
  attachments: [{ filename: "Facture F-2026-0042 Atelier Dupont é.pdf", contentType: "application/pdf", content: pdf }],
};

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

describe("mailer: several recipients and attachments", () => {
  it("the outbox writes one multipart/mixed .eml: both recipients, the Message-ID asked for, the attachment byte for byte", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-mailer-"));
    const log: string[] = [];
    const mailer = createMailer(testConfig({ dataDir, mailFrom: "Passerelle <factures@passerelle.test>" }), (line) => log.push(line));
    const sent = await mailer.send(message);
    expect(sent.messageId).toBe("<invoice-sending-1@passerelle.test>");
    const files = fs.readdirSync(path.join(dataDir, "outbox"));
    expect(files).toHaveLength(1);
    expect(path.join(dataDir, "outbox", files[0]!)).toBe(sent.location);
    const mail = parseMail(fs.readFileSync(sent.location, "utf8"));
    expect(mail.headers.get("content-type")).toMatch(/^multipart\/mixed; boundary=/);
    expect(mail.to).toBe("compta@client.fr, Marie Durand <marie@client.fr>");
    expect(mail.headers.get("reply-to")).toBe("gerant@atelier-dupont.fr");
    expect(mail.headers.get("message-id")).toBe("<invoice-sending-1@passerelle.test>");
    expect(mail.subject).toBe("Facture F-2026-0042 — Atelier Dupont");
    expect(mail.text).toBe("Bonjour,\n\nVeuillez trouver ci-joint la facture.");
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.filename).toBe("Facture F-2026-0042 Atelier Dupont é.pdf");
    expect(mail.attachments[0]!.contentType).toBe("application/pdf");
    expect(mail.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(log[0]).toContain("message to compta@client.fr, Marie Durand <marie@client.fr> written to");
  });

  it("SMTP delivers to every recipient in one message, with the attachment byte for byte", async () => {
    smtp = await startSmtp();
    const mailer = createMailer(testConfig({ smtpUrl: smtp.url, mailFrom: "factures@passerelle.test" }));
    const sent = await mailer.send(message);
    expect(sent.messageId).toBe("<invoice-sending-1@passerelle.test>");
    expect(smtp.messages).toHaveLength(1);
    const received = smtp.messages[0]!;
    expect(received.envelopeTo).toEqual(["compta@client.fr", "marie@client.fr"]);
    expect(received.headers.get("message-id")).toBe("<invoice-sending-1@passerelle.test>");
    expect(received.attachments.map((a) => a.filename)).toEqual(["Facture F-2026-0042 Atelier Dupont é.pdf"]);
    expect(received.attachments[0]!.content.equals(pdf)).toBe(true);
  });

  it("a single recipient as a string and no attachment still makes the plain alternative message", async () => {
    smtp = await startSmtp();
    const mailer = createMailer(testConfig({ smtpUrl: smtp.url }));
    await mailer.send({ to: "one@client.fr", subject: "s", text: "t", html: "<p>t</p>" });
    expect(smtp.messages[0]!.envelopeTo).toEqual(["one@client.fr"]);
    expect(smtp.messages[0]!.headers.get("content-type")).toMatch(/^multipart\/alternative/);
    expect(smtp.messages[0]!.attachments).toEqual([]);
  });
});
