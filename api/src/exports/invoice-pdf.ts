/**
 * An invoice or credit note as a PDF a French accountant accepts: every mention of accounting.md §2,
 * printed from the identities frozen on the document when it was issued (not today's customer
 * record), lines wrapping across pages, per-rate totals, and the credit note's reference to the
 * invoice it corrects. `renderInvoicePdf` makes the bytes from plain data (in a render worker, see
 * render-pool.ts); `extend` lets a caller add to the document before it ends.
 */
import {
  earlyPaymentMention,
  formatAddressLines,
  formatDateFr,
  formatEuros,
  formatQuantityFr,
  formatSiren,
  formatVatRate,
  latePenaltyMention,
  operationNature,
  RECOVERY_INDEMNITY_MENTION,
  sellerLegalLine,
  servicePeriodMention,
  showsSupplyDate,
  supplyDateLabel,
  VAT_ON_DEBITS_MENTION,
  vatExemptionMention,
  type Address,
  type VatExemptionCode,
  unitLabel,
  type LineUnit,
} from "@passerelle/shared";
import { createPdf, pdfBytes, wrapText, writeFixed, writeFlowing, type PdfHandle } from "./pdf-document.js";
import type { CustomerIdentity, SellerIdentity } from "../services/identities.js";
import type { LogoImage } from "../services/logos.js";
import { drawDocumentLogo } from "./logo-pdf.js";

export type { CustomerIdentity, SellerIdentity };

export interface InvoicePdfLine {
  description: string;
  quantity: string;
  unitPriceCents: number;
  discountCents: number;
  vatRateBp: number;
  netCents: number;
  kind: "goods" | "services";
  unit: LineUnit | null;
}

export interface InvoicePdfModel {
  /** A quote prints with the same layout: its validity, no payment terms, and a space for "Bon pour accord". */
  type: "invoice" | "credit_note" | "quote";
  /** A draft prints as such: it has no number and is not an invoice yet. */
  draft: boolean;
  number: string | null;
  issueDate: string | null;
  dueDate: string | null;
  seller: SellerIdentity;
  /** The logo the seller's identity names (the one frozen with it, for an issued document). */
  logo: LogoImage | null;
  customer: CustomerIdentity;
  lines: InvoicePdfLine[];
  byRate: { vatRateBp: number; baseCents: number; vatCents: number }[];
  htCents: number;
  vatCents: number;
  ttcCents: number;
  vatExemption: VatExemptionCode | null;
  notes: string | null;
  /** For a credit note: the invoice it corrects. */
  corrects: { number: string; issueDate: string } | null;
  /** The date of the sale or service, printed when it differs from the issue date. */
  deliveryDate: string | null;
  /** The period the services cover. */
  servicePeriod: { from: string; to: string } | null;
  /** Where the goods go or the services are performed, when not the billing address. */
  deliveryAddress: Address | null;
  /** When the document became final (fixes the PDF's dates, so the bytes are reproducible). */
  finalAt: string;
  /** For a quote: the last day the offer holds. */
  validUntil?: string | null;
  /** A deposit invoice (or its credit note), a balance invoice, or neither. */
  orderRole?: "deposit" | "balance" | null | undefined;
  /** The order it belongs to: the customer's reference and its date. */
  order?: { reference: string | null; date: string } | null | undefined;
  /** A balance invoice: the whole order, and each deposit it deducts (net of its credit notes). */
  orderTotals?: { htCents: number; vatCents: number; ttcCents: number } | null | undefined;
  deductions?: { number: string; issueDate: string; htCents: number; vatCents: number; ttcCents: number }[] | undefined;
}

/** "FACTURE D'ACOMPTE", "FACTURE DE SOLDE", "AVOIR"… the heading of the document. */
function heading(m: InvoicePdfModel): string {
  if (m.draft) return "BROUILLON";
  if (m.type === "credit_note") return m.orderRole === "deposit" ? "AVOIR SUR ACOMPTE" : "AVOIR";
  if (m.type === "quote") return "DEVIS";
  return m.orderRole === "deposit" ? "FACTURE D'ACOMPTE" : m.orderRole === "balance" ? "FACTURE DE SOLDE" : "FACTURE";
}

