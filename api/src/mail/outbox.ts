import fs from "node:fs";
import path from "node:path";
import type { Transporter } from "nodemailer";
import { nodemailerOptions, recipientsLine, type Mailer } from "./mailer.js";

/** Writes each message as an RFC 5322 `.eml` file (openable by any mail client) under `<dataDir>/outbox`. */
export function outboxMailer(dataDir: string, from: string, log: (line: string) => void): Mailer {
  const dir = path.join(dataDir, "outbox");
  // nodemailer is loaded with the first message: most servers send few
  let transport: Transporter | undefined;
  let counter = 0;
  return {
    kind: "outbox",
    async send(message) {
      transport ??= (await import("nodemailer")).default.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
      const info = await transport.sendMail(nodemailerOptions(from, message));
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const file = path.join(dir, `${stamp}-${process.pid}-${String(++counter).padStart(6, "0")}.eml`);
      // write then rename: a reader never sees half a message
      fs.writeFileSync(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
      fs.renameSync(`${file}.tmp`, file);
      log(`[mail] no SMTP_URL: message to ${recipientsLine(message.to)} written to ${file}${message.logNote ? `\n[mail]   ${message.logNote}` : ""}`);
      return { messageId: info.messageId, location: file, rejected: [] };
    },
  };
}
