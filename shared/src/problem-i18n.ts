/**
 * The API's problems in the users' language. The API states its rules in English (the source
 * language of its code); a problem+json answer is translated here, at the response boundary, into
 * the language the request asks for (`Accept-Language`; French unless English is preferred).
 *
 * One catalogue for the API, the owner's extension and the accountant's add-in:
 * - RULES: an English rule (a template whose `{…}` parts are the values it names) and its French;
 * - FIELDS: a field of a request and its name in the users' words, French and English;
 * - TITLES: the titles of problems.
 * A rule, a title or a field the catalogue does not know is reported as a miss, so that tests can
 * find what is left in English; the answer then keeps the English words it could not translate.
 */
import { formatDateFr, formatEuros } from "./format.js";

export type Language = "fr" | "en";

export interface FieldMessage {
  path: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldMessage[];
}

/** The language a request asks for: English when it prefers English to French, French otherwise. */
export function languageOf(acceptLanguage: string | null | undefined): Language {
  let fr = -1;
  let en = -1;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const [tag = "", ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const primary = tag.split("-")[0];
    if (primary === "fr") fr = Math.max(fr, q);
    else if (primary === "en") en = Math.max(en, q);
  }
  return en > fr ? "en" : "fr";
}

// ---------------------------------------------------------------------------------------------
// Values inside a rule
// ---------------------------------------------------------------------------------------------

const frDate = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatDateFr(iso) : iso);

/** What each kind of `{…}` matches, and how it reads in French. */
const KINDS: Record<string, { pattern: string; fr: (value: string, misses: string[]) => string }> = {
  "": { pattern: "(.+?)", fr: (v) => v },
  date: { pattern: "(\\d{4}-\\d{2}-\\d{2})", fr: frDate },
  cents: { pattern: "(-?\\d+)", fr: (v) => formatEuros(Number(v)) },
  n: { pattern: "(\\d[\\d,.]*)", fr: (v) => v.replace(/,/g, "\u202f").replace(".", ",") },
  rule: { pattern: "(.+?)", fr: (v, misses) => translateRule(v, misses) },
  rules: { pattern: "(.+?)", fr: (v, misses) => v.split("; ").map((r) => translateRule(r, misses)).join(" ; ") },
  field: { pattern: "(.+?)", fr: (v, misses) => fieldLabel(v, misses) },
  fields: { pattern: "(.+?)", fr: (v, misses) => v.split(", ").map((f) => fieldLabel(f, misses)).join(", ") },
  seconds: { pattern: "(\\d+ seconds?)", fr: (v) => v.replace(/ seconds?$/, (s) => (s.endsWith("s") ? " secondes" : " seconde")) },
  word: { pattern: "([\\w ]+?)", fr: (v, misses) => word(v, misses) },
  thing: { pattern: "([\\w ]+?)", fr: (v, misses) => thing(v, misses) },
  item: { pattern: "(.+?)", fr: (v, misses) => item(v, misses) },
};

const WORDS: Record<string, string> = {
  changed: "modifier",
  deleted: "supprimer",
  accepted: "accepté",
  refused: "refusé",
  expired: "expiré",
  "not accepted yet": "pas encore accepté",
  revoked: "révoquée",
  owner: "propriétaire",
  accountant: "expert-comptable",
  "before VAT": "HT",
  "VAT included": "TTC",
  "no date": "aucune date",
  draft: "brouillon",
};
function word(value: string, misses: string[]): string {
  const fr = WORDS[value];
  if (fr === undefined) misses.push(`word: ${value}`);
  return fr ?? value;
}

/** What a 404 names: « Cette facture n'existe pas… » */
const THINGS: Record<string, string> = {
  resource: "Cette ressource",
  company: "Cette entreprise",
  customer: "Ce client",
  product: "Ce produit",
  invoice: "Cette facture",
  quote: "Ce devis",
  order: "Cette commande",
  payment: "Ce paiement",
  document: "Ce document",
  logo: "Ce logo",
  invitation: "Cette invitation",
  accountant: "Cet expert-comptable",
  sending: "Cet envoi",
  webhook: "Ce webhook",
  "API key": "Cette clé d'API",
  "journal query": "Cette requête de journal",
};
function thing(value: string, misses: string[]): string {
  const fr = THINGS[value];
  if (fr === undefined) misses.push(`thing: ${value}`);
  return fr ?? value;
}

/** A route's path or a method, named as it is: it is not a word of the users' language. */
function item(value: string, _misses: string[]): string {
  return value;
}

// ---------------------------------------------------------------------------------------------
// Rules: [English template, French template]; `{1}`, `{2}`… in French are the English values in order.
// ---------------------------------------------------------------------------------------------

