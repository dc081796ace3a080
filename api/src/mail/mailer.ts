/**
 * Outgoing mail. With `SMTP_URL` set, messages go through that server (nodemailer); without it
 * they are written to `$PASSERELLE_DATA/outbox/*.eml` and announced in the server log, so a
 * zero-config install still works end to end.
 */
import type { Config } from "../config.js";
import { smtpMailer } from "./smtp.js";
import { outboxMailer } from "./outbox.js";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Printed in the server log when the message stays in the local outbox (e.g. the link it carries). */
  logNote?: string;
}

export interface SentMail {
  messageId: string;
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
