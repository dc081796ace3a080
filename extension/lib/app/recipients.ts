/** The recipients of an e-mail as the owner types them: addresses separated by commas, semicolons or line breaks. */
import { isPlausibleEmail } from "../email";

export interface RecipientsCheck {
  addresses: string[];
  /** The first address that cannot be sent to, and why. */
  problem: { address: string; reason: "invalid" | "repeated" } | null;
}

export function splitRecipients(text: string): string[] {
  return text
    .split(/[,;\n]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

export function checkRecipients(text: string): RecipientsCheck {
  const addresses = splitRecipients(text);
  const seen = new Set<string>();
  for (const address of addresses) {
    if (!isPlausibleEmail(address)) return { addresses, problem: { address, reason: "invalid" } };
    const key = address.toLowerCase();
    if (seen.has(key)) return { addresses, problem: { address, reason: "repeated" } };
    seen.add(key);
  }
  return { addresses, problem: null };
}

/** The address an API error path names (`to.1` → the second address sent), if any. */
export function recipientAt(path: string, sent: readonly string[]): string | null {
  const index = /^to\.(\d+)$/.exec(path)?.[1];
  return index === undefined ? null : (sent[Number(index)] ?? null);
}