export const RULES: ReadonlyArray<readonly [string, string]> = [
  // requests, sign-in, access
  ["The connection closed before the request arrived whole; nothing was changed.", "La connexion s'est fermée avant que la demande n'arrive entière ; rien n'a été modifié."],
  ["Something went wrong on our side; nothing was changed.", "Une erreur s'est produite de notre côté ; rien n'a été modifié."],
  ["The database cannot be reached; nothing was changed. Try again in a few seconds.", "La base de données est injoignable ; rien n'a été modifié. Réessayez dans quelques secondes."],
  ["No route for {item} {item}.", "Aucune adresse {1} {2} ici."],
  ["The request body exceeds {n} bytes.", "La demande dépasse {1} octets."],
  ["is not a known field", "n'est pas un champ connu"],
  ["unknown field(s): {}", "champ(s) inconnu(s) : « {1} »"],
  ["Malformed FormData request. Failed to parse body as FormData.", "Le formulaire envoyé n'a pas pu être lu."],
  ["Unsupported Media Type", "Ce type de contenu n'est pas accepté ici."],
  ["must not contain control characters other than line breaks (found {})", "ne doit pas contenir de caractères de contrôle autres que des retours à la ligne (trouvé {1})"],
  ["must not contain control characters or line breaks (found {})", "ne doit pas contenir de caractères de contrôle ni de retours à la ligne (trouvé {1})"],
  ["must not contain bidirectional formatting characters (found {})", "ne doit pas contenir de caractères de mise en forme bidirectionnelle (trouvé {1})"],
  ["is not valid Unicode text", "n'est pas un texte Unicode valide"],
  ["file name is not valid Unicode text", "le nom du fichier n'est pas un texte Unicode valide"],
  ["is not valid UTF-8 text", "n'est pas un texte UTF-8 valide"],
  ["holds half of a UTF-16 surrogate pair (not valid Unicode text)", "contient une moitié de paire de substitution UTF-16 (ce n'est pas un texte Unicode valide)"],
  ["must be an absolute URL, e.g. https://example.fr/hooks/passerelle", "doit être une adresse complète, par exemple https://example.fr/hooks/passerelle"],
  ["Malformed JSON in request body", "La saisie n'est pas un JSON valide."],
  ["The request could not be read.", "La demande n'a pas pu être lue."],
  ["{item} is not allowed here; this path answers {item}.", "{1} n'est pas permis ici ; cette adresse répond à {2}."],
  ["This {thing} does not exist or is not visible to you.", "{1} n'existe pas ou ne vous est pas visible."],
  ["Sign in first: send `Authorization: Bearer <token>`.", "Connectez-vous d'abord."],
  ["The Authorization header must be `Bearer <token>`.", "L'en-tête Authorization doit être « Bearer <jeton> »."],
  ["This token is unknown, expired or revoked. Sign in again.", "Cette session est inconnue, expirée ou révoquée. Connectez-vous à nouveau."],
  ["This API key is read-only.", "Cette clé d'API est en lecture seule."],
  ["This API key is read-only: it can only read (GET). Create a key with scope `write` to change data.", "Cette clé d'API est en lecture seule : elle ne peut que lire. Créez une clé « write » pour modifier les données."],
  ["Only the company's owners change its invoices, customers, products, payments and documents.", "Seuls les propriétaires de l'entreprise modifient ses factures, clients, produits, paiements et documents."],
  ["Only the company's accountants change account codes, locks and exports.", "Seuls les experts-comptables de l'entreprise modifient les comptes, les verrouillages et les exports."],
  ["Only the company's owners manage invitations and accountants.", "Seuls les propriétaires de l'entreprise gèrent les invitations et les experts-comptables."],
  ["Too many passwords are being checked at once. Try again in {n} seconds.", "Trop de mots de passe sont vérifiés en même temps. Réessayez dans {1} secondes."],
  ["Too many sign-in attempts. Try again in {n} seconds.", "Trop de tentatives de connexion. Réessayez dans {1} secondes."],
  ["Too many sign-ups from this address or for this e-mail. Try again in {n} seconds.", "Trop d'inscriptions depuis cette adresse ou pour cet e-mail. Réessayez dans {1} secondes."],
  ["Too many attempts. Try again in {n} seconds.", "Trop de tentatives. Réessayez dans {1} secondes."],
  ["is not a cursor this API gave out", "n'est pas un curseur donné par cette API"],
  ["must be a sequence number this stream sent", "doit être un numéro de séquence envoyé par ce flux"],
  ["This API key cannot create companies.", "Cette clé d'API ne peut pas créer d'entreprise."],
  ["API keys are managed from a signed-in session, not with an API key.", "Les clés d'API se gèrent depuis une session connectée, pas avec une clé d'API."],
  ["is not a company you belong to", "n'est pas une entreprise dont vous êtes membre"],
  ["The form is too large.", "Le formulaire est trop volumineux."],
  ["The Excel add-in is not built on this server: run `npm run build -w excel-addin`.", "Le complément Excel n'est pas construit sur ce serveur : lancez « npm run build -w excel-addin »."],
  ["No add-in file at {item}.", "Aucun fichier du complément à l'adresse {1}."],
  ["The server is making too many PDFs at the moment ({n} waiting): try again in {seconds}.", "Le serveur fait trop de PDF en ce moment ({1} en attente) : réessayez dans {2}."],
  ["Making this PDF took longer than the {n}-second limit, so it was stopped: try again in {seconds}; a document this heavy may need shorter lines or notes.", "Ce PDF a pris plus que la limite de {1} secondes, il a donc été arrêté : réessayez dans {2} ; un document aussi lourd demande peut-être des lignes ou des notes plus courtes."],
  ["The request was abandoned before its PDF was made.", "La demande a été abandonnée avant que son PDF ne soit fait."],
  ["The export could not be produced; nothing was sent or recorded. The server log says why.", "L'export n'a pas pu être produit ; rien n'a été envoyé ni enregistré. Le journal du serveur dit pourquoi."],
  ["The stored file of this document cannot be read on the server; the server log says why.", "Le fichier de ce document ne peut pas être lu sur le serveur ; le journal du serveur dit pourquoi."],
  ["PDF/A needs embedded fonts: reinstall the dejavu-fonts-ttf package or set PASSERELLE_PDF_FONTS to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.", "Le PDF/A demande des polices incorporées : réinstallez le paquet dejavu-fonts-ttf ou indiquez dans PASSERELLE_PDF_FONTS un dossier qui contient DejaVuSans.ttf et DejaVuSans-Bold.ttf."],
  // accounts and sign-up
  ["An account already exists for this e-mail; sign in instead.", "Un compte existe déjà pour cet e-mail ; connectez-vous plutôt."],
  ["is already registered", "est déjà inscrit"],
  ["E-mail or password is incorrect.", "E-mail ou mot de passe incorrect."],
  ["The e-mail to {} could not be sent; nothing was recorded. Try again in a few minutes.", "L'e-mail à {1} n'a pas pu être envoyé ; rien n'a été enregistré. Réessayez dans quelques minutes."],
  ["This is not the password chosen when signing up ({n} attempt left).", "Ce n'est pas le mot de passe choisi à l'inscription (encore {1} essai)."],
  ["This is not the password chosen when signing up ({n} attempts left).", "Ce n'est pas le mot de passe choisi à l'inscription (encore {1} essais)."],
  ["is not the password chosen at sign-up", "n'est pas le mot de passe choisi à l'inscription"],
  ["must be at least 10 characters", "doit compter au moins 10 caractères"],
  ["must be at most 200 characters", "doit compter au plus 200 caractères"],
  ["must be an e-mail address", "doit être une adresse e-mail"],
  // invitations
  ["{} already has access to this company (as {word}); there is nobody to invite.", "{1} a déjà accès à cette entreprise (en tant que {2}) ; il n'y a personne à inviter."],
  ["already has access to this company", "a déjà accès à cette entreprise"],
  ["{} already has a pending invitation ({}, valid until {date}); resend it instead of inviting again.", "{1} a déjà une invitation en attente ({2}, valable jusqu'au {3}) ; renvoyez-la plutôt que d'inviter à nouveau."],
  ["already has a pending invitation", "a déjà une invitation en attente"],
  ["This invitation was {word}; it cannot be sent again.", "Cette invitation a été {1} ; elle ne peut plus être envoyée."],
  ["This invitation was {word}; it cannot be sent again. Invite the e-mail again instead.", "Cette invitation a été {1} ; elle ne peut plus être envoyée. Invitez plutôt cet e-mail à nouveau."],
  ["This invitation was already accepted; remove the accountant's access instead (DELETE /companies/{companyId}/accountants/{userId}).", "Cette invitation a déjà été acceptée ; retirez plutôt l'accès de l'expert-comptable."],
  ["This invitation is for {}; you are signed in with another account.", "Cette invitation est destinée à {1} ; vous êtes connecté avec un autre compte."],
  ["is required: an account already exists for {}, sign in with its password", "est obligatoire : un compte existe déjà pour {1}, connectez-vous avec son mot de passe"],
  ["Wrong password for {}.", "Mot de passe incorrect pour {1}."],
  ["is not the password of this account", "n'est pas le mot de passe de ce compte"],
  ["is required to create your account", "est obligatoire pour créer votre compte"],
  ["An account for {} was just created; sign in with it to accept.", "Un compte pour {1} vient d'être créé ; connectez-vous avec lui pour accepter."],
  ["{} already has access to {}.", "{1} a déjà accès à {2}."],
  // invoices, credit notes, quotes, orders
  ["This draft has no number yet: issue it first. Only issued invoices and credit notes have an e-invoice.", "Ce brouillon n'a pas encore de numéro : émettez-le d'abord. Seules les factures et les avoirs émis ont une facture électronique."],
  ["{} cannot be written as a valid EN 16931 e-invoice: {rules}.", "{1} ne peut pas être écrite en facture électronique EN 16931 valide : {2}."],
  ["This draft has no number yet: issue it first, then send it.", "Ce brouillon n'a pas encore de numéro : émettez-le d'abord, puis envoyez-le."],
  ["This draft quote has no number yet: issue it first, then send it.", "Ce devis brouillon n'a pas encore de numéro : émettez-le d'abord, puis envoyez-le."],
  ["A credit note asks for no payment: there is nothing to remind.", "Un avoir ne demande aucun paiement : il n'y a rien à relancer."],
  ["Nothing is left to pay on this invoice: there is nothing to remind.", "Il ne reste rien à payer sur cette facture : il n'y a rien à relancer."],
  ["This invoice is not overdue: it is due on {date}.", "Cette facture n'est pas en retard : elle est due le {1}."],
  ["This invoice is not overdue: it is due on no date.", "Cette facture n'est pas en retard : elle n'a pas d'échéance."],
  ["is required for a line without a product", "est obligatoire pour une ligne sans produit"],
  ["makes the line amount (quantity × unit price) exceed {cents} cents", "fait dépasser {1} au montant de la ligne (quantité × prix unitaire)"],
  ["must not exceed the line amount (quantity × unit price)", "ne doit pas dépasser le montant de la ligne (quantité × prix unitaire)"],
  ["the invoice total must not exceed {cents} cents before VAT", "le total HT de la facture ne doit pas dépasser {1}"],
  ["must be on or after the issue date", "doit être à la date d'émission ou après"],
  ["Invoice {} is issued and can no longer be {word}: issued documents are final. Correct it with a credit note.", "La facture {1} est émise : on ne peut plus la {2}, un document émis est définitif. Corrigez-la par un avoir."],
  ["Credit note {} is issued and can no longer be {word}: issued documents are final. Correct it with a credit note.", "L'avoir {1} est émis : on ne peut plus le {2}, un document émis est définitif."],
  ["come from the order on a {word} invoice: delete this draft and ask it again from the order", "viennent de la commande sur une facture d'acompte ou de solde : supprimez ce brouillon et demandez-la à nouveau depuis la commande"],
  ["is the order's customer on a deposit or balance invoice", "est le client de la commande sur une facture d'acompte ou de solde"],
  ["{} was issued on {date}; numbering must follow dates, so this document cannot be dated {date}. Use {date} or later.", "{1} a été émis le {2} ; la numérotation suit les dates, ce document ne peut donc pas être daté du {3}. Choisissez le {4} ou après."],
  ["{} was issued on {date}; numbering must follow dates, so this quote cannot be dated {date}. Use {date} or later.", "{1} a été émis le {2} ; la numérotation suit les dates, ce devis ne peut donc pas être daté du {3}. Choisissez le {4} ou après."],
  ["must be on or after {date} (date of {})", "doit être le {1} ou après (date de {2})"],
  ["must not be in the future (today is {date})", "ne doit pas être dans le futur (nous sommes le {1})"],
  ["is required when a line has 0 % VAT (franchise, reverse_charge, intra_eu or export)", "est obligatoire quand une ligne est à 0 % de TVA (franchise, autoliquidation, livraison intracommunautaire ou export)"],
  ["applies only when every line is at 0 % VAT", "ne s'applique que si toutes les lignes sont à 0 % de TVA"],
  ["an invoice needs at least one line", "une facture doit avoir au moins une ligne"],
  ["the invoice total must be above zero", "le total de la facture doit être supérieur à zéro"],
  ["A credit note corrects an invoice; it cannot itself be credited.", "Un avoir corrige une facture ; il ne peut pas lui-même faire l'objet d'un avoir."],
  ["This invoice is a draft: change or delete it instead of crediting it.", "Cette facture est un brouillon : modifiez-la ou supprimez-la plutôt que d'en faire un avoir."],
  ["Invoice {} is a balance invoice that deducts the order's deposits; it cannot be credited.", "La facture {1} est une facture de solde qui déduit les acomptes de la commande ; elle ne peut pas faire l'objet d'un avoir."],
  ["The balance invoice of this order ({}) deducts deposit {}: it can no longer be credited.", "La facture de solde de cette commande ({1}) déduit l'acompte {2} : il ne peut plus faire l'objet d'un avoir."],
  ["must be on or after the invoice's date ({date})", "doit être à la date de la facture ({1}) ou après"],
  ["This credit note would credit more than invoice {} was for.", "Cet avoir créditerait plus que le montant de la facture {1}."],
  ["the order's total before VAT must be above zero", "le total HT de la commande doit être supérieur à zéro"],
  ["must be on or after the quote's acceptance ({date})", "doit être à la date d'acceptation du devis ({1}) ou après"],
  ["Quote {} is already invoiced by {}.", "Le devis {1} est déjà facturé par {2}."],
  ["Quote {} is already invoiced (a draft invoice).", "Le devis {1} est déjà facturé (une facture brouillon)."],
  ["Quote {} already has its order {} of {date}: its deposits and its balance invoice are asked there.", "Le devis {1} a déjà sa commande {2} du {3} : ses acomptes et sa facture de solde se demandent là."],
  ["Quote {} already has its order of {date}: its deposits and its balance invoice are asked there.", "Le devis {1} a déjà sa commande du {2} : ses acomptes et sa facture de solde se demandent là."],
  ["This order already has its balance invoice ({}): no deposit can be asked any more", "Cette commande a déjà sa facture de solde ({1}) : plus aucun acompte ne peut être demandé"],
  ["This order already has its balance invoice ({}): open it instead", "Cette commande a déjà sa facture de solde ({1}) : ouvrez-la plutôt"],
  ["A deposit of this order is still a draft: issue it or delete it before the balance invoice.", "Un acompte de cette commande est encore un brouillon : émettez-le ou supprimez-le avant la facture de solde."],
  ["Quote {} is issued and can no longer be {word}: duplicate it to make a new offer.", "Le devis {1} est émis : on ne peut plus le {2}. Dupliquez-le pour faire une nouvelle offre."],
  ["a quote needs at least one line", "un devis doit avoir au moins une ligne"],
  ["the quote total must be above zero", "le total du devis doit être supérieur à zéro"],
  ["This quote is a draft: issue it before recording the customer's answer.", "Ce devis est un brouillon : émettez-le avant d'enregistrer la réponse du client."],
  ["Quote {} was already {word} on {date}.", "Le devis {1} a déjà été {2} le {3}."],
  ["must be on or after the quote's date ({date})", "doit être à la date du devis ({1}) ou après"],
  ["Quote {} held until {date}: it can no longer be accepted. Duplicate it to make a new offer.", "Le devis {1} valait jusqu'au {2} : il ne peut plus être accepté. Dupliquez-le pour faire une nouvelle offre."],
  ["must be on or before {date} (validity of {})", "doit être le {1} ou avant (validité de {2})"],
  ["This quote is a draft: issue it and record its acceptance first.", "Ce devis est un brouillon : émettez-le et enregistrez d'abord son acceptation."],
  ["Quote {} is {word}: only an accepted quote is invoiced.", "Le devis {1} est {2} : seul un devis accepté est facturé."],
  ["Only an issued invoice can be disputed.", "Seule une facture émise peut être contestée."],
  // payments
  ["is not an invoice of this company", "n'est pas une facture de cette entreprise"],
  ["must be an invoice, not a credit note", "doit être une facture, pas un avoir"],
  ["This invoice is a draft: issue it before recording a payment.", "Cette facture est un brouillon : émettez-la avant d'enregistrer un paiement."],
  ["is a draft", "est un brouillon"],
  ["must not exceed what is due on {} ({})", "ne doit pas dépasser ce qui reste dû sur {1} ({2})"],
  // locks and the period
  ["{rule}: the period is locked up to {date} ({}); {date} falls inside it. Use a date after {date}.", "{1} : la période est verrouillée jusqu'au {2} ; le {4} en fait partie. Choisissez une date après le {5}."],
  ["Cannot issue this invoice", "Impossible d'émettre cette facture"],
  ["Cannot issue this credit note", "Impossible d'émettre cet avoir"],
  ["Cannot record this payment", "Impossible d'enregistrer ce paiement"],
  ["Cannot delete this payment", "Impossible de supprimer ce paiement"],
  ["is in a locked period (locked up to {date})", "est dans une période verrouillée (jusqu'au {1})"],
  ["must not be in the future (today is {date}): only past days can be locked", "ne doit pas être dans le futur (nous sommes le {1}) : seuls les jours passés se verrouillent"],
  ["a hard close ends a fiscal year: must be the day before the fiscal year start ({}), e.g. {date}", "une clôture définitive termine un exercice : doit être la veille du début d'exercice ({1}), par exemple le {2}"],
  ["The period up to {date} is closed for good (hard close); lock a later date.", "La période jusqu'au {1} est close définitivement ; verrouillez une date plus tardive."],
  ["must be after the hard close ({date})", "doit être après la clôture définitive ({1})"],
  ["The company is already locked up to {date}; locks only move forward. To move the lock back, reopen the period with a reason.", "L'entreprise est déjà verrouillée jusqu'au {1} ; un verrouillage ne fait qu'avancer. Pour le reculer, rouvrez la période en donnant un motif."],
  ["must be after the current lock ({date})", "doit être après le verrouillage actuel ({1})"],
  ["Nothing is locked: there is no period to reopen.", "Rien n'est verrouillé : il n'y a pas de période à rouvrir."],
  ["The period up to {date} is closed for good (hard close); it can never be reopened.", "La période jusqu'au {1} est close définitivement ; elle ne peut jamais être rouverte."],
  ["a hard close cannot be reopened", "une clôture définitive ne se rouvre pas"],
  ["Reopening moves the lock back: `to` must be before the current lock ({date}).", "Rouvrir recule le verrouillage : la date doit être avant le verrouillage actuel ({1})."],
  ["must be before {date}", "doit être avant le {1}"],
  ["The period up to {date} is closed for good (hard close); reopen no further back than {date}.", "La période jusqu'au {1} est close définitivement ; ne rouvrez pas plus loin que le {2}."],
  ["must be on or after the hard close ({date})", "doit être à la clôture définitive ({1}) ou après"],
  ["is required: say why the period is reopened (at least 3 characters)", "est obligatoire : dites pourquoi la période est rouverte (au moins 3 caractères)"],
  // exports and journals
  ["A feed needs credentials: any user name, and a read-only API key (psk_…) as the password.", "Un flux demande des identifiants : n'importe quel nom d'utilisateur, et une clé d'API en lecture seule (psk_…) comme mot de passe."],
  ["This API key is unknown or revoked: give a read-only API key (psk_…) as the password.", "Cette clé d'API est inconnue ou révoquée : donnez une clé d'API en lecture seule (psk_…) comme mot de passe."],
  ["A feed takes a read-only API key: this key can also write, and should not be kept in a workbook. Create a key with scope `read`.", "Un flux prend une clé d'API en lecture seule : cette clé peut aussi écrire, et ne doit pas rester dans un classeur. Créez une clé « read »."],
  ["The feed could not be produced. The server log says why.", "Le flux n'a pas pu être produit. Le journal du serveur dit pourquoi."],
  ["companies: {rule}.", "entreprises : {1}."],
  ["must name at most {n} companies (or be all)", "doit nommer au plus {1} entreprises (ou toutes)"],
  ["must be all, or company ids separated by commas", "doit valoir all, ou des identifiants d'entreprise séparés par des virgules"],
  ["must name each company once", "doit nommer chaque entreprise une seule fois"],
  ["must be issued, partially_paid or paid (drafts are never in the journal)", "doit être émise, partiellement payée ou payée (un brouillon n'est jamais au journal)"],
  ["is only for `period: fixed`; a rolling period sets its own dates", "ne vaut que pour une période fixe ; une période glissante fixe ses propres dates"],
  ["the company {} does not exist or is not visible to you", "l'entreprise {1} n'existe pas ou ne vous est pas visible"],
  ["must be a company id", "doit être un identifiant d'entreprise"],
  ["must name at most {n} companies", "doit nommer au plus {1} entreprises"],
  ["must be company ids separated by commas, each followed by : and a UTC instant, e.g. id:2026-12-01T09:30:00.000Z", "doit être des identifiants d'entreprise séparés par des virgules, chacun suivi de : et d'un instant UTC, par exemple id:2026-12-01T09:30:00.000Z"],
  ["must name at least one company", "doit nommer au moins une entreprise"],
  ["{} is not a journal of this company ({})", "{1} n'est pas un journal de cette entreprise ({2})"],
  ["{} is not a journal of this company ({}, {})", "{1} n'est pas un journal de cette entreprise ({2}, {3})"],
  ["This filter selects {n} documents and {n} or more entry lines: an XLSX export is limited to {n} rows in all (XLSX_MAX_ROWS; Excel itself shows at most 1,048,576 rows a sheet). Narrow the period, or use the CSV export (sales-journal.csv) or the FEC (exports/fec), which stream any size.", "Ce filtre choisit {1} documents et {2} lignes d'écriture ou plus : un export XLSX est limité à {3} lignes en tout. Réduisez la période, ou utilisez l'export CSV ou le FEC, qui n'ont pas de limite."],
  ["the period selects more than {n} rows for an XLSX file; narrow it or export CSV / FEC", "la période choisit plus de {1} lignes pour un fichier XLSX ; réduisez-la ou exportez en CSV / FEC"],
  ["must not be in the future when locking (today is {date})", "ne doit pas être dans le futur pour verrouiller (nous sommes le {1})"],
  ["is required with lock=true: the period is locked up to and including this date", "est obligatoire pour verrouiller : la période est verrouillée jusqu'à cette date incluse"],
  ["lock=true exports the whole period: it cannot be combined with customerId, type, status, category or q", "verrouiller exporte toute la période : cela ne se combine pas avec un filtre (client, type, statut, catégorie ou recherche)"],
  ["must be journal codes separated by commas, e.g. VE,BQ", "doit être des codes journal séparés par des virgules, par exemple VE,BQ"],
  ["must be an action or its prefix, e.g. invoice or invoice.issued", "doit être une action ou son début, par exemple invoice ou invoice.issued"],
  ["must name at most {n} companies (leave it out to follow all of yours)", "doit nommer au plus {1} entreprises (laissez-le vide pour suivre toutes les vôtres)"],
  ["must be company ids separated by commas, each optionally followed by :sequence (start after it)", "doit être des identifiants d'entreprise séparés par des virgules, chacun suivi au besoin de :séquence"],
  ["must be on or after `from`", "doit être à la date de début ou après"],
  ["must be pdf (default) or facturx", "doit être pdf (par défaut) ou facturx"],
  ["must be en16931 (default) or basic", "doit être en16931 (par défaut) ou basic"],
  // accounting settings
  ["is not a product of this company", "n'est pas un produit de cette entreprise"],
  ["is not a customer of this company", "n'est pas un client de cette entreprise"],
  ["vatOnPayments {rule}.", "TVA sur les encaissements : {1}."],
  ["vatOnDebits {rule}.", "Option pour les débits : {1}."],
  ["cannot be on while the accounting settings put services' VAT on payment (vatOnPayments): the option for débits makes it due on invoicing. Ask your accountant to turn vatOnPayments off first", "ne peut pas être activée tant que les réglages comptables mettent la TVA des services sur les encaissements : l'option pour les débits la rend due à la facturation. Demandez d'abord à votre expert-comptable de désactiver la TVA sur les encaissements"],
  ["cannot be on while the company opted to pay VAT on services d'après les débits (vatOnDebits): its services' VAT is due on invoicing, not on payment. The owner must turn vatOnDebits off first", "ne peut pas être activée tant que l'entreprise a opté pour la TVA des services d'après les débits : elle est due à la facturation, pas à l'encaissement. Le propriétaire doit d'abord désactiver l'option pour les débits"],
  ["must be an account number: 3 digits, then up to 17 digits or capital letters", "doit être un numéro de compte : 3 chiffres, puis jusqu'à 17 chiffres ou lettres capitales"],
  // an account of the wrong class, as the « Comptes » sheet says it (shared/src/account-rows.ts)
  ["must start with 411: customer accounts are in class 411 (Clients)", "Un compte client commence par 411 (Clients)"],
  ["must start with 70: revenue accounts are in class 70 (Ventes de produits, prestations, marchandises)", "Un compte de ventes commence par 70 (Ventes)"],
  ["must start with 4457: collected VAT accounts are in class 4457 (Taxes sur le chiffre d'affaires collectées)", "Un compte de TVA collectée commence par 4457"],
  ["must start with 512: bank accounts are in class 512 (Banques)", "Un compte de banque commence par 512 (Banques)"],
  ["must start with 4191: deposits received are in class 4191 (Clients – avances et acomptes reçus sur commandes)", "Un compte d'acomptes reçus commence par 4191"],
  ["must start with {}: {}", "doit commencer par {1} : {2}"],
  ["must not be empty", "ne doit pas être vide"],
  ["must be 1–8 capital letters or digits, e.g. VE", "doit compter 1 à 8 lettres capitales ou chiffres, par exemple VE"],
  ["give an auxAccount (auxiliary code), an account (411…), or both", "indiquez un compte auxiliaire, un compte (411…), ou les deux"],
  ["must hold at most 5000 labels", "doit contenir au plus 5000 libellés"],
  ["the sales and bank journals need different codes", "les journaux des ventes et de banque doivent avoir des codes différents"],
  ["appears twice: one {} has one mapping", "apparaît deux fois : un seul compte par élément"],
  ["must differ from vatAccount: VAT waits there until payment", "doit différer du compte de TVA : la TVA y attend l'encaissement"],
  // credit notes, deposits
  ["is not a line of this invoice", "n'est pas une ligne de cette facture"],
  ["appears twice", "apparaît deux fois"],
  ["has already been credited in full", "a déjà fait l'objet d'un avoir en entier"],
  ["must be a positive decimal with at most 4 decimals", "doit être un nombre positif à 4 décimales au plus"],
  ["must be a positive decimal with at most 4 decimals, e.g. \"1.5\"", "doit être un nombre positif à 4 décimales au plus, par exemple 1,5"],
  ["must not exceed what remains to credit ({n})", "ne doit pas dépasser ce qui reste à créditer ({1})"],
  ["nothing is left to credit on this invoice", "il ne reste rien à créditer sur cette facture"],
  ["cannot be reached exactly at this rate once VAT is rounded to the cent: use {cents} or {cents} cents", "ne peut pas être atteint exactement à ce taux une fois la TVA arrondie au centime : choisissez {1} ou {2}"],
  ["must be a rate of the invoice ({})", "doit être un taux de la facture ({1})"],
  ["must not exceed what remains to credit at this rate ({cents} cents {word})", "ne doit pas dépasser ce qui reste à créditer à ce taux ({1} {2})"],
  ["must come to at least one cent before VAT", "doit faire au moins un centime HT"],
  ["must come to less than what the order still leaves before VAT ({cents} cents): the balance invoice takes the rest", "doit rester sous ce que la commande laisse encore HT ({1}) : la facture de solde prend le reste"],
  ["must be ht (the amount before VAT) or ttc (the amount given back, VAT included)", "doit être ht (le montant hors taxes) ou ttc (le montant rendu, TVA comprise)"],
  ["must not be given with lines: a credit note credits lines or an amount", "ne va pas avec des lignes : un avoir crédite des lignes ou un montant"],
  ["must be at least 1 (0,01 %)", "doit valoir au moins 1 (0,01 %)"],
  ["must be below 10000 (100 %)", "doit être inférieur à 10000 (100 %)"],
  ["is required: give percentBp (a percentage of the order's net) or amountCents (a net amount)", "est obligatoire : indiquez un pourcentage du HT de la commande ou un montant HT"],
  ["must not be given with percentBp: a deposit is one or the other", "ne va pas avec un pourcentage : un acompte est l'un ou l'autre"],
  // e-invoice checks
  ["differs from the sum of the line nets less the allowances (BR-CO-13)", "diffère de la somme des lignes HT moins les remises (BR-CO-13)"],
  ["base differs from the sum of the line nets at that rate (BR-S-08)", "la base diffère de la somme des lignes HT à ce taux (BR-S-08)"],
  ["must hold one entry per VAT rate of the lines", "doit avoir une entrée par taux de TVA des lignes"],
  ["differs from the sum of the per-rate VAT (BR-CO-14)", "diffère de la somme de la TVA par taux (BR-CO-14)"],
  ["must equal HT + VAT (BR-CO-15)", "doit être égal au HT + TVA (BR-CO-15)"],
  // mail
  ["must not be blank", "ne doit pas être vide"],
  ["{} is not a placeholder; use {}", "{1} n'est pas un champ de fusion ; utilisez {2}"],
  ["must name at least one recipient", "doit nommer au moins un destinataire"],
  ["must name at most {n} recipients", "doit nommer au plus {1} destinataires"],
  ["is already a recipient", "est déjà destinataire"],
  // reminders
  ["must be at least 1 day", "doit être d'au moins 1 jour"],
  ["must be at most 365 days", "doit être de 365 jours au plus"],
  ["must give the days of the three levels", "doit donner les jours des trois niveaux"],
  ["must come after the previous level's day", "doit venir après le jour du niveau précédent"],
  // common values
  ["must be a real calendar date written YYYY-MM-DD", "doit être une vraie date du calendrier, écrite AAAA-MM-JJ"],
  ["must be a number of cents", "doit être un nombre de centimes"],
  ["must be an integer number of cents", "doit être un nombre entier de centimes"],
  ["must be at least 1 cent", "doit être d'au moins 1 centime"],
  ["must not be negative", "ne doit pas être négatif"],
  ["must be a French VAT rate in basis points (2000, 1000, 550, 210, 0, …)", "doit être un taux de TVA français (20 %, 10 %, 5,5 %, 2,1 %, 0 %)"],
  ["must be a 9-digit SIREN with a valid check digit", "doit être un SIREN de 9 chiffres avec une clé valide"],
  ["must be an APE code written NN.NNL, e.g. 62.01Z", "doit être un code APE écrit NN.NNL, par exemple 62.01Z"],
  ["must be the number of a French département, e.g. 69, 2A or 974", "doit être le numéro d'un département français, par exemple 69, 2A ou 974"],
  ["must be a valid VAT number (FR + key + SIREN for France)", "doit être un numéro de TVA valide (FR + clé + SIREN pour la France)"],
  ["must contain the company's SIREN", "doit contenir le SIREN de l'entreprise"],
  ["must be an ISO 3166 alpha-2 country code, e.g. FR", "doit être un code pays ISO 3166 à 2 lettres, par exemple FR"],
  ["must not be empty: {rule}", "ne doit pas être vide : {1}"],
  ["is required: {rule}", "est obligatoire : {1}"],
  ["a delivery address needs its street and number", "une adresse de livraison doit avoir sa rue et son numéro"],
  ["a delivery address needs its postal code", "une adresse de livraison doit avoir son code postal"],
  ["a delivery address needs its city", "une adresse de livraison doit avoir sa ville"],
  ["a delivery address needs its country", "une adresse de livraison doit avoir son pays"],
  ["must be a date between 2000-01-01 and 2099-12-31", "doit être une date entre le 01/01/2000 et le 31/12/2099"],
  ["must not end before it starts", "ne doit pas finir avant de commencer"],
  ["must be a whole number of days", "doit être un nombre entier de jours"],
  ["must be true or false", "doit être vrai ou faux"],
  ["must be MM-DD, e.g. 01-01", "doit être écrit MM-JJ, par exemple 01-01"],
  ["must be a real day of the year (MM-DD)", "doit être un vrai jour de l'année (MM-JJ)"],
  ["must be one of {}", "doit être l'un de {1}"],
  ["must hold at least one line", "doit avoir au moins une ligne"],
  ["must be a SHA-256 digest: 64 lowercase hexadecimal characters", "doit être une empreinte SHA-256 : 64 caractères hexadécimaux minuscules"],
  ["must name at least one event", "doit nommer au moins un événement"],
  ["must not repeat an event", "ne doit pas répéter un événement"],
  ["must be 1–17 letters, digits, - or _ (it becomes the auxiliary account)", "doit compter 1 à 17 lettres, chiffres, - ou _ (il devient le compte auxiliaire)"],
  ["is already used by another customer", "est déjà utilisé par un autre client"],
  ["The customer code {} is already used.", "Le code client {1} est déjà utilisé."],
  ["must be at most 60 days after the issue date, or 45 days end of month (Code de commerce L441-10); 30 days at most for transport of goods, vehicle rental and perishable foods (L441-11)", "doit être de 60 jours au plus après la date d'émission, ou 45 jours fin de mois (Code de commerce L441-10) ; 30 jours au plus pour le transport de marchandises, la location de véhicules et les denrées périssables (L441-11)"],
  ["must be at most 45 days when the terms run to the end of the month (Code de commerce L441-10: 45 days end of month)", "doit être de 45 jours au plus quand le délai court jusqu'à la fin du mois (Code de commerce L441-10 : 45 jours fin de mois)"],
  ["must be no later than {date}: at most 90 days after the issue date for goods sold for export outside the EU (Code de commerce L441-12)", "doit être le {1} au plus tard : 90 jours au plus après la date d'émission pour des biens vendus à l'export hors UE (Code de commerce L441-12)"],
  ["must be no later than {date}: at most 60 days after the issue date or 45 days end of month (Code de commerce L441-10); up to 90 days only for goods sold for export outside the EU (L441-12)", "doit être le {1} au plus tard : 60 jours au plus après la date d'émission ou 45 jours fin de mois (Code de commerce L441-10) ; jusqu'à 90 jours seulement pour des biens vendus à l'export hors UE (L441-12)"],
  // bank
  ["must be an IBAN: 2 letters of country, 2 check digits, then the account in letters and digits, e.g. FR76 3000 6000 0112 3456 7890 189", "doit être un IBAN : 2 lettres de pays, 2 chiffres de contrôle, puis le compte en lettres et chiffres, par exemple FR76 3000 6000 0112 3456 7890 189"],
  ["must be an IBAN of a country that has them ({} has none)", "doit être l'IBAN d'un pays qui en a ({1} n'en a pas)"],
  ["must have {n} characters for an IBAN of {} (it has {n})", "doit compter {1} caractères pour un IBAN de {2} (il en a {3})"],
  ["has wrong check digits (ISO 13616 mod 97): a character is mistyped", "a une clé de contrôle fausse (ISO 13616 mod 97) : un caractère est mal saisi"],
  ["must be a BIC of 8 or 11 characters: 4 letters for the bank, 2 for the country, 2 letters or digits for the place, optionally 3 for the branch, e.g. BNPAFRPP or BNPAFRPPXXX", "doit être un BIC de 8 ou 11 caractères : 4 lettres pour la banque, 2 pour le pays, 2 lettres ou chiffres pour la ville, et au besoin 3 pour l'agence, par exemple BNPAFRPP ou BNPAFRPPXXX"],
  // documents and uploads
  ["must be a file (multipart field `file`)", "doit être un fichier"],
  ["must be an http(s) URL", "doit être une adresse http(s)"],
  ["file: {n} bytes; at most {n} bytes are accepted", "fichier : {1} octets ; {2} octets au plus sont acceptés"],
  ["must be at most {n} bytes", "doit faire au plus {1} octets"],
  ["file: only PDF documents and images (PNG, JPEG, GIF, WebP, TIFF, HEIC) are accepted", "fichier : seuls les documents PDF et les images (PNG, JPEG, GIF, WebP, TIFF, HEIC) sont acceptés"],
  ["is neither a PDF nor an image", "n'est ni un PDF ni une image"],
  ["Too many uploads: a company may start {n} per hour. Try again in {n} seconds.", "Trop d'envois : une entreprise peut en commencer {1} par heure. Réessayez dans {2} secondes."],
  ["Too many uploads are being received at once. Try again in 5 seconds.", "Trop d'envois sont reçus en même temps. Réessayez dans 5 secondes."],
  ["file: the company's documents take {n} of its {n} bytes of storage; {}.", "fichier : les documents de l'entreprise occupent {1} de ses {2} octets de stockage ; {3}."],
  ["does not fit in the storage quota ({n} of {n} bytes used)", "ne tient pas dans l'espace de stockage ({1} sur {2} octets utilisés)"],
  ["must not point to an internal address: {}", "ne doit pas viser une adresse interne : {1}"],
  ["Accountants delete only the webhooks they registered.", "Un expert-comptable ne supprime que les webhooks qu'il a enregistrés."],
  // logos
  ["must encode at most {n} bytes (512 KB)", "doit faire au plus {1} octets (512 Ko)"],
  ["must be base64 (A–Z, a–z, 0–9, + and /, padded with =)", "doit être écrit en base64"],
  ["must be a PNG, a JPEG or an SVG image", "doit être une image PNG, JPEG ou SVG"],
  ["is empty", "est vide"],
  ["is {n} bytes: a logo may be at most {n} bytes (512 KB)", "fait {1} octets : un logo fait au plus {2} octets (512 Ko)"],
  ["is {n} × {n} pixels: a logo may be at most {n} pixels a side", "fait {1} × {2} pixels : un logo fait au plus {3} pixels de côté"],
  ["is a damaged PNG: its pixel data inflates beyond its size", "est un PNG abîmé : ses pixels dépassent sa taille une fois décompressés"],
  ["is a damaged PNG: its pixel data cannot be inflated", "est un PNG abîmé : ses pixels ne peuvent pas être décompressés"],
  ["is a damaged PNG: its pixel data is empty", "est un PNG abîmé : ses pixels sont vides"],
  ["could not be drawn on a document: save it again as a plain PNG, JPEG or SVG", "n'a pas pu être dessiné sur un document : enregistrez-le à nouveau en PNG, JPEG ou SVG simple"],
  ["is an SVG that {rule}", "est un SVG qui {1}"],
  ["has a comment that never ends", "a un commentaire qui ne se termine jamais"],
  ["has an XML declaration that never ends", "a une déclaration XML qui ne se termine jamais"],
  ["has a DOCTYPE, which can declare entities and external files", "a un DOCTYPE, qui peut déclarer des entités et des fichiers externes"],
  ["has a CDATA section (a style sheet or a script)", "a une section CDATA (une feuille de style ou un script)"],
  ["has a processing instruction", "a une instruction de traitement"],
  ["holds a <script>", "contient un <script>"],
  ["holds a <foreignObject> (HTML inside the image)", "contient un <foreignObject> (du HTML dans l'image)"],
  ["has no <svg> element", "n'a pas d'élément <svg>"],
  ["has more than one root element", "a plus d'un élément racine"],
  ["is not well-formed XML near \"{}\"", "n'est pas du XML bien formé près de « {1} »"],
  ["is not well-formed XML: </{}> closes <{}>", "n'est pas du XML bien formé : </{1}> ferme <{2}>"],
  ["is not well-formed XML: </{}> closes nothing", "n'est pas du XML bien formé : </{1}> ne ferme rien"],
  ["holds <{}>, which documents do not draw: a logo's SVG may hold only {}", "contient <{1}>, que les documents ne dessinent pas : le SVG d'un logo ne contient que {2}"],
  ["holds more than {n} elements", "contient plus de {1} éléments"],
  ["nests elements more than {n} deep", "imbrique des éléments sur plus de {1} niveaux"],
  ["uses an entity XML does not define ({} on <{}>)", "utilise une entité que XML ne définit pas ({1} sur <{2}>)"],
  ["has an event handler ({} on <{}>)", "a un gestionnaire d'événement ({1} sur <{2}>)"],
  ["links to \"{}\" ({} on <{}>): only #fragments may be referred to", "renvoie à « {1} » ({2} sur <{3}>) : seuls des #fragments peuvent être visés"],
  ["refers to a gradient, pattern, mask or clip ({} on <{}>), which documents do not draw", "renvoie à un dégradé, un motif, un masque ou un découpage ({1} sur <{2}>), que les documents ne dessinent pas"],
  ["refers to an external resource ({} on <{}>)", "renvoie à une ressource extérieure ({1} sur <{2}>)"],
  ["holds script or an external reference ({} on <{}>)", "contient un script ou une référence extérieure ({1} sur <{2}>)"],
  ["uses {} on <{}>, which documents do not draw", "utilise {1} sur <{2}>, que les documents ne dessinent pas"],
  ["has a transform that cannot be read (\"{}\" on <{}>)", "a une transformation illisible (« {1} » sur <{2}>)"],
  ["starts with <{}>, not <svg>", "commence par <{1}>, pas par <svg>"],
  ["is cut short: <{}> is never closed", "est tronqué : <{1}> n'est jamais fermé"],
  ["{} is this machine", "{1} est cette machine"],
  ["{} resolves to {}, {}", "{1} désigne {2}, {3}"],
  ["has a path whose data (d) is not SVG path data", "a un chemin dont les données (d) ne sont pas un tracé SVG"],
];

