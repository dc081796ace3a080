/** The frame of Passerelle's e-mails: French first, then English, as plain text and HTML. */
import { escapeHtml } from "../http/docs-page.js";

/** One language's message: paragraphs before the link, the button's label, paragraphs after it. */
export interface MailLanguage {
  before: string[];
  button?: string;
  after: string[];
}

/** "vendredi 27 novembre 2026 à 11:00" in the server's business time zone. */
export function expiryFr(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "full", timeStyle: "short", timeZone }).format(at);
}

export function expiryEn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "short", timeZone }).format(at);
}

/** Names typed by users go into a header: no line breaks, no runs of spaces. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

export function bilingualBody(fr: MailLanguage, en: MailLanguage, link: string | null): { text: string; html: string } {
  // the link goes right under the paragraph that introduces it
  const textOf = (t: MailLanguage) => [t.before.join("\n\n"), ...(link ? [link] : []), "", ...t.after].join("\n");
  const text = [textOf(fr), "", "— English —", "", textOf(en), ""].join("\n");

  const block = (t: MailLanguage, lang: string) => {
    const button =
      link && t.button
        ? `<p><a href="${escapeHtml(link)}" style="display:inline-block;background:#1f5fbf;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(t.button)}</a></p>
<p style="font-size:13px;color:#555">${escapeHtml(link)}</p>
`
        : "";
    return `<div lang="${lang}">
${t.before.map((p) => `<p>${escapeHtml(p)}</p>\n`).join("")}${button}<p>${t.after.map(escapeHtml).join("<br>")}</p>
</div>`;
  };
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Passerelle</title></head>
<body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1d2430;max-width:620px">
${block(fr, "fr")}
<hr style="border:none;border-top:1px solid #ddd;margin:24px 0">
${block(en, "en")}
</body></html>`;
  return { text, html };
}
