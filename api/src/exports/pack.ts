/**
 * The accountant pack: the sales journal (XLSX, or CSV beyond the XLSX cap), the FEC with its
 * descriptif, every invoice and credit note as PDF, the documents the owner shared, and a French
 * README listing the contents, period, totals and the SHA-256 of each file. One ZIP, built entry
 * after entry from one read snapshot while it streams out.
 */
import fs from "node:fs";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { formatDateFr, formatEuros, formatVatRate, type InvoiceArchiveFormat, type JournalTotals } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { Config } from "../config.js";
import { documentPath } from "../services/documents.js";
import { salesJournal } from "../services/journal.js";
import { companyRow } from "../services/companies.js";
import { descriptifBytes, emptyStats, fecBody, type FecPlan } from "./fec.js";
import { addInvoicePdfs, filteredInvoiceRefs, type InvoiceFilter } from "./invoices-zip.js";
import { journalCsv, journalXlsx, xlsxRows } from "./journal.js";
import type { RenderPool } from "./render-pool.js";
import { openReader, type ExportBody } from "./stream.js";
import { zipBody } from "./zip.js";
import { archiveFileName } from "./archive-names.js";
import { documentDownloadName } from "../services/document-names.js";

interface PackedFile {
  name: string;
  what: string;
  bytes: number;
  sha256: string;
}

/**
 * Passes a generated file through, recording its size and digest when it ends. Iterating `body`
 * with `for await` ends it (its `finally` runs) when the archive stops reading this entry.
 */
function recorded(name: string, what: string, files: PackedFile[], body: AsyncIterable<Uint8Array>): Readable {
  return Readable.from(
    (async function* () {
      const hash = createHash("sha256");
      let bytes = 0;
      for await (const chunk of body) {
        hash.update(chunk);
        bytes += chunk.byteLength;
        yield chunk;
      }
      files.push({ name, what, bytes, sha256: hash.digest("hex") });
    })(),
  );
}

export function packFileName(siren: string, filters: InvoiceFilter, today: string): string {
  const d = (iso: string) => iso.replaceAll("-", "");
  return `pack-comptable-${siren}-${filters.from ? d(filters.from) : "origine"}-${d(filters.to ?? today)}.zip`;
}

function uniqueName(taken: Set<string>, name: string): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = name.replace(/(\.[^./]*)?$/, (ext) => ` (${i})${ext}`);
  taken.add(candidate);
  return candidate;
}

export function packBody(db: Db, config: Config, renders: RenderPool, companyId: string, filters: InvoiceFilter, plan: FecPlan, createdAt: Date, format: InvoiceArchiveFormat = "pdf"): ExportBody {
  return zipBody(async (zip) => {
    const reader = openReader(db);
    zip.onFinish(() => reader.close());
    const rdb = reader.db;
    const company = companyRow(rdb, companyId);
    const totals = salesJournal(rdb, companyId, { ...filters, limit: 1 }).totals;
    const files: PackedFile[] = [];
    const at = createdAt;

    const fitsXlsx = xlsxRows(rdb, companyId, filters, plan, config.xlsxMaxRows).fits;
    const journalName = fitsXlsx ? "journal-des-ventes.xlsx" : "journal-des-ventes.csv";
    zip.addLazy(journalName, at, async () =>
      recorded(
        journalName,
        fitsXlsx ? "journal des ventes (Excel : journal, TVA par taux, écritures)" : `journal des ventes (CSV : plus de ${config.xlsxMaxRows} lignes, au-delà de la limite d'un fichier Excel)`,
        files,
        fitsXlsx ? journalXlsx(rdb, companyId, filters, plan, createdAt) : journalCsv(rdb, companyId, filters, "fr"),
      ),
    );

    const stats = emptyStats();
    zip.addLazy(plan.fileName, at, async () =>
      recorded(plan.fileName, plan.legal ? "fichier des écritures comptables (FEC) de l'exercice" : "écritures au format FEC (import)", files, fecBody(rdb, plan, stats)),
    );
    const descriptifName = plan.fileName.replace(/\.txt$/, "_descriptif.txt");
    zip.addLazy(descriptifName, at, async () => {
      const fec = files.find((f) => f.name === plan.fileName)!;
      return recorded(descriptifName, "descriptif du FEC (champs, codes, encodage, validation)", files, Readable.from([descriptifBytes(plan, stats, fec.sha256)]));
    });

    const refs = filteredInvoiceRefs(rdb, companyId, filters);
    addInvoicePdfs(
      zip,
      rdb,
      renders,
      companyId,
      refs,
      "factures/",
      (name, bytes, facturX) =>
        files.push({
          name,
          what: facturX ? "facture ou avoir (Factur-X EN 16931 : PDF/A-3 avec factur-x.xml)" : "facture ou avoir (PDF)",
          bytes: bytes.byteLength,
          sha256: createHash("sha256").update(bytes).digest("hex"),
        }),
      format,
    );

    const documents = rdb
      .prepare(
        `SELECT id, original_name, mime_type, uploaded_at FROM documents WHERE company_id = @companyId
         ${filters.from ? "AND substr(uploaded_at, 1, 10) >= @from" : ""} ${filters.to ? "AND substr(uploaded_at, 1, 10) <= @to" : ""} ORDER BY pk`,
      )
      .all({ companyId, from: filters.from, to: filters.to }) as { id: string; original_name: string; mime_type: string; uploaded_at: string }[];
    const taken = new Set<string>();
    for (const d of documents) {
      const name = uniqueName(taken, `documents/${archiveFileName(documentDownloadName({ originalName: d.original_name, mimeType: d.mime_type }), `document-${d.id}.${d.mime_type.split("/")[1]}`)}`);
      zip.addLazy(name, new Date(d.uploaded_at), async () =>
        recorded(name, "document partagé par l'entreprise", files, fs.createReadStream(documentPath(config.dataDir, companyId, d.id))),
      );
    }

    zip.addLazy("LISEZMOI.txt", at, async () => Readable.from([Buffer.from(readme(company.name, company.siren, filters, createdAt, totals, stats, files), "utf8")]));
    return { rows: refs.length, detail: { files: documents.length + refs.length + 3, totals } };
  });
}