export const TITLES: Readonly<Record<string, string>> = {
  "Invalid request": "Demande invalide",
  "Invalid body": "Saisie invalide",
  "Invalid json": "Saisie invalide",
  "Invalid form": "Saisie invalide",
  "Invalid query": "Paramètres invalides",
  "Invalid param": "Adresse invalide",
  "Invalid header": "En-tête invalide",
  "Invalid cookie": "Cookie invalide",
  "Bad Request": "Demande incorrecte",
  "Not Found": "Introuvable",
  Forbidden: "Interdit",
  Conflict: "Conflit",
  Unauthorized: "Connexion requise",
  "Too Many Requests": "Trop de demandes",
  "Payload Too Large": "Demande trop volumineuse",
  "Unsupported Media Type": "Type de fichier non accepté",
  "Method Not Allowed": "Méthode non permise",
  "Internal Server Error": "Erreur du serveur",
  "Service Unavailable": "Service indisponible",
  "Export failed": "Échec de l'export",
  "Feed failed": "Échec du flux",
  "Document file unavailable": "Fichier du document indisponible",
  "Too many rows for an Excel file": "Trop de lignes pour un fichier Excel",
  Error: "Erreur",
};

// ---------------------------------------------------------------------------------------------
// Fields: the last named part of a path, in the users' words; an index reads « ligne 2 ».
// ---------------------------------------------------------------------------------------------

