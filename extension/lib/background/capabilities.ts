/**
 * What the configured server offers, read from its OpenAPI description: parts of Passerelle land
 * at different times, and an action the server cannot serve is left out rather than shown broken.
 */
import { capabilitiesItem, type Capabilities } from "../storage";
import type { BackgroundEnv } from "./env";

const INVOICE_PDF_PATH = "/companies/{companyId}/invoices/{invoiceId}/pdf";
const MAX_AGE_MS = 60 * 60 * 1000;

export function capabilitiesFrom(openapi: unknown): { invoicePdf: boolean } {
  const paths = (openapi as { paths?: Record<string, Record<string, unknown>> } | null)?.paths ?? {};
  const invoicePdf = Object.entries(paths).some(([path, ops]) => path.endsWith(INVOICE_PDF_PATH) && "get" in ops);
  return { invoicePdf };
}

export async function currentCapabilities(env: BackgroundEnv, serverUrl: string): Promise<Capabilities> {
  const cached = await capabilitiesItem.getValue();
  const now = env.now().getTime();
  if (cached && cached.serverUrl === serverUrl && now - cached.checkedAt < MAX_AGE_MS) return cached;
  try {
    const response = await env.fetch(`${serverUrl}/openapi.json`, { headers: { accept: "application/json" } });
    if (response.ok) {
      const fresh: Capabilities = { serverUrl, ...capabilitiesFrom(await response.json()), checkedAt: now };
      await capabilitiesItem.setValue(fresh);
      return fresh;
    }
  } catch {
    // Not known this time: the optional actions stay hidden and the next look asks again.
  }
  return { serverUrl, invoicePdf: false, checkedAt: now };
}
