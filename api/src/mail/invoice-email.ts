/** The e-mail carrying an issued invoice or credit note to the customer: the owner's words, the Factur-X PDF attached. */
import { escapeHtml } from "../http/docs-page.js";
import type { MailMessage } from "./mailer.js";
import { oneLine } from "./bilingual.js";

export interface InvoiceEmailInput {
  to: readonly string[];
  subject: string;
  message: string;
  companyName: string;
  replyTo: string;
  messageId: string;
  attachmentName: string;
  pdf: Buffer;
}

/** The owner's message as HTML: paragraphs at blank lines, line breaks kept, nothing interpreted. */
function messageHtml(message: string): string {
  const paragraphs = message.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`);
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(message.split("\n")[0] ?? "")}</title></head>
<body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1d2430;max-width:620px">
${paragraphs.join("\n")}
</body></html>`;
}

export function invoiceEmail(input: InvoiceEmailInput): MailMessage {
  return {
    to: input.to,
    subject: oneLine(input.subject),
    text: `${input.message}\n`,
    html: messageHtml(input.message),
    senderName: oneLine(input.companyName),
    replyTo: input.replyTo,
    messageId: input.messageId,
    attachments: [{ filename: input.attachmentName, contentType: "application/pdf", content: input.pdf }],
    logNote: `${input.attachmentName} attached`,
  };
}

/** `<sending-id@domain of the From address>`: unique, and the same on every attempt of one sending. */
export function sendingMessageId(sendingId: string, mailFrom: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom)?.[1] ?? "passerelle.invalid";
  return `<${sendingId}@${domain}>`;
}