const WORDS: Record<InvoicePdfModel["type"], { word: string; draft: string; heading: string }> = {
  invoice: { word: "Facture", draft: "Brouillon de facture", heading: "FACTURE" },
  credit_note: { word: "Avoir", draft: "Brouillon d'avoir", heading: "AVOIR" },
  quote: { word: "Devis", draft: "Brouillon de devis", heading: "DEVIS" },
};

/** "Facture F2026-00001", "Avoir AV2026-00001", "Devis D2026-00001", "Brouillon de facture". */
export function invoiceTitle(m: Pick<InvoicePdfModel, "type" | "draft" | "number">): string {
  return m.draft ? WORDS[m.type].draft : `${WORDS[m.type].word} ${m.number}`;
}

/** What a signed quote says: the customer's agreement, dated, signed, with the handwritten words. */
export const QUOTE_AGREEMENT_MENTION = "Bon pour accord — date, signature et cachet du client, précédés de la mention manuscrite « Bon pour accord » :";

/** The file name of an invoice PDF: its number (drafts: "brouillon-<id>"). */
export function invoicePdfFileName(m: Pick<InvoicePdfModel, "number">, id: string): string {
  return `${m.number ?? `brouillon-${id}`}.pdf`;
}

const PAGE = { left: 50, right: 545.28, top: 50, bottom: 841.89 - 70 };
const GREY = "#555555";
const RULE = "#bbbbbb";

// Columns of the lines table: designation wraps, the rest are right-aligned numbers.
const COLS = [
  { key: "designation", title: "Désignation", x: 50, w: 168, align: "left" as const },
  { key: "qty", title: "Qté", x: 220, w: 38, align: "right" as const },
  { key: "measure", title: "Unité", x: 260, w: 44, align: "left" as const },
  { key: "unit", title: "PU HT", x: 306, w: 58, align: "right" as const },
  { key: "discount", title: "Remise", x: 366, w: 52, align: "right" as const },
  { key: "rate", title: "TVA", x: 420, w: 40, align: "right" as const },
  { key: "net", title: "Total HT", x: 462, w: 83.28, align: "right" as const },
];

export interface RenderOptions {
  /** Called with the document before it ends: add pages, attachments or metadata. */
  extend?: (pdf: PdfHandle) => void;
}

