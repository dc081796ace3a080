/** What a render worker is asked to make, as plain data (it crosses threads), and how it makes it. */
import type { FacturXProfile } from "@passerelle/shared";
import { facturXPdf } from "../einvoice/facturx-pdf.js";
import { renderInvoicePdf, type InvoicePdfModel } from "./invoice-pdf.js";
import { renderLogoPdf } from "./logo-pdf.js";
import type { LogoImage } from "../services/logos.js";

export type RenderJob =
  | { kind: "invoice.pdf"; model: InvoicePdfModel }
  /** The invoice PDF with `xml` embedded; `finalAt` (ISO) dates the embedded file and the metadata. */
  | { kind: "facturx.pdf"; model: InvoicePdfModel; xml: string; profile: FacturXProfile; finalAt: string }
  /** A page with the logo alone: a new logo is drawn once before it is kept. */
  | { kind: "logo.pdf"; logo: LogoImage };

export async function renderJob(job: RenderJob): Promise<Uint8Array> {
  if (job.kind === "logo.pdf") return renderLogoPdf(job.logo);
  const pdf = await renderInvoicePdf(job.model);
  if (job.kind === "invoice.pdf") return pdf;
  return facturXPdf(pdf, job.xml, { profile: job.profile, finalAt: new Date(job.finalAt) });
}
