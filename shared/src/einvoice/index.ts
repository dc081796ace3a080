/** Structured e-invoices (Factur-X CII, UBL 2.1) of issued documents: the public surface. */
export { buildCii, ciiNotes, type CiiOptions } from "./cii.js";
export { buildUbl } from "./ubl.js";
export {
  billingFramework,
  CONFORMANCE_LEVEL,
  deductionAllowances,
  documentTypeCode,
  einvoiceProblems,
  GUIDELINE_ID,
  vatCategory,
  type EInvoiceBuyer,
  type EInvoiceDeduction,
  type EInvoiceDocument,
  type EInvoiceLine,
  type EInvoiceSeller,
  type FacturXProfile,
  type VatCategory,
  type VatCategoryCode,
} from "./model.js";
export { escapeAttribute as escapeXmlAttribute, escapeText as escapeXmlText } from "./xml.js";
