/**
 * Dates as the pane reads and types them: jj/mm/aaaa, whatever the browser's own language
 * (an <input type=date> would follow the browser's locale). ISO dates (aaaa-mm-jj) pasted from
 * elsewhere are accepted too.
 */
import { isIsoDate } from "@passerelle/shared/dates";

const pad = (n: number) => String(n).padStart(2, "0");

/** "31/03/2026", "31/3/2026", "31.03.2026", "31032026" or "2026-03-31" → "2026-03-31"; anything else → null. */
export function parseDateText(text: string): string | null {
  const s = text.trim();
  let match = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/.exec(s) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  let iso: string | null = null;
  if (match) iso = `${match[3]}-${pad(Number(match[2]))}-${pad(Number(match[1]))}`;
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) iso = s;
  return iso && isIsoDate(iso) ? iso : null;
}

/** "2026-03-31" → "31/03/2026" ("" stays ""). */
export function dateText(iso: string): string {
  if (!iso) return "";
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}