function readme(
  companyName: string,
  siren: string,
  filters: InvoiceFilter,
  createdAt: Date,
  totals: JournalTotals,
  stats: ReturnType<typeof emptyStats>,
  files: PackedFile[],
): string {
  const today = createdAt.toISOString().slice(0, 10);
  const lines: string[] = [];
  lines.push(`PACK COMPTABLE — ${companyName} (SIREN ${siren})`);
  lines.push(``);
  lines.push(`Période : ${filters.from ? `du ${formatDateFr(filters.from)}` : "depuis l'origine"} au ${formatDateFr(filters.to ?? today)}`);
  const other = Object.entries({ client: filters.customerId, type: filters.type, statut: filters.status, catégorie: filters.category, recherche: filters.q }).filter(([, v]) => v);
  lines.push(`Filtres : ${other.length ? other.map(([k, v]) => `${k} = ${v}`).join(", ") : "aucun"}`);
  lines.push(`Préparé le : ${formatDateFr(today)} par Passerelle`);
  lines.push(``);
  lines.push(`TOTAUX DU JOURNAL DES VENTES (avoirs en négatif)`);
  lines.push(`- Documents : ${totals.count}`);
  lines.push(`- Total HT : ${formatEuros(totals.htCents)}`);
  lines.push(`- TVA : ${formatEuros(totals.vatCents)}`);
  lines.push(`- Total TTC : ${formatEuros(totals.ttcCents)}`);
  for (const r of totals.byRate) lines.push(`  - TVA ${formatVatRate(r.vatRateBp)} : base ${formatEuros(r.baseCents)}, TVA ${formatEuros(r.vatCents)}`);
  lines.push(``);
  lines.push(`ÉCRITURES (FEC)`);
  lines.push(`- ${stats.entries} écritures, ${stats.lines} lignes ; débit ${formatEuros(stats.debitCents)}, crédit ${formatEuros(stats.creditCents)}`);
  if (stats.unvalidatedEntries > 0) lines.push(`- dont ${stats.unvalidatedEntries} écritures d'une période non verrouillée (non validées)`);
  lines.push(``);
  lines.push(`CONTENU (empreinte SHA-256 de chaque fichier)`);
  for (const f of files) lines.push(`- ${f.name} — ${f.what} — ${f.bytes} octets — SHA-256 ${f.sha256}`);
  lines.push(``);
  lines.push(`Vérifier une empreinte : « sha256sum <fichier> » (Linux), « shasum -a 256 <fichier> » (macOS), « certutil -hashfile <fichier> SHA256 » (Windows).`);
  return lines.join("\r\n") + "\r\n";
}
