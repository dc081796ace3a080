import type { Transporter } from "nodemailer";
import { nodemailerOptions, type Mailer } from "./mailer.js";

/** Delivery through an SMTP server given as a nodemailer URL (`smtp://`, `smtps://`). */
export function smtpMailer(url: string, from: string): Mailer {
  // nodemailer is loaded with the first message: most servers send few
  let transport: Transporter | undefined;
  return {
    kind: "smtp",
    async send(message) {
      transport ??= (await import("nodemailer")).default.createTransport(url, {
        // A mail server that does not answer must not hold an owner's request for minutes.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      } as never);
      const info = await transport.sendMail(nodemailerOptions(from, message));
      const rejected = (info.rejected ?? []).map((r: string | { address: string }) => (typeof r === "string" ? r : r.address));
      // accepted for some recipients, the message is sent: sending it again would duplicate it for them
      if ((info.accepted ?? []).length === 0) throw new Error(`the mail server refused ${rejected.join(", ")}: ${info.response ?? ""}`.trim());
      return { messageId: info.messageId, location: info.response ?? "accepted", rejected };
    },
  };
}
