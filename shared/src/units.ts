/**
 * The units a line's quantity may count, as people write them on an invoice, each with the
 * UN/ECE Recommendation 20 code an e-invoice carries (BT-130). A line without a unit counts
 * "one" of something (C62), as before units existed.
 */
export const UNITS = {
  hour: { label: "heure", plural: "heures", rec20: "HUR" },
  day: { label: "jour", plural: "jours", rec20: "DAY" },
  month: { label: "mois", plural: "mois", rec20: "MON" },
  piece: { label: "pièce", plural: "pièces", rec20: "H87" },
  unit: { label: "unité", plural: "unités", rec20: "C62" },
  flat_rate: { label: "forfait", plural: "forfaits", rec20: "LS" },
  kg: { label: "kg", plural: "kg", rec20: "KGM" },
  tonne: { label: "tonne", plural: "tonnes", rec20: "TNE" },
  m: { label: "m", plural: "m", rec20: "MTR" },
  m2: { label: "m²", plural: "m²", rec20: "MTK" },
  m3: { label: "m³", plural: "m³", rec20: "MTQ" },
  km: { label: "km", plural: "km", rec20: "KMT" },
  litre: { label: "litre", plural: "litres", rec20: "LTR" },
} as const;

export type UnitKey = keyof typeof UNITS;
export const UNIT_KEYS = Object.keys(UNITS) as [UnitKey, ...UnitKey[]];

/** BT-130 of a line: its unit's Rec 20 code, C62 ("one") for a line without a unit. */
export function unitCode(unit: UnitKey | null | undefined): string {
  return unit ? UNITS[unit].rec20 : "C62";
}

/** The unit as the PDF prints it after the quantity, plural as French writes it ("3 heures"). */
export function unitLabel(unit: UnitKey | null | undefined, quantity = "1"): string {
  if (!unit) return "";
  return Number(quantity) >= 2 ? UNITS[unit].plural : UNITS[unit].label;
}
