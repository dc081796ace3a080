/**
 * A second table of the same company and view is named after its period ("Maison Lumière –
 * Ventes T1 2026"), not numbered: the sheet tabs then say which table is which.
 */
import { addDays, daysInMonth } from "@passerelle/shared/dates";
import type { Language } from "../language.js";
import type { View } from "./layout.js";

const MONTHS = {
  fr: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

/** "2026", "T1 2026", "mars 2026", "2025-2026" (a 12-month fiscal year), "01.02-15.03.26" or "15.12.25-15.01.26". */
export function periodLabel(from: string, to: string, lang: Language): string {
  const [fy, fm, fd] = from.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = to.split("-").map(Number) as [number, number, number];
  const monthEnd = td === daysInMonth(ty, tm);
  if (fd === 1 && monthEnd) {
    if (fy === ty && fm === 1 && tm === 12) return String(fy);
    if (fy === ty && fm === tm) return `${MONTHS[lang][fm - 1]} ${fy}`;
    if (fy === ty && tm === fm + 2 && fm % 3 === 1) return `${lang === "fr" ? "T" : "Q"}${(fm + 2) / 3} ${fy}`;
    if (to === addDays(`${fy + 1}-${String(fm).padStart(2, "0")}-01`, -1)) return `${fy}-${ty}`;
  }
  const short = (y: number, m: number, d: number) => `${String(d).padStart(2, "0")}.${String(m).padStart(2, "0")}.${String(y).slice(2)}`;
  if (fy === ty) return `${short(fy, fm, fd).slice(0, 5)}-${short(ty, tm, td)}`;
  return `${short(fy, fm, fd)}-${short(ty, tm, td)}`;
}

/** "Maison Lumière SARL", journal, T1 2026 → "Maison Lumière – Ventes T1 2026" (≤ 31 characters, no []:*?/\). */
export function periodSheetName(companyName: string, view: View, from: string, to: string, lang: Language): string {
  const what = view === "journal" ? (lang === "fr" ? "Ventes" : "Sales") : lang === "fr" ? "Écritures" : "Entries";
  const suffix = ` – ${what} ${periodLabel(from, to, lang)}`;
  const clean = companyName.replace(/[[\]:*?/\\']/g, " ").replace(/\s+/g, " ").trim();
  return clean.slice(0, Math.max(0, 31 - suffix.length)).trim() + suffix;
}