export const FIELDS: Readonly<Record<string, readonly [fr: string, en: string]>> = {
  body: ["saisie", "input"],
  query: ["paramètres", "parameters"],
  param: ["adresse", "address"],
  request: ["demande", "request"],
  json: ["saisie", "input"],
  form: ["formulaire", "form"],
  account: ["compte", "account"],
  accountLabels: ["libellés des comptes", "account labels"],
  accounts: ["comptes", "accounts"],
  actor: ["auteur", "actor"],
  address: ["adresse", "address"],
  amount: ["montant", "amount"],
  amountCents: ["montant", "amount"],
  apeCode: ["code APE", "APE code"],
  automatic: ["envoi automatique", "automatic sending"],
  auxAccount: ["compte auxiliaire", "auxiliary account"],
  bank: ["banque", "bank"],
  basis: ["base", "basis"],
  bic: ["BIC", "BIC"],
  byCategory: ["comptes par catégorie", "accounts by category"],
  byCustomer: ["comptes par client", "accounts by customer"],
  id: ["identifiant", "id"],
  createdAt: ["date de création", "creation date"],
  number: ["numéro", "number"],
  paidCents: ["montant payé", "amount paid"],
  role: ["rôle", "role"],
  "multipart headers": ["en-têtes du formulaire", "form headers"],
  byProduct: ["comptes par produit", "accounts by product"],
  capital: ["capital", "capital"],
  category: ["catégorie", "category"],
  city: ["ville", "city"],
  code: ["code", "code"],
  companies: ["entreprises", "companies"],
  companyId: ["entreprise", "company"],
  contentBase64: ["fichier", "file"],
  country: ["pays", "country"],
  cursor: ["curseur", "cursor"],
  customerId: ["client", "customer"],
  customers: ["clients", "customers"],
  date: ["date", "date"],
  days: ["jours", "days"],
  deliveryAddress: ["adresse de livraison", "delivery address"],
  deliveryDate: ["date de livraison", "delivery date"],
  deposits: ["acomptes", "deposits"],
  description: ["description", "description"],
  deviceToken: ["jeton de l'appareil", "device token"],
  discountCents: ["remise", "discount"],
  disputed: ["contestée", "disputed"],
  documentId: ["document", "document"],
  dueDate: ["échéance", "due date"],
  earlyPaymentDiscount: ["escompte", "early payment discount"],
  email: ["e-mail", "e-mail"],
  events: ["événements", "events"],
  file: ["fichier", "file"],
  fiscalYearStart: ["début d'exercice", "fiscal year start"],
  format: ["format", "format"],
  from: ["du", "from"],
  goods: ["biens", "goods"],
  heartbeat: ["battement", "heartbeat"],
  iban: ["IBAN", "IBAN"],
  invitationId: ["invitation", "invitation"],
  invoiceId: ["facture", "invoice"],
  issueDate: ["date d'émission", "issue date"],
  journal: ["journal", "journal"],
  journals: ["journaux", "journals"],
  keyId: ["clé", "key"],
  key: ["clé", "key"],
  rows: ["lignes", "rows"],
  queryId: ["requête", "query"],
  changedSince: ["modifiées depuis", "changed since"],
  feedId: ["flux", "feed"],
  period: ["période", "period"],
  preview: ["aperçu", "preview"],
  refreshed: ["actualisé", "refreshed"],
  kind: ["nature", "kind"],
  label: ["libellé", "label"],
  latePenaltyRate: ["taux des pénalités de retard", "late penalty rate"],
  legalForm: ["forme juridique", "legal form"],
  limit: ["nombre", "limit"],
  line1: ["adresse", "address line"],
  line2: ["complément d'adresse", "address line 2"],
  lineId: ["ligne", "line"],
  lines: ["lignes", "lines"],
  locale: ["langue", "language"],
  lock: ["verrouillage", "lock"],
  logo: ["logo", "logo"],
  message: ["message", "message"],
  method: ["moyen de paiement", "payment method"],
  name: ["nom", "name"],
  note: ["note", "note"],
  notes: ["notes", "notes"],
  orderDate: ["date de commande", "order date"],
  orderId: ["commande", "order"],
  password: ["mot de passe", "password"],
  paymentId: ["paiement", "payment"],
  paymentTermsDays: ["délai de paiement", "payment terms"],
  paymentTermsEndOfMonth: ["fin de mois", "end of month"],
  percentBp: ["pourcentage", "percentage"],
  phone: ["téléphone", "phone"],
  postalCode: ["code postal", "postal code"],
  productId: ["produit", "product"],
  profile: ["profil", "profile"],
  q: ["recherche", "search"],
  quantity: ["quantité", "quantity"],
  quantityMilli: ["quantité", "quantity"],
  quoteId: ["devis", "quote"],
  rcsCity: ["ville du RCS", "RCS city"],
  reason: ["motif", "reason"],
  reference: ["référence", "reference"],
  reminder: ["relance", "reminder"],
  reminderLevel: ["niveau de relance", "reminder level"],
  revenueAccount: ["compte de produits", "revenue account"],
  rmDepartment: ["département du RM", "RM département"],
  sales: ["ventes", "sales"],
  scope: ["portée", "scope"],
  separator: ["séparateur", "separator"],
  servicePeriod: ["période de prestation", "service period"],
  services: ["services", "services"],
  sha256: ["empreinte", "digest"],
  since: ["depuis", "since"],
  siren: ["SIREN", "SIREN"],
  sort: ["tri", "sort"],
  sourceUrl: ["adresse d'origine", "source address"],
  status: ["statut", "status"],
  subject: ["objet", "subject"],
  to: ["au", "to"],
  token: ["jeton", "token"],
  type: ["type", "type"],
  unit: ["unité", "unit"],
  unitPriceCents: ["prix unitaire", "unit price"],
  until: ["jusqu'au", "until"],
  url: ["adresse", "address"],
  userId: ["utilisateur", "user"],
  validUntil: ["valable jusqu'au", "valid until"],
  vatAccount: ["compte de TVA", "VAT account"],
  vatExemption: ["mention d'exonération", "VAT exemption"],
  vatNumber: ["numéro de TVA", "VAT number"],
  vatOnDebits: ["option pour les débits", "VAT on debits"],
  vatOnPayments: ["TVA sur les encaissements", "VAT on payments"],
  vatRateBp: ["taux de TVA", "VAT rate"],
  vatRates: ["taux de TVA", "VAT rates"],
  waitingAccount: ["compte d'attente", "waiting account"],
  webhookId: ["webhook", "webhook"],
};

