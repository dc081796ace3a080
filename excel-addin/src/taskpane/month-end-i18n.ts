/** The month-end section's words, French first (part of the pane's strings: `t.monthEnd`). */
import type { BatchLockResult } from "@passerelle/shared";

/** DD/MM/YYYY, as fr-FR and en-GB both write a date. */
const frDate = (iso: string) => iso.split("-").reverse().join("/");

export const monthEndFr = {
  title: "Clôture du mois",
  date: "Date de clôture",
  load: "Voir ce qui bloque",
  company: "Société",
  drafts: "Brouillons",
  issuedSinceExport: "Émis depuis l'export",
  issuedSinceHint: "Factures et avoirs de la période émis depuis le dernier export ou la dernière actualisation de ce classeur",
  unpaid: "Impayées",
  lock: "Verrou",
  none: "—",
  selectAll: "Tout cocher",
  select: (name: string) => `Cocher ${name}`,
  selected: (n: number) => `${n} société${n > 1 ? "s" : ""} cochée${n > 1 ? "s" : ""}`,
  preview: "Aperçu du verrouillage",
  lockSelected: (n: number, d: string) => `Verrouiller ${n} société${n > 1 ? "s" : ""} au ${d}`,
  neverExported: "jamais exportée",
  exportedOn: (d: string) => `dernier export le ${d}`,
  refreshedOn: (d: string) => `table actualisée le ${d}`,
  wouldLock: (from: string | null, to: string, n: number, ttc: string) =>
    `Verrouillera ${from ? `du ${frDate(from)}` : "depuis le début"} au ${frDate(to)} : ${n} document${n > 1 ? "s" : ""}, ${ttc} TTC`,
  draftsLeft: (n: number) => ` · ${n} brouillon${n > 1 ? "s" : ""} dans la période`,
  lockedTo: (d: string) => `Verrouillée au ${frDate(d)}`,
  summary: (locked: number, refused: number, preview: boolean) =>
    preview
      ? `Aperçu : ${locked} verrouillable${locked > 1 ? "s" : ""}, ${refused} refus`
      : `${locked} société${locked > 1 ? "s" : ""} verrouillée${locked > 1 ? "s" : ""}, ${refused} refus`,
  refusal: (r: BatchLockResult) => {
    const p = r.problem!;
    if (p.status === 404) return "Refusée : société introuvable ou non partagée avec vous";
    if (p.status === 403) return "Refusée : seul l'expert-comptable de la société peut la verrouiller";
    if (p.status === 409 && p.errors?.some((e) => e.message.includes("hard close"))) return "Refusée : exercice clôturé définitivement à cette date";
    if (p.status === 409 && r.lockedUntil) return `Refusée : déjà verrouillée au ${frDate(r.lockedUntil)} (un verrouillage ne fait qu'avancer)`;
    if (p.status === 422) return "Refusée : on ne verrouille que des jours passés";
    return `Refusée : ${p.detail ?? p.title}`;
  },
  exports: "Exports",
  exportsOf: "Société",
  fec: "Télécharger le FEC",
  pack: "Télécharger le pack",
  period: (from: string, to: string) => `Période du ${frDate(from)} au ${frDate(to)}`,
  downloaded: (name: string, bytes: number) => `${name} téléchargé (${bytes.toLocaleString("fr-FR")} octets)`,
  log: "Journal des exports",
  noExport: "Aucun export pour cette société.",
  logLine: (at: string, kind: string, rows: number, by: string) =>
    `${new Date(at).toLocaleString("fr-FR")} · ${kind} · ${rows.toLocaleString("fr-FR")} ligne${rows > 1 ? "s" : ""} · ${by}`,
  shown: (n: number, total: number) => `${n.toLocaleString("fr-FR")} société${n > 1 ? "s" : ""} sur ${total.toLocaleString("fr-FR")}`,
};

export type MonthEndStrings = typeof monthEndFr;

export const monthEndEn: MonthEndStrings = {
  title: "Month-end",
  date: "Month-end date",
  load: "See what stands in the way",
  company: "Company",
  drafts: "Drafts",
  issuedSinceExport: "Issued since export",
  issuedSinceHint: "Invoices and credit notes of the period issued since the last export or this workbook's last refresh",
  unpaid: "Unpaid",
  lock: "Lock",
  none: "—",
  selectAll: "Select all",
  select: (name: string) => `Select ${name}`,
  selected: (n: number) => `${n} compan${n === 1 ? "y" : "ies"} selected`,
  preview: "Preview the lock",
  lockSelected: (n: number, d: string) => `Lock ${n} compan${n === 1 ? "y" : "ies"} up to ${d}`,
  neverExported: "never exported",
  exportedOn: (d: string) => `last export ${d}`,
  refreshedOn: (d: string) => `table refreshed ${d}`,
  wouldLock: (from: string | null, to: string, n: number, ttc: string) =>
    `Will lock ${from ? `from ${frDate(from)}` : "from the beginning"} to ${frDate(to)}: ${n} document${n === 1 ? "" : "s"}, ${ttc} incl. VAT`,
  draftsLeft: (n: number) => ` · ${n} draft${n === 1 ? "" : "s"} in the period`,
  lockedTo: (d: string) => `Locked up to ${frDate(d)}`,
  summary: (locked: number, refused: number, preview: boolean) =>
    preview ? `Preview: ${locked} can be locked, ${refused} refused` : `${locked} locked, ${refused} refused`,
  refusal: (r: BatchLockResult) => {
    const p = r.problem!;
    if (p.status === 404) return "Refused: company not found or not shared with you";
    if (p.status === 403) return "Refused: only the company's accountant can lock it";
    if (p.status === 409 && p.errors?.some((e) => e.message.includes("hard close"))) return "Refused: the fiscal year is closed for good at this date";
    if (p.status === 409 && r.lockedUntil) return `Refused: already locked up to ${frDate(r.lockedUntil)} (locks only move forward)`;
    if (p.status === 422) return "Refused: only past days can be locked";
    return `Refused: ${p.detail ?? p.title}`;
  },
  exports: "Exports",
  exportsOf: "Company",
  fec: "Download the FEC",
  pack: "Download the pack",
  period: (from: string, to: string) => `Period from ${frDate(from)} to ${frDate(to)}`,
  downloaded: (name: string, bytes: number) => `${name} downloaded (${bytes.toLocaleString("en-GB")} bytes)`,
  log: "Export log",
  noExport: "No export for this company.",
  logLine: (at: string, kind: string, rows: number, by: string) =>
    `${new Date(at).toLocaleString("en-GB")} · ${kind} · ${rows.toLocaleString("en-GB")} row${rows === 1 ? "" : "s"} · ${by}`,
  shown: (n: number, total: number) => `${n.toLocaleString("en-GB")} of ${total.toLocaleString("en-GB")} compan${n === 1 ? "y" : "ies"}`,
};
