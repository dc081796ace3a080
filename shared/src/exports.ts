/** The exports' query strings and the export log, as zod schemas (API contract, "Exports"). */
import { z } from "zod";
import { InvoiceFilters, QuoteFilters, SearchTerm } from "./schemas.js";
import { JournalCodesQuery } from "./accountant-schemas.js";

/** Every export takes the invoice filters (period, customer, type, status, category, search). */
export const ExportFilters = InvoiceFilters.omit({ limit: true, cursor: true }).refine((f) => !f.from || !f.to || f.from <= f.to, {
  message: "must be on or after `from`",
  path: ["to"],
});

const BooleanFlag = z.enum(["true", "false"]).describe("`true` or `false`");

/** How the invoices go into a ZIP: their PDF (default) or their Factur-X PDF (PDF/A-3 with factur-x.xml, EN 16931). */
export const InvoiceArchiveFormat = z.enum(["pdf", "facturx"], { message: "must be pdf (default) or facturx" });
export const InvoiceArchiveQuery = InvoiceFilters.omit({ limit: true, cursor: true })
  .extend({
    format: InvoiceArchiveFormat.optional().describe(
      "`facturx`: each issued document as a Factur-X PDF (drafts, and documents EN 16931 cannot express, stay plain PDFs)",
    ),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "must be on or after `from`", path: ["to"] });

export const FecQuery = InvoiceFilters.omit({ limit: true, cursor: true })
  .extend({
    journals: JournalCodesQuery.optional().describe("Journal codes, comma-separated: `VE`, `BQ` or `VE,BQ` (default: every journal)"),
    separator: z.enum(["tab", "pipe"]).default("tab").describe("Field separator: tab (default) or `|`"),
    lock: BooleanFlag.default("false").describe("`true`: lock the period up to `to` and export in one step (accountants only)"),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "must be on or after `from`", path: ["to"] });

export const JournalCsvQuery = InvoiceFilters.omit({ limit: true, cursor: true })
  .extend({ locale: z.enum(["fr", "en"]).default("fr").describe("`fr`: `;` and decimal comma (UTF-8 with BOM); `en`: `,` and dot") })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "must be on or after `from`", path: ["to"] });

/** The quotes of a ZIP: the quote list's filters (issued quotes unless `status=draft` is asked for). */
export const QuoteArchiveQuery = QuoteFilters.omit({ limit: true, cursor: true }).refine((f) => !f.from || !f.to || f.from <= f.to, {
  message: "must be on or after `from`",
  path: ["to"],
});

/** The owner's lists (customers, products): by category, and a search on name (and code for customers). */
export const ListExportQuery = z.strictObject({
  category: SearchTerm(60).optional(),
  q: SearchTerm(100).optional(),
});

export const ExportKind = z.enum([
  "fec",
  "sales-journal.csv",
  "sales-journal.xlsx",
  "sales-journal.pdf",
  "invoices.zip",
  "pack.zip",
  "customers.xlsx",
  "products.xlsx",
  "invoice.pdf",
  "quote.pdf",
  "quotes.zip",
]);

export const ExportLogEntry = z.object({
  id: z.string(),
  kind: ExportKind,
  fileName: z.string(),
  contentType: z.string(),
  /** The filters as the caller gave them. */
  filters: z.record(z.string(), z.string()),
  rows: z.number(),
  bytes: z.number(),
  /** SHA-256 (hex) of the exact bytes sent. */
  sha256: z.string(),
  detail: z.unknown().nullable(),
  /** Set when the export also locked the period (`lock=true`). */
  lockedUntil: z.string().nullable(),
  by: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  via: z.enum(["session", "api_key"]),
  startedAt: z.string(),
  completedAt: z.string(),
});

export type ExportFilters = z.input<typeof ExportFilters>;
export type FecQuery = z.input<typeof FecQuery>;
export type JournalCsvQuery = z.input<typeof JournalCsvQuery>;
export type ListExportQuery = z.input<typeof ListExportQuery>;
export type ExportKind = z.infer<typeof ExportKind>;
export type ExportLogEntry = z.infer<typeof ExportLogEntry>;
export type InvoiceArchiveQuery = z.input<typeof InvoiceArchiveQuery>;
export type QuoteArchiveQuery = z.input<typeof QuoteArchiveQuery>;
export type InvoiceArchiveFormat = z.infer<typeof InvoiceArchiveFormat>;
