/**
 * The two e-mails a sign-up sends, one or the other: the confirmation link for a new address, and
 * for an address that already has an account, a notice that changes nothing.
 */
import { bilingualBody, expiryEn, expiryFr, oneLine } from "./bilingual.js";
import type { MailMessage } from "./mailer.js";

export function signupConfirmationEmail(input: { to: string; name: string; link: string; expiresAt: Date; timeZone: string }): MailMessage {
  const name = oneLine(input.name);
  const untilFr = `${expiryFr(input.expiresAt, input.timeZone)} (heure de ${input.timeZone})`;
  const untilEn = `${expiryEn(input.expiresAt, input.timeZone)} (${input.timeZone} time)`;
  const { text, html } = bilingualBody(
    {
      before: [
        `Bonjour ${name},`,
        `Pour créer votre compte Passerelle avec l'adresse ${input.to}, ouvrez ce lien et saisissez le mot de passe que vous avez choisi :`,
      ],
      button: "Créer mon compte",
      after: [
        `Ce lien ne sert qu'une seule fois et expire le ${untilFr}.`,
        "Si vous n'avez pas demandé à créer un compte, ignorez ce message : aucun compte ne sera créé.",
      ],
    },
    {
      before: [`Hello ${name},`, `To create your Passerelle account for ${input.to}, open this link and enter the password you chose:`],
      button: "Create my account",
      after: [
        `This link works once and expires on ${untilEn}.`,
        "If you did not ask to create an account, ignore this message: no account will be created.",
      ],
    },
    input.link,
  );
  return {
    to: input.to,
    subject: "Confirmez la création de votre compte Passerelle / Confirm your Passerelle account",
    text,
    html,
    logNote: `sign-up confirmation link for ${input.to}: ${input.link}`,
  };
}

export function accountExistsEmail(input: { to: string }): MailMessage {
  const { text, html } = bilingualBody(
    {
      before: [
        "Bonjour,",
        `Quelqu'un (vous, peut-être) a demandé à créer un compte Passerelle avec l'adresse ${input.to}. Un compte existe déjà pour cette adresse : connectez-vous avec son mot de passe.`,
      ],
      after: [
        "Si vous avez oublié ce mot de passe, contactez la personne qui administre votre serveur Passerelle.",
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien n'a changé sur votre compte.",
      ],
    },
    {
      before: [
        "Hello,",
        `Someone (perhaps you) asked to create a Passerelle account for ${input.to}. An account already exists for this address: sign in with its password.`,
      ],
      after: [
        "If you forgot that password, contact whoever runs your Passerelle server.",
        "If you did not make this request, ignore this message: nothing changed on your account.",
      ],
    },
    null,
  );
  return { to: input.to, subject: "Votre compte Passerelle existe déjà / Your Passerelle account already exists", text, html };
}
