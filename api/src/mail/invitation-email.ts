/** The invitation e-mail, French first then English, as plain text and HTML. */
import { bilingualBody, expiryEn, expiryFr, oneLine } from "./bilingual.js";
import type { MailMessage } from "./mailer.js";

export interface InvitationEmailInput {
  to: string;
  companyName: string;
  ownerName: string;
  ownerEmail: string;
  link: string;
  expiresAt: Date;
  timeZone: string;
  /** An earlier e-mail of this invitation was delivered: its link no longer works, and the accountant is told. */
  replacesEarlierLink: boolean;
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
    replaces: "Il remplace le lien de l'invitation reçue précédemment, qui ne fonctionne plus.",
    ignore: "Si vous n'attendiez pas cette invitation, ignorez simplement ce message.",
  };
  const en = {
    hello: "Hello,",
    intro: `${owner} (${input.ownerEmail}) invites you to the accounts of ${company} on Passerelle.`,
    see: "You will see the invoices and credit notes, the sales journal, customers, products and services, VAT, payments received and shared documents. You will be able to set account codes, lock periods and produce exports (FEC, Excel). You will not be able to change the company's invoices, customers or products.",
    action: "To accept the invitation and create your free account (or sign in if you already have one), open this link:",
    button: "Accept the invitation",
    expiry: `This personal link works once and expires on ${untilEn}.`,
    replaces: "It replaces the link of the invitation you received earlier, which no longer works.",
    ignore: "If you were not expecting this invitation, simply ignore this message.",
  };

  const replaced = (says: string) => (input.replacesEarlierLink ? [says] : []);
  const { text, html } = bilingualBody(
    { before: [fr.hello, fr.intro, fr.see, fr.action], button: fr.button, after: [fr.expiry, ...replaced(fr.replaces), fr.ignore] },
    { before: [en.hello, en.intro, en.see, en.action], button: en.button, after: [en.expiry, ...replaced(en.replaces), en.ignore] },
    input.link,
  );

  return {
    to: input.to,
    subject: `${owner} vous invite sur Passerelle : ${company} / Invitation to ${company}`,
    text,
    html,
    logNote: `invitation link for ${input.to}: ${input.link}`,
  };
}
