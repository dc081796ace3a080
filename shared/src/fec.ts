/**
 * The FEC layout (accounting.md §4, article A47 A-1 of the LPF): 18 fields in a fixed order, a
 * header line, CR LF records, tab (or `|`) separators, dates YYYYMMDD, amounts with a decimal comma
 * and no thousands separator, Debit and Credit both filled, text cleaned of separators and line
 * breaks, mandatory fields never empty, paired fields filled together. Pure: the API streams what
 * these functions return.
 */
import type { AccountingEntry, EntryLine } from "./entries.js";
import { compactDate } from "./dates.js";
import { formatDateFr } from "./format.js";

export const FEC_FIELDS = [
  "JournalCode",
  "JournalLib",
  "EcritureNum",
  "EcritureDate",
  "CompteNum",
  "CompteLib",
  "CompAuxNum",
  "CompAuxLib",
  "PieceRef",
  "PieceDate",
  "EcritureLib",
  "Debit",
  "Credit",
  "EcritureLet",
  "DateLet",
  "ValidDate",
  "Montantdevise",
  "Idevise",
] as const;
export type FecField = (typeof FEC_FIELDS)[number];

/** Fields that must never be empty. */
export const FEC_MANDATORY: readonly FecField[] = [
  "JournalCode",
  "JournalLib",
  "EcritureNum",
  "EcritureDate",
  "CompteNum",
  "CompteLib",
  "PieceRef",
  "PieceDate",
  "EcritureLib",
  "Debit",
  "Credit",
  "ValidDate",
];

/** Fields filled together or left empty together. */
export const FEC_PAIRS: readonly [FecField, FecField][] = [
  ["CompAuxNum", "CompAuxLib"],
  ["EcritureLet", "DateLet"],
  ["Montantdevise", "Idevise"],
];

export type FecSeparator = "tab" | "pipe";
export const FEC_EOL = "\r\n";

export function fecSeparatorChar(separator: FecSeparator): "\t" | "|" {
  return separator === "pipe" ? "|" : "\t";
}

/**
 * Text as a FEC field: tabs, pipes, CR, LF and other control characters become spaces (whatever
 * the separator, so a file never splits wrongly in a tool that guesses it), runs of spaces shrink
 * to one, ends are trimmed.
 */
export function fecText(value: string | null | undefined): string {
  if (!value) return "";
  // most texts need nothing: one test instead of two replacements and a trim
  if (!NEEDS_CLEANING.test(value)) return value;
  return value
    .replace(/[\u0000-\u001f\u007f|\u2028\u2029]/g, " ")
    .replace(/ {2,}/g, " ")
    .trim();
}
/** What fecText changes: control characters, the pipe, line and paragraph separators, runs of spaces, and whitespace at either end. */
const NEEDS_CLEANING = /[\u0000-\u001f\u007f|\u2028\u2029]| {2}|^\s|\s$/;