/** One element of a list: « ligne 2 », « destinataire 1 ». */
const ITEMS: Readonly<Record<string, readonly [fr: string, en: string]>> = {
  lines: ["ligne", "line"],
  to: ["destinataire", "recipient"],
  cc: ["copie", "copy"],
  events: ["événement", "event"],
  days: ["niveau", "level"],
  vatRates: ["taux", "rate"],
  deposits: ["acompte", "deposit"],
  companies: ["entreprise", "company"],
  journals: ["journal", "journal"],
  byCategory: ["catégorie", "category"],
  byCustomer: ["client", "customer"],
  byProduct: ["produit", "product"],
  rows: ["ligne", "row"],
};

/** A map keyed by what it names: `accountLabels.706000` reads « compte 706000 ». */
const KEYS: Readonly<Record<string, readonly [fr: string, en: string]>> = {
  accountLabels: ["libellé du compte", "label of account"],
};

/** A field path (`lines.0.quantityMilli`) in the users' words (« ligne 1, quantité »). */
export function fieldLabel(path: string, misses: string[] = [], language: Language = "fr"): string {
  const at = language === "fr" ? 0 : 1;
  const parts = path.split(".");
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && KEYS[part]) {
      words.push(`${KEYS[part]![at]} ${next}`);
      i++;
      continue;
    }
    if (next !== undefined && /^\d+$/.test(next)) {
      const element = ITEMS[part];
      if (!element) misses.push(`field: ${part}`);
      words.push(`${element?.[at] ?? part} ${Number(next) + 1}`);
      i++;
      continue;
    }
    if (/^\d+$/.test(part)) {
      words.push(language === "fr" ? `n° ${Number(part) + 1}` : `#${Number(part) + 1}`);
      continue;
    }
    const field = FIELDS[part];
    if (!field) misses.push(`field: ${part}`);
    words.push(field?.[at] ?? part);
  }
  // « adresse, ville » rather than « adresse, adresse » when a part names its whole
  return words.filter((w, i) => w !== words[i - 1]).join(", ");
}