export async function renderInvoicePdf(m: InvoicePdfModel, options: RenderOptions = {}): Promise<Buffer> {
  const title = invoiceTitle(m);
  const pdf = createPdf({ title, author: m.seller.name, createdAt: new Date(m.finalAt), bufferPages: true });
  const { doc, t } = pdf;
  const fontSize = 9;
  const lineHeight = 11.5;

  const text = (s: string, x: number, y: number, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(t(s), x, y, { lineBreak: false, ...opts });

  // ---- header: logo and seller (left), document (right) ----
  const sellerTop = drawDocumentLogo(pdf, m.logo);
  doc.font(pdf.bold).fontSize(13).fillColor("black");
  text(m.seller.name, PAGE.left, sellerTop);
  doc.font(pdf.regular).fontSize(fontSize).fillColor(GREY);
  let y = sellerTop + 18;
  const sellerLines = [
    ...formatAddressLines(m.seller.address),
    `SIREN ${formatSiren(m.seller.siren)}`,
    ...(m.seller.vatNumber ? [`N° TVA intracommunautaire ${m.seller.vatNumber}`] : []),
    ...(m.seller.email ? [m.seller.email] : []),
    ...(m.seller.phone ? [m.seller.phone] : []),
  ];
  for (const line of sellerLines) {
    text(line, PAGE.left, y);
    y += lineHeight;
  }
  const sellerBottom = y;

  doc.font(pdf.bold).fontSize(16).fillColor(m.draft ? "#b00020" : "black");
  text(heading(m), 280, PAGE.top, { width: PAGE.right - 280, align: "right" });
  doc.font(pdf.regular).fontSize(fontSize).fillColor("black");
  y = PAGE.top + 22;
  const docLines: [string, string][] = [];
  if (m.number) docLines.push([`${WORDS[m.type].word} n°`, m.number]);
  if (m.issueDate) docLines.push([m.type === "quote" ? "Date du devis" : "Date d'émission", formatDateFr(m.issueDate)]);
  if (m.type === "quote" && m.validUntil) docLines.push(["Valable jusqu'au", formatDateFr(m.validUntil)]);
  if (showsSupplyDate(m.deliveryDate, m.issueDate)) docLines.push([supplyDateLabel(m.lines.map((l) => l.kind)), formatDateFr(m.deliveryDate)]);
  if (m.type === "invoice" && m.dueDate) docLines.push(["Date d'échéance", formatDateFr(m.dueDate)]);
  docLines.push(["Code client", m.customer.code]);
  for (const [label, value] of docLines) {
    text(`${label} : `, 280, y, { width: 160, align: "right" });
    doc.font(pdf.bold);
    text(value, 442, y, { width: PAGE.right - 442, align: "right" });
    doc.font(pdf.regular);
    y += lineHeight;
  }
  if (m.draft) {
    doc.fillColor("#b00020");
    text(m.type === "quote" ? "Document provisoire, sans numéro : ce n'est pas un devis." : "Document provisoire, sans numéro : ce n'est pas une facture.", 250, y + 2, { width: PAGE.right - 250, align: "right" });
    doc.fillColor("black");
    y += lineHeight;
  }

  // ---- customer block, and the delivery address beside it when it is another ----
  y = Math.max(sellerBottom, y) + 14;
  const boxX = 300;
  let deliveryBottom = y;
  if (m.deliveryAddress) {
    let dy = y;
    doc.font(pdf.bold).fontSize(8).fillColor(GREY);
    text("ADRESSE DE LIVRAISON", PAGE.left, dy);
    dy += 12;
    doc.font(pdf.regular).fontSize(fontSize).fillColor("black");
    for (const line of formatAddressLines(m.deliveryAddress)) {
      text(line, PAGE.left, dy, { width: boxX - PAGE.left - 20 });
      dy += lineHeight;
    }
    deliveryBottom = dy + 8;
  }
  doc.font(pdf.bold).fontSize(8).fillColor(GREY);
  text(m.type === "quote" ? "CLIENT" : "FACTURÉ À", boxX, y);
  doc.font(pdf.bold).fontSize(10).fillColor("black");
  y += 12;
  text(m.customer.name, boxX, y, { width: PAGE.right - boxX });
  y += 13;
  doc.font(pdf.regular).fontSize(fontSize);
  const customerLines = [
    ...formatAddressLines(m.customer.address),
    ...(m.customer.siren ? [`SIREN ${formatSiren(m.customer.siren)}`] : []),
    ...(m.customer.vatNumber ? [`N° TVA intracommunautaire ${m.customer.vatNumber}`] : []),
  ];
  for (const line of customerLines) {
    text(line, boxX, y, { width: PAGE.right - boxX });
    y += lineHeight;
  }
  y = Math.max(y + 8, deliveryBottom);

  if (m.corrects) {
    doc.font(pdf.bold).fontSize(fontSize);
    text(`Avoir rectifiant la facture n° ${m.corrects.number} du ${formatDateFr(m.corrects.issueDate)}`, PAGE.left, y);
    doc.font(pdf.regular);
    y += lineHeight + 4;
  }
  if (m.order) {
    const reference = m.order.reference ? ` ${m.order.reference}` : "";
    text(`${m.orderRole === "balance" ? "Solde de la commande" : "Acompte sur la commande"}${reference} du ${formatDateFr(m.order.date)}`, PAGE.left, y);
    y += lineHeight;
  }
  text(`Nature des opérations : ${operationNature(m.lines.map((l) => l.kind))}`, PAGE.left, y);
  y += lineHeight;
  if (m.servicePeriod) {
    text(servicePeriodMention(m.servicePeriod), PAGE.left, y);
    y += lineHeight;
  }
  y += 8;

  // ---- lines ----
  const tableHeader = (at: number): number => {
    doc.rect(PAGE.left, at - 3, PAGE.right - PAGE.left, 16).fill("#eeeeee");
    doc.fillColor("black").font(pdf.bold).fontSize(8.5);
    for (const col of COLS) text(col.title, col.x + 2, at + 1, { width: col.w - 4, align: col.align });
    doc.font(pdf.regular).fontSize(fontSize);
    return at + 18;
  };
  const newPage = (): number => {
    doc.addPage();
    return PAGE.top;
  };
  y = tableHeader(y);
  const designation = COLS[0]!;
  for (const line of m.lines) {
    doc.font(pdf.regular).fontSize(fontSize);
    const wrapped = wrapText(doc, t(line.description), designation.w - 4);
    const values: Record<string, string> = {
      qty: formatQuantityFr(line.quantity),
      measure: unitLabel(line.unit, line.quantity),
      unit: formatEuros(line.unitPriceCents),
      discount: line.discountCents ? `-${formatEuros(line.discountCents)}` : "",
      rate: formatVatRate(line.vatRateBp),
      net: formatEuros(line.netCents),
    };
    wrapped.forEach((part, i) => {
      if (y + lineHeight > PAGE.bottom) y = tableHeader(newPage());
      text(part, designation.x + 2, y, { width: designation.w - 4 });
      if (i === 0) for (const col of COLS.slice(1)) text(values[col.key]!, col.x + 2, y, { width: col.w - 4, align: col.align });
      y += lineHeight;
    });
    doc.moveTo(PAGE.left, y + 1).lineTo(PAGE.right, y + 1).lineWidth(0.5).strokeColor(RULE).stroke();
    y += 5;
  }

  // ---- totals: per rate, then HT / TVA / TTC, kept together ----
  const exemption = vatExemptionMention(m.vatExemption);
  const deductions = m.deductions ?? [];
  const orderRows = m.orderTotals ? 3 + 2 * deductions.length : 0;
  const totalsHeight = 16 + m.byRate.length * lineHeight + 4 * 14 + (exemption ? lineHeight : 0) + orderRows * 13;
  if (y + totalsHeight > PAGE.bottom) y = newPage();
  y += 8;
  const rx = 300;
  // a balance invoice: the whole order, each deposit deducted, then what is left rate by rate
  if (m.orderTotals) {
    const row = (label: string, value: string, bold = false) => {
      doc.font(bold ? pdf.bold : pdf.regular).fontSize(fontSize);
      text(label, rx, y, { width: 170 });
      text(value, rx + 170, y, { width: PAGE.right - rx - 170, align: "right" });
      y += 13;
    };
    row("Total de la commande HT", formatEuros(m.orderTotals.htCents));
    row("Total de la commande TTC", formatEuros(m.orderTotals.ttcCents), true);
    for (const d of deductions) {
      row(`Acompte ${d.number} du ${formatDateFr(d.issueDate)}`, `-${formatEuros(d.ttcCents)}`);
      doc.fillColor(GREY);
      row(`  dont HT ${formatEuros(d.htCents)}, TVA ${formatEuros(d.vatCents)}`, "");
      doc.fillColor("black");
    }
    doc.moveTo(rx, y + 2).lineTo(PAGE.right, y + 2).lineWidth(0.5).strokeColor(RULE).stroke();
    y += 8;
  }
  doc.font(pdf.bold).fontSize(8.5);
  text("Taux de TVA", rx, y, { width: 70 });
  text("Base HT", rx + 70, y, { width: 85, align: "right" });
  text("Montant TVA", rx + 155, y, { width: PAGE.right - rx - 155, align: "right" });
  y += 13;
  doc.font(pdf.regular).fontSize(fontSize);
  for (const r of m.byRate) {
    text(formatVatRate(r.vatRateBp), rx, y, { width: 70 });
    text(formatEuros(r.baseCents), rx + 70, y, { width: 85, align: "right" });
    text(formatEuros(r.vatCents), rx + 155, y, { width: PAGE.right - rx - 155, align: "right" });
    y += lineHeight;
  }
  doc.moveTo(rx, y + 2).lineTo(PAGE.right, y + 2).lineWidth(0.5).strokeColor(RULE).stroke();
  y += 8;
  const totalRow = (label: string, cents: number, bold = false) => {
    doc.font(bold ? pdf.bold : pdf.regular).fontSize(bold ? 10.5 : fontSize);
    text(label, rx, y, { width: 150 });
    text(formatEuros(cents), rx + 150, y, { width: PAGE.right - rx - 150, align: "right" });
    y += bold ? 15 : 13;
  };
  const balance = m.orderTotals ? " du solde" : "";
  totalRow(`Total HT${balance}`, m.htCents);
  totalRow(`Total TVA${balance}`, m.vatCents);
  totalRow(m.type === "credit_note" ? "Total TTC de l'avoir" : m.orderTotals ? "Solde TTC à payer" : "Total TTC", m.ttcCents, true);
  if (exemption) {
    doc.font(pdf.bold).fontSize(fontSize);
    text(exemption, rx, y, { width: PAGE.right - rx });
    y += lineHeight;
  }

  // ---- conditions and legal mentions (flowing text, pdfkit breaks pages) ----
  doc.font(pdf.regular).fontSize(8.5).fillColor("black");
  const mentions: string[] = [];
  if (m.type === "invoice" && m.dueDate) mentions.push(`Échéance : ${formatDateFr(m.dueDate)} — montant à régler : ${formatEuros(m.ttcCents)}`);
  if (m.type === "credit_note") mentions.push("Cet avoir vient en déduction des sommes dues au titre de la facture qu'il rectifie.");
  if (m.type === "quote" && m.validUntil) {
    mentions.push(`Devis gratuit, valable jusqu'au ${formatDateFr(m.validUntil)}. Les prix sont fermes pendant cette durée ; passé cette date, un nouveau devis sera établi.`);
  }
  // A credit note asks for no payment: no bank details, no penalties or indemnity for paying late.
  if (m.type === "invoice" && m.seller.iban) mentions.push(`Règlement par virement : IBAN ${m.seller.iban}${m.seller.bic ? ` — BIC ${m.seller.bic}` : ""}`);
  if (m.seller.vatOnDebits && m.type !== "quote") mentions.push(VAT_ON_DEBITS_MENTION);
  if (m.type === "invoice") mentions.push(latePenaltyMention(m.seller.latePenaltyRate), RECOVERY_INDEMNITY_MENTION, earlyPaymentMention(m.seller.earlyPaymentDiscount));
  y += 14;
  if (y > PAGE.bottom - 40) y = newPage();
  doc.text("", PAGE.left, y);
  for (const mention of mentions) doc.text(t(mention), PAGE.left, doc.y, { width: PAGE.right - PAGE.left });
  if (m.notes) {
    doc.moveDown(0.6);
    doc.font(pdf.bold).text(t("Notes"), { width: PAGE.right - PAGE.left });
    doc.font(pdf.regular);
    writeFlowing(doc, t(m.notes), PAGE.right - PAGE.left);
  }
  if (m.type === "quote" && !m.draft) {
    // room for the customer's handwritten agreement, on the page where it begins
    if (doc.y + 110 > PAGE.bottom) doc.addPage();
    doc.moveDown(1.2);
    const boxTop = doc.y;
    doc.font(pdf.bold).fontSize(9).text(t(QUOTE_AGREEMENT_MENTION), PAGE.left + 260, boxTop, { width: PAGE.right - PAGE.left - 260 });
    doc.rect(PAGE.left + 260, boxTop - 6, PAGE.right - PAGE.left - 260, 100).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font(pdf.regular).text("", PAGE.left, boxTop + 100);
  }

  // ---- every page: the seller's legal identity and the page number ----
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.font(pdf.regular).fontSize(7.5).fillColor(GREY);
    // a long identity (RCS and RM, APE code…) takes a second line, above
    const legal = wrapText(doc, t(sellerLegalLine(m.seller)), PAGE.right - PAGE.left);
    legal.forEach((line, k) => writeFixed(doc, line, PAGE.left, 841.89 - 45 - (legal.length - 1 - k) * 9, { width: PAGE.right - PAGE.left, align: "center" }));
    writeFixed(doc, t(`${title} — page ${i + 1} / ${range.count}`), PAGE.left, 841.89 - 33, { width: PAGE.right - PAGE.left, align: "center" });
  }
  doc.fillColor("black");
  options.extend?.(pdf);
  return pdfBytes(doc);
}
