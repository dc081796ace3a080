/** Just enough MIME to read the messages the server sends: headers, multipart parts, QP/base64, RFC 2047 words. */

export interface ParsedMail {
  headers: Map<string, string>;
  subject: string;
  to: string;
  text: string;
  html: string;
  attachments: MailPart[];
}

/** A non-text part: its name (Content-Disposition), type and decoded bytes. */
export interface MailPart {
  filename: string;
  contentType: string;
  content: Buffer;
}

function splitHead(raw: string): [Map<string, string>, string] {
  const normalized = raw.replace(/\r\n/g, "\n");
  const end = normalized.indexOf("\n\n");
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const body = end < 0 ? "" : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return [headers, body];
}

export function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  const soft = value.replace(/=\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    const ch = soft[i]!;
    if (ch === "=" && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
  return body;
}

/** `filename="a.pdf"`, RFC 2047 words in it, or RFC 2231's `filename*=utf-8''a%C3%A9.pdf` (possibly split in `filename*0*=`…). */
function filenameOf(disposition: string): string {
  const extended = [...disposition.matchAll(/filename\*(?:\d+)?\*?=(?:"([^"]*)"|([^;\s]*))/gi)].map((m) => m[1] ?? m[2] ?? "").join("");
  if (extended) return decodeURIComponent(extended.replace(/^[^']*'[^']*'/, ""));
  return decodeWords(/filename="?([^";]*)"?/i.exec(disposition)?.[1] ?? "");
}

function attachmentOf(headers: Map<string, string>, body: string): MailPart {
  const encoding = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  return {
    filename: filenameOf(headers.get("content-disposition") ?? ""),
    contentType: (headers.get("content-type") ?? "").split(";")[0]!.trim(),
    content: encoding === "base64" ? Buffer.from(body.replace(/\s+/g, ""), "base64") : Buffer.from(body, "latin1"),
  };
}

export function parseMail(raw: string): ParsedMail {
  const [headers, body] = splitHead(raw);
  const out: ParsedMail = { headers, subject: decodeWords(headers.get("subject") ?? ""), to: headers.get("to") ?? "", text: "", html: "", attachments: [] };
  const walk = (h: Map<string, string>, b: string) => {
    const type = h.get("content-type") ?? "text/plain";
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (type.toLowerCase().startsWith("multipart/") && boundary) {
      const parts = b.split(`--${boundary}`).slice(1);
      for (const part of parts) {
        if (part.startsWith("--")) break;
        const [ph, pb] = splitHead(part.replace(/^\n/, ""));
        walk(ph, pb.replace(/\n$/, ""));
      }
    } else if (/^\s*attachment/i.test(h.get("content-disposition") ?? "")) out.attachments.push(attachmentOf(h, b));
    else if (type.toLowerCase().startsWith("text/html")) out.html += decodeBody(h, b);
    else if (type.toLowerCase().startsWith("text/plain")) out.text += decodeBody(h, b);
  };
  walk(headers, body);
  return out;
}