// ---------------------------------------------------------------------------------------------
// Translating
// ---------------------------------------------------------------------------------------------

const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/[{}]/g, "\\$&");

interface CompiledRule {
  pattern: RegExp;
  kinds: string[];
  fr: string;
}

const compiled: CompiledRule[] = RULES.map(([en, fr]) => {
  const kinds: string[] = [];
  let source = "";
  let last = 0;
  for (const m of en.matchAll(/\{(\w*)\}/g)) {
    const kind = m[1]!;
    if (!(kind in KINDS)) {
      // `{companyId}` in a rule is text, not a value
      continue;
    }
    source += escape(en.slice(last, m.index)) + KINDS[kind]!.pattern;
    kinds.push(kind);
    last = m.index! + m[0].length;
  }
  source += escape(en.slice(last));
  return { pattern: new RegExp(`^${source}$`, "s"), kinds, fr };
});

/** Zod's own messages, for the checks the schemas leave to it. */
const ZOD: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray, misses: string[]) => string]> = [
  [/^Invalid input: expected (\w+), received (\w+)$/, (m) => `doit être ${typeFr(m[1]!)} (reçu : ${typeFr(m[2]!)})`],
  [/^Invalid input: expected (\w+)$/, (m) => `doit être ${typeFr(m[1]!)}`],
  [/^Invalid input$/, () => "n'est pas une valeur acceptée"],
  [/^Invalid option: expected one of (.+)$/, (m) => `doit être l'une des valeurs ${m[1]!.replace(/\|/g, ", ")}`],
  [/^Invalid input: expected (.+)$/, (m) => `doit valoir ${m[1]}`],
  [/^Too big: expected (\w+) to have <=?(\d+) (characters?|items?)$/, (m) => `doit compter au plus ${m[2]} ${unitFr(m[3]!)}`],
  [/^Too small: expected (\w+) to have >=?(\d+) (characters?|items?)$/, (m) => `doit compter au moins ${m[2]} ${unitFr(m[3]!)}`],
  [/^Too big: expected (\w+) to be <(=?)(-?[\d.e+]+)$/, (m) => `doit être ${m[2] ? "au plus" : "inférieur à"} ${m[3]}`],
  [/^Too small: expected (\w+) to be >(=?)(-?[\d.e+]+)$/, (m) => `doit être ${m[2] ? "au moins" : "supérieur à"} ${m[3]}`],
  [/^Invalid string: must match pattern .*$/, () => "n'a pas la forme attendue"],
  [/^Invalid (email|url|uuid|UUID|ULID|datetime|date|ISO datetime|ISO date) ?(address|format)?$/, () => "n'a pas la forme attendue"],
  [/^Unrecognized keys?: .*$/, () => "n'est pas un champ connu"],
  [/^Invalid number: must be a multiple of (.+)$/, (m) => `doit être un multiple de ${m[1]}`],
  [/^Invalid (discriminator value|union).*$/, () => "n'est pas une valeur acceptée"],
];
const TYPES: Record<string, string> = {
  string: "un texte",
  number: "un nombre",
  int: "un nombre entier",
  boolean: "vrai ou faux",
  object: "un objet",
  array: "une liste",
  null: "vide",
  undefined: "absent",
  nan: "un nombre invalide",
  Infinity: "un nombre infini",
  bigint: "un nombre",
  date: "une date",
  file: "un fichier",
  symbol: "un symbole",
  function: "une fonction",
  record: "un objet",
  tuple: "une liste",
  nonoptional: "présent",
};
const typeFr = (type: string) => TYPES[type] ?? type;
const unitFr = (unit: string) => (unit.startsWith("character") ? "caractères" : "éléments");

