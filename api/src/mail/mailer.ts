/**
 * Outgoing mail. With `SMTP_URL` set, messages go through that server (nodemailer); without it
 * they are written to `$PASSERELLE_DATA/outbox/*.eml` and announced in the server log, so a
 * zero-config install still works end to end.
 */
import type { Config } from "../config.js";
import { smtpMailer } from "./smtp.js";
import { outboxMailer } from "./outbox.js";

/** A file sent with the message (e.g. an invoice's Factur-X PDF), as a MIME part of its own. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MailMessage {
  /** One address, or several: each is a recipient of the same message. */
  to: string | readonly string[];
  subject: string;
  text: string;
  html: string;
  /** The name shown as the sender (e.g. the company sending its invoice); the address stays the configured one. */
  senderName?: string;
  /** Where answers go (e.g. the owner who sends an invoice), when not to the sending address. */
  replyTo?: string;
  attachments?: readonly MailAttachment[];
  /**
   * The Message-ID to give the message (`<…@…>`), when the caller records it before the first
   * attempt so that a retry is recognisably the same message; otherwise one is generated.
   */
  messageId?: string;
  /** Printed in the server log when the message stays in the local outbox (e.g. the link it carries). */
  logNote?: string;
}

export interface SentMail {
  messageId: string;
  /** Recipients the mail server refused while accepting the message for the others. */
  rejected: string[];
  /** Where the message went: the SMTP server's answer, or the outbox file. */
  location: string;
}

export interface Mailer {
  readonly kind: "smtp" | "outbox";
  /** Resolves once the message is accepted (by the SMTP server, or on disk); rejects with the reason otherwise. */
  send(message: MailMessage): Promise<SentMail>;
}

export function createMailer(config: Config, log: (line: string) => void = (line) => console.log(line)): Mailer {
  return config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : outboxMailer(config.dataDir, config.mailFrom, log);
}

/** The message in nodemailer's terms, the same for SMTP and the outbox. */
export function nodemailerOptions(from: string, message: MailMessage) {
  return {
    from: message.senderName ? { name: message.senderName, address: addressOf(from) } : from,
    to: typeof message.to === "string" ? message.to : [...message.to],
    subject: message.subject,
    text: message.text,
    html: message.html,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    ...(message.messageId ? { messageId: message.messageId } : {}),
    attachments: (message.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
}

/** The recipients as one line for the log. */
export function recipientsLine(to: MailMessage["to"]): string {
  return typeof to === "string" ? to : to.join(", ");
}

/** "Passerelle <factures@example.fr>" → "factures@example.fr". */
function addressOf(from: string): string {
  return /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}