/** 123456 → "1234,56"; 5 → "0,05"; -1234 → "-12,34". */
export function fecAmount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be integer cents: ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? "-" : ""}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, "0")}`;
}

export function fecDate(isoDate: string): string {
  return compactDate(isoDate);
}

export type FecRecord = Record<FecField, string>;

export function fecHeader(separator: FecSeparator): string {
  return FEC_FIELDS.join(fecSeparatorChar(separator)) + FEC_EOL;
}

export function fecRecordLine(record: FecRecord, separator: FecSeparator): string {
  return FEC_FIELDS.map((f) => record[f]).join(fecSeparatorChar(separator)) + FEC_EOL;
}

export interface FecEntryOptions {
  /** Validation date of an entry that is not validated yet (the export date): `YYYY-MM-DD`. */
  unvalidatedDate: string;
  /** The number printed in EcritureNum (defaults to the entry's number). */
  entryNumber?: string;
}

/** The records of one entry, one per line, every rule of the layout applied. */
export function fecRecords(entry: AccountingEntry, options: FecEntryOptions): FecRecord[] {
  const validated = entry.validatedOn ?? options.unvalidatedDate;
  // ValidDate is never before the entry's date
  const validDate = validated < entry.date ? entry.date : validated;
  const journalCode = fecText(entry.journalCode);
  const pieceRef = fecText(entry.pieceRef) || fecText(entry.entryNumber);
  return entry.lines.map((line) => {
    const aux = auxPair(line);
    const lettering = fecText(line.lettering);
    const letteringDate = lettering && line.letteringDate ? fecDate(line.letteringDate) : "";
    return {
      JournalCode: journalCode,
      JournalLib: fecText(entry.journalLabel) || journalCode,
      EcritureNum: fecText(options.entryNumber ?? entry.entryNumber),
      EcritureDate: fecDate(entry.date),
      CompteNum: fecText(line.account),
      CompteLib: fecText(line.accountLabel) || `Compte ${fecText(line.account)}`,
      CompAuxNum: aux[0],
      CompAuxLib: aux[1],
      PieceRef: pieceRef,
      PieceDate: fecDate(entry.pieceDate || entry.date),
      EcritureLib: fecText(line.label) || fecText(entry.label) || pieceRef,
      Debit: fecAmount(line.debitCents),
      Credit: fecAmount(line.creditCents),
      EcritureLet: letteringDate ? lettering : "",
      DateLet: letteringDate,
      ValidDate: fecDate(validDate),
      Montantdevise: "",
      Idevise: "",
    };
  });
}

function auxPair(line: EntryLine): [string, string] {
  const num = fecText(line.auxAccount);
  if (!num) return ["", ""];
  return [num, fecText(line.auxLabel) || num];
}

/**
 * The lines of one entry, ready to write: the text of `fecRecords` joined by `fecRecordLine`, built
 * without the records. A FEC holds millions of lines: the fields common to the entry's lines are
 * cleaned and joined once, each line adds its own. test/fec.test.ts checks both give the same text.
 */
export function fecEntryText(entry: AccountingEntry, separator: FecSeparator, options: FecEntryOptions): string {
  const s = fecSeparatorChar(separator);
  const validated = entry.validatedOn ?? options.unvalidatedDate;
  const validDate = validated < entry.date ? entry.date : validated;
  const journalCode = fecText(entry.journalCode);
  const pieceRef = fecText(entry.pieceRef) || fecText(entry.entryNumber);
  // JournalCode to EcritureDate
  const head = journalCode + s + (fecText(entry.journalLabel) || journalCode) + s + fecText(options.entryNumber ?? entry.entryNumber) + s + fecDate(entry.date) + s;
  // PieceRef and PieceDate
  const piece = pieceRef + s + fecDate(entry.pieceDate || entry.date) + s;
  const entryLabel = fecText(entry.label) || pieceRef;
  // ValidDate, Montantdevise and Idevise (empty)
  const tail = s + fecDate(validDate) + s + s + FEC_EOL;
  let text = "";
  for (const line of entry.lines) {
    const account = fecText(line.account);
    const auxNum = fecText(line.auxAccount);
    const aux = auxNum ? auxNum + s + (fecText(line.auxLabel) || auxNum) : s;
    const lettering = fecText(line.lettering);
    const letteringDate = lettering && line.letteringDate ? fecDate(line.letteringDate) : "";
    text +=
      head +
      account + s + (fecText(line.accountLabel) || `Compte ${account}`) + s + aux + s +
      piece + (fecText(line.label) || entryLabel) + s +
      fecAmount(line.debitCents) + s + fecAmount(line.creditCents) + s +
      (letteringDate ? lettering : "") + s + letteringDate + tail;
  }
  return text;
}

/**
 * The legal name `<SIREN>FEC<closing date>.txt` only for a whole fiscal year with every journal and
 * no other filter; any other scope gets a name that cannot be mistaken for it:
 * `<SIREN>_<journals>_<from>_<to>[_filtre].txt`.
 */
export function fecFileName(input: {
  siren: string;
  from: string | null;
  to: string;
  wholeFiscalYear: boolean;
  journals: readonly string[];
  filtered: boolean;
}): string {
  if (input.wholeFiscalYear && !input.filtered) return `${input.siren}FEC${fecDate(input.to)}.txt`;
  const from = input.from ? fecDate(input.from) : "origine";
  return `${input.siren}_${input.journals.join("-")}_${from}_${fecDate(input.to)}${input.filtered ? "_filtre" : ""}.txt`;
}

/** The fiscal year (first and last day) that contains `date`, for a year starting on `start` (MM-DD). */
export function fiscalYearOf(date: string, start: string): { from: string; to: string } {
  const year = Number(date.slice(0, 4));
  let from = `${year}-${start}`;
  if (from > date) from = `${year - 1}-${start}`;
  const next = `${Number(from.slice(0, 4)) + 1}-${start}`;
  const [y, m, d] = next.split("-").map(Number) as [number, number, number];
  const to = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  return { from, to };
}

export interface FecDescription {
  companyName: string;
  siren: string;
  fileName: string;
  legal: boolean;
  from: string | null;
  to: string;
  exportedOn: string;
  separator: FecSeparator;
  journals: { code: string; label: string }[];
  /** Every date on or before this one is validated (locked); null: nothing is. */
  lockedUntil: string | null;
  renumbered: boolean;
  filters: Record<string, string>;
  entries: number;
  lines: number;
  debitCents: number;
  creditCents: number;
  unvalidatedEntries: number;
  accounts: { number: string; label: string }[];
  sha256: string;
}

const FIELD_NOTES: Record<FecField, string> = {
  JournalCode: "code du journal (VE ventes, BQ banque, ou les codes choisis par le cabinet)",
  JournalLib: "libellé du journal",
  EcritureNum: "numéro de l'écriture, séquence continue par journal, dans l'ordre des dates",
  EcritureDate: "date de comptabilisation (date de la facture, de l'avoir ou du règlement), AAAAMMJJ",
  CompteNum: "numéro de compte, commençant par les 3 chiffres du PCG",
  CompteLib: "libellé du compte",
  CompAuxNum: "compte auxiliaire client (code client), vide hors compte 411",
  CompAuxLib: "nom du client, rempli avec CompAuxNum",
  PieceRef: "numéro de la pièce (facture, avoir ; la facture réglée pour un règlement)",
  PieceDate: "date de la pièce, AAAAMMJJ",
  EcritureLib: "libellé de l'écriture",
  Debit: "montant au débit, virgule décimale, 0,00 si vide",
  Credit: "montant au crédit, virgule décimale, 0,00 si vide",
  EcritureLet: "code de lettrage des lignes 411 d'une facture soldée et de ce qui la solde",
  DateLet: "date du lettrage (date du dernier document soldant), AAAAMMJJ",
  ValidDate: "date de validation de l'écriture, AAAAMMJJ",
  Montantdevise: "non utilisé (toutes les écritures sont en euros)",
  Idevise: "non utilisé (toutes les écritures sont en euros)",
};

/** The short description that accompanies a FEC (fields, codes, encoding, validation), in French. */
export function fecDescriptif(d: FecDescription): string {
  const fmt = (cents: number) => fecAmount(cents);
  const period = `${d.from ? `du ${formatDateFr(d.from)}` : "depuis l'origine"} au ${formatDateFr(d.to)}`;
  const out: string[] = [];
  out.push(`DESCRIPTIF DU FICHIER DES ÉCRITURES COMPTABLES`);
  out.push(``);
  out.push(`Société : ${d.companyName} (SIREN ${d.siren})`);
  out.push(`Fichier : ${d.fileName}`);
  out.push(
    d.legal
      ? `Nature : fichier des écritures comptables de l'exercice ${period} (article A47 A-1 du livre des procédures fiscales).`
      : `Nature : extrait au format FEC ${period}, destiné à l'import dans un logiciel comptable ; ce n'est pas le FEC légal d'un exercice.`,
  );
  out.push(`Exporté le : ${formatDateFr(d.exportedOn)}`);
  out.push(`Empreinte SHA-256 du fichier : ${d.sha256}`);
  out.push(``);
  out.push(`FORMAT`);
  out.push(`- Encodage UTF-8 sans BOM ; enregistrements séparés par CR LF ; première ligne : noms des 18 champs.`);
  out.push(`- Séparateur de champs : ${d.separator === "pipe" ? "barre verticale (|)" : "tabulation"}.`);
  out.push(`- Dates au format AAAAMMJJ ; montants avec virgule décimale, sans séparateur de milliers ; Debit et Credit toujours remplis (0,00 pour le côté vide).`);
  out.push(`- Les tabulations, barres verticales et retours à la ligne des textes sont remplacés par des espaces.`);
  out.push(`- Montantdevise et Idevise sont vides : toutes les écritures sont en euros.`);
  out.push(``);
  out.push(`CHAMPS`);
  FEC_FIELDS.forEach((f, i) => out.push(`${String(i + 1).padStart(2, " ")}. ${f} : ${FIELD_NOTES[f]}`));
  out.push(``);
  out.push(`JOURNAUX`);
  for (const j of d.journals) out.push(`- ${j.code} : ${j.label}`);
  out.push(``);
  out.push(`COMPTES UTILISÉS`);
  for (const a of d.accounts) out.push(`- ${a.number} : ${a.label}`);
  out.push(``);
  out.push(`VALIDATION`);
  if (d.lockedUntil) {
    out.push(`- Les écritures datées jusqu'au ${formatDateFr(d.lockedUntil)} inclus sont validées : période verrouillée, ValidDate = date du verrouillage.`);
  } else {
    out.push(`- Aucune période n'est verrouillée.`);
  }
  out.push(
    d.unvalidatedEntries > 0
      ? `- ${d.unvalidatedEntries} écriture(s) d'une période ouverte ne sont pas validées : elles peuvent encore changer ; leur ValidDate est la date d'export (${formatDateFr(d.exportedOn)}).`
      : `- Toutes les écritures du fichier sont validées.`,
  );
  out.push(``);
  out.push(`NUMÉROTATION`);
  out.push(
    d.renumbered
      ? `- Le fichier ne retient qu'une partie des écritures (filtres : ${Object.entries(d.filters).map(([k, v]) => `${k}=${v}`).join(", ")}) : EcritureNum est renuméroté de façon continue dans ce fichier et ne correspond pas aux numéros du journal complet.`
      : `- EcritureNum reprend les numéros des écritures du journal : séquence continue par journal, dans l'ordre des dates.`,
  );
  out.push(``);
  out.push(`CONTRÔLE`);
  out.push(`- ${d.entries} écriture(s), ${d.lines} ligne(s).`);
  out.push(`- Total des débits : ${fmt(d.debitCents)} ; total des crédits : ${fmt(d.creditCents)}.`);
  return out.join(FEC_EOL) + FEC_EOL;
}