const UNKNOWN_FIELD = new Set(["is not a known field"]);

/** One English rule in French; a rule the catalogue does not know is a miss and stays as it is. */
export function translateRule(english: string, misses: string[] = []): string {
  for (const rule of compiled) {
    const match = rule.pattern.exec(english);
    if (!match) continue;
    const mine: string[] = [];
    const values = rule.kinds.map((kind, i) => KINDS[kind]!.fr(match[i + 1]!, mine));
    if (mine.length > 0 && rule.kinds.some((k) => k === "rule" || k === "rules")) continue;
    misses.push(...mine);
    return rule.fr.replace(/\{(\d+)\}/g, (_, n: string) => values[Number(n) - 1] ?? "");
  }
  for (const [pattern, fr] of ZOD) {
    const match = pattern.exec(english);
    if (match) return fr(match, misses);
  }
  misses.push(`rule: ${english}`);
  return english;
}

/** A problem's title in French. */
export function translateTitle(english: string, misses: string[] = []): string {
  const fr = TITLES[english];
  if (fr === undefined) misses.push(`title: ${english}`);
  return fr ?? english;
}

/**
 * A problem+json body in `language`. English is the API's own words; French translates the
 * title, each field's message (its `path` stays as it is, for clients to point at the field) and
 * the detail, which names the fields in the users' words. `misses` lists what was not known.
 */
