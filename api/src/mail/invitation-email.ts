/** The invitation e-mail, French first then English, as plain text and HTML. */
import { escapeHtml } from "../http/docs-page.js";
import type { MailMessage } from "./mailer.js";

export interface InvitationEmailInput {
  to: string;
  companyName: string;
  ownerName: string;
  ownerEmail: string;
  link: string;
  expiresAt: Date;
  timeZone: string;
}

/** "vendredi 27 novembre 2026 à 11:00" in the company's time zone. */
export function expiryFr(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "full", timeStyle: "short", timeZone }).format(at);
}

export function expiryEn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "short", timeZone }).format(at);
}

/** Names typed by users go into a header: no line breaks, no runs of spaces. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

export function invitationEmail(input: InvitationEmailInput): MailMessage {
  const company = oneLine(input.companyName);
  const owner = oneLine(input.ownerName);
  const untilFr = `${expiryFr(input.expiresAt, input.timeZone)} (heure de ${input.timeZone})`;
  const untilEn = `${expiryEn(input.expiresAt, input.timeZone)} (${input.timeZone} time)`;

  const fr = {
    hello: "Bonjour,",
    intro: `${owner} (${input.ownerEmail}) vous invite à accéder à la comptabilité de ${company} sur Passerelle.`,
    see: "Vous y verrez les factures et avoirs, le journal des ventes, les clients, les produits et services, la TVA, les encaissements et les documents partagés. Vous pourrez attribuer les comptes comptables, verrouiller des périodes et produire les exports (FEC, Excel). Vous ne pourrez pas modifier les factures, clients ou produits de l'entreprise.",
    action: "Pour accepter l'invitation et créer votre compte gratuit (ou vous connecter si vous en avez déjà un), ouvrez ce lien :",
    button: "Accepter l'invitation",
    expiry: `Ce lien est personnel, ne sert qu'une seule fois et expire le ${untilFr}.`,
    ignore: "Si vous n'attendiez pas cette invitation, ignorez simplement ce message.",
  };
  const en = {
    hello: "Hello,",
    intro: `${owner} (${input.ownerEmail}) invites you to the accounts of ${company} on Passerelle.`,
    see: "You will see the invoices and credit notes, the sales journal, customers, products and services, VAT, payments received and shared documents. You will be able to set account codes, lock periods and produce exports (FEC, Excel). You will not be able to change the company's invoices, customers or products.",
    action: "To accept the invitation and create your free account (or sign in if you already have one), open this link:",
    button: "Accept the invitation",
    expiry: `This personal link works once and expires on ${untilEn}.`,
    ignore: "If you were not expecting this invitation, simply ignore this message.",
  };

  const text = [
    fr.hello, "", fr.intro, "", fr.see, "", fr.action, input.link, "", fr.expiry, fr.ignore,
    "", "— English —", "",
    en.hello, "", en.intro, "", en.see, "", en.action, input.link, "", en.expiry, en.ignore, "",
  ].join("\n");

  const block = (t: typeof fr, lang: string) => `<div lang="${lang}">
<p>${escapeHtml(t.hello)}</p>
<p>${escapeHtml(t.intro)}</p>
<p>${escapeHtml(t.see)}</p>
<p>${escapeHtml(t.action)}</p>
<p><a href="${escapeHtml(input.link)}" style="display:inline-block;background:#1f5fbf;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(t.button)}</a></p>
<p style="font-size:13px;color:#555">${escapeHtml(input.link)}</p>
<p>${escapeHtml(t.expiry)}<br>${escapeHtml(t.ignore)}</p>
</div>`;
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Passerelle</title></head>
<body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1d2430;max-width:620px">
${block(fr, "fr")}
<hr style="border:none;border-top:1px solid #ddd;margin:24px 0">
${block(en, "en")}
</body></html>`;

  return {
    to: input.to,
    subject: `${owner} vous invite sur Passerelle : ${company} / Invitation to ${company}`,
    text,
    html,
    logNote: `invitation link for ${input.to}: ${input.link}`,
  };
}
