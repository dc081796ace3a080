/**
 * Which PDF an issued document's Factur-X download or archive entry is, read from the database:
 * the checks run here, before anything is rendered, and the render job goes to the render pool.
 */
import { buildCii, type FacturXProfile } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { invoicePdfModel } from "../exports/invoice-pdf-model.js";
import { embeddableFonts } from "../exports/pdf-document.js";
import type { RenderJob } from "../exports/render-jobs.js";
import { ProblemError } from "../http/problem.js";
import { loadEInvoice } from "./document.js";

/**
 * The Factur-X PDF of an issued document: 409 for drafts and documents EN 16931 cannot express
 * (see `loadEInvoice`), 503 when the server has no embeddable fonts (no PDF/A then).
 */
export function prepareFacturX(db: Db, companyId: string, invoiceId: string, profile: FacturXProfile): { number: string; fileName: string; job: RenderJob } {
  const { document, finalAt } = loadEInvoice(db, companyId, invoiceId);
  assertFacturXAvailable();
  return {
    number: document.number,
    fileName: `${document.number}-factur-x.pdf`,
    job: { kind: "facturx.pdf", model: invoicePdfModel(db, companyId, invoiceId), xml: buildCii(document, { profile }), profile, finalAt },
  };
}

/** 503 unless the server can write PDF/A (it needs embeddable fonts). */
export function assertFacturXAvailable(): void {
  if (!embeddableFonts()) {
    throw new ProblemError(503, "Service Unavailable", "PDF/A needs embedded fonts: reinstall the dejavu-fonts-ttf package or set PASSERELLE_PDF_FONTS to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.");
  }
}

/**
 * For archives (`format=facturx`): a document's Factur-X PDF when it can be one, else its plain PDF
 * — a draft, or a document EN 16931 cannot express (see `einvoiceProblems`).
 */
export function facturXOrPdfJob(db: Db, companyId: string, invoiceId: string, profile: FacturXProfile = "EN16931"): { job: RenderJob; facturX: boolean } {
  try {
    return { job: prepareFacturX(db, companyId, invoiceId, profile).job, facturX: true };
  } catch (error) {
    if (error instanceof ProblemError && error.status === 409) return { job: { kind: "invoice.pdf", model: invoicePdfModel(db, companyId, invoiceId) }, facturX: false };
    throw error;
  }
}