export function localizeProblem<P extends ProblemBody>(problem: P, language: Language): { problem: P; misses: string[] } {
  if (language === "en") return { problem, misses: [] };
  const misses: string[] = [];
  const errors = problem.errors?.map((e) => ({ ...e, message: translateRule(e.message, misses) }));
  // a field the API does not know is named as it was sent
  const label = (e: FieldMessage) => (UNKNOWN_FIELD.has(e.message) ? `« ${e.path} »` : fieldLabel(e.path, misses));
  let detail: string | undefined;
  if (problem.detail !== undefined) {
    const builtFromErrors = problem.errors && problem.errors.length > 0 && problem.detail === problem.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    detail = builtFromErrors
      ? problem.errors!.map((e, i) => `${label(e)} : ${errors![i]!.message}`).join(" ; ")
      : translateRule(problem.detail, misses);
  }
  return {
    problem: {
      ...problem,
      title: translateTitle(problem.title, misses),
      ...(detail !== undefined ? { detail } : {}),
      ...(errors ? { errors } : {}),
    },
    misses,
  };
}

/** Words of the catalogue's English side that no French text holds: a screen showing one shows an untranslated problem. */
export const ENGLISH_MARKERS: readonly string[] = [
  "must be",
  "must not",
  "is required",
  "is not a",
  "does not exist",
  "Try again",
  "Sign in",
  "Not Found",
  "Conflict",
  "Forbidden",
  "Unauthorized",
  "Invalid",
  "Too big",
  "Too small",
  "expected",
  "received",
];
