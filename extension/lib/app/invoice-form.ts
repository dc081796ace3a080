/**
 * The invoice editor's model: the fields as the owner typed them, read into priced lines that go
 * through the shared rules (`lineNetCents`, `invoiceTotals`) — the very functions the API issues
 * with — so the totals on screen are, to the cent, those of the invoice that will be issued.
 */
import type { Invoice, InvoiceDraftInput, InvoiceDraftPatch, InvoiceLineInput, LineUnit, Product, ProductKind, Quote, QuoteDraftInput, QuoteDraftPatch, VatExemptionCode } from "@passerelle/shared";
import { isIsoDate } from "@passerelle/shared/dates";
import { invoiceTotals, type InvoiceTotals, type PricedLine } from "@passerelle/shared/totals";
import { lineGrossCents, lineNetCents, MAX_CENTS } from "@passerelle/shared/money";
import { t } from "../i18n";
import { eurosInput, parseEuros, parseQuantityInput, quantityInput } from "./amounts";

export interface LineForm {
  /** Stable identity of the row on screen (focus, errors), never sent. */
  key: string;
  productId: string | null;
  description: string;
  quantity: string;
  unitPrice: string;
  discount: string;
  vatRateBp: number;
  /** Goods or services: the product's by default, the owner's choice on a free-text line. */
  kind: ProductKind;
  /** What the quantity counts, "" for a plain count (a form kept from before units has none). */
  unit?: LineUnit | "";
}

/**
 * The date of the sale or service when it is not the issue date, the period of the services, and
 * where the goods go or the services are performed when it is not the customer's address (the
 * "Livraison" part of the editor; accounting.md §2).
 */
export interface DeliveryForm {
  date: string;
  periodFrom: string;
  periodTo: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface DraftForm {
  customerId: string;
  issueDate: string;
  dueDate: string;
  notes: string;
  vatExemption: VatExemptionCode | "";
  lines: LineForm[];
  delivery: DeliveryForm;
}

export const emptyDelivery = (): DeliveryForm => ({ date: "", periodFrom: "", periodTo: "", line1: "", line2: "", postalCode: "", city: "", country: "FR" });

/** A form kept from before the delivery part existed gets an empty one. */
export function withDelivery(form: DraftForm): DraftForm {
  return form.delivery ? form : { ...form, delivery: emptyDelivery() };
}

/** Whether the address part was started (the country alone, prefilled, does not count). */
export function hasDeliveryAddress(d: DeliveryForm): boolean {
  return [d.line1, d.line2, d.postalCode, d.city].some((v) => v.trim() !== "");
}

export function hasDelivery(d: DeliveryForm): boolean {
  return Boolean(d.date || d.periodFrom || d.periodTo) || hasDeliveryAddress(d);
}

/** The error keys of the delivery part: the API's own paths. */
export const DELIVERY_FIELDS = {
  date: "deliveryDate",
  periodFrom: "servicePeriod.from",
  periodTo: "servicePeriod.to",
  line1: "deliveryAddress.line1",
  line2: "deliveryAddress.line2",
  postalCode: "deliveryAddress.postalCode",
  city: "deliveryAddress.city",
  country: "deliveryAddress.country",
} as const satisfies Record<keyof DeliveryForm, string>;

export const DEFAULT_VAT_RATE_BP = 2000;

let keys = 0;
export function newLineKey(): string {
  keys += 1;
  return `l${Date.now().toString(36)}${keys.toString(36)}`;
}

export function emptyLine(vatRateBp = DEFAULT_VAT_RATE_BP): LineForm {
  return { key: newLineKey(), productId: null, description: "", quantity: "1", unitPrice: "", discount: "", vatRateBp, kind: "services", unit: "" };
}

export function emptyDraft(customerId = ""): DraftForm {
  return { customerId, issueDate: "", dueDate: "", notes: "", vatExemption: "", lines: [emptyLine()], delivery: emptyDelivery() };
}

/** A line filled from a product: the owner may still change any field. */
export function lineFromProduct(line: LineForm, product: Product): LineForm {
  return {
    ...line,
    productId: product.id,
    description: product.name,
    unitPrice: eurosInput(product.unitPriceCents),
    vatRateBp: product.vatRateBp,
    kind: product.kind,
  };
}

/** A draft as the API has it, back into the editor's fields. */
export function formFromInvoice(invoice: Invoice): DraftForm {
  return {
    customerId: invoice.customer.id,
    issueDate: invoice.issueDate ?? "",
    dueDate: invoice.dueDate ?? "",
    notes: invoice.notes ?? "",
    vatExemption: invoice.vatExemption ?? "",
    lines: invoice.lines.map((l) => ({
      key: newLineKey(),
      productId: l.productId,
      description: l.description,
      quantity: quantityInput(l.quantity),
      unitPrice: eurosInput(l.unitPriceCents),
      discount: l.discountCents > 0 ? eurosInput(l.discountCents) : "",
      vatRateBp: l.vatRateBp,
      kind: l.kind,
      unit: l.unit ?? "",
    })),
    delivery: {
      date: invoice.deliveryDate ?? "",
      periodFrom: invoice.servicePeriod?.from ?? "",
      periodTo: invoice.servicePeriod?.to ?? "",
      line1: invoice.deliveryAddress?.line1 ?? "",
      line2: invoice.deliveryAddress?.line2 ?? "",
      postalCode: invoice.deliveryAddress?.postalCode ?? "",
      city: invoice.deliveryAddress?.city ?? "",
      country: invoice.deliveryAddress?.country ?? "FR",
    },
  };
}

/**
 * A draft quote in the same form: its validity date where an invoice has its due date, no delivery
 * part (a quote states none).
 */
export function formFromQuote(quote: Quote): DraftForm {
  return formFromInvoice({ ...quote, dueDate: quote.validUntil, deliveryDate: null, servicePeriod: null, deliveryAddress: null } as unknown as Invoice);
}

/** The checked form as a quote's draft: the due date field holds the validity date. */
export function quoteInput(input: InvoiceDraftInput): QuoteDraftInput {
  return {
    customerId: input.customerId,
    ...(input.issueDate ? { issueDate: input.issueDate } : {}),
    ...(input.dueDate ? { validUntil: input.dueDate } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
    ...(input.vatExemption ? { vatExemption: input.vatExemption } : {}),
    lines: input.lines,
  };
}

/** A saved draft quote's changes: the form sent whole, an emptied field as null. */
export function quotePatch(input: QuoteDraftInput): QuoteDraftPatch {
  return { ...input, issueDate: input.issueDate ?? null, validUntil: input.validUntil ?? null, notes: input.notes ?? null, vatExemption: input.vatExemption ?? null };
}

/** A line nobody started: ignored, neither counted nor sent. */
export function isBlankLine(line: LineForm): boolean {
  return line.productId === null && line.description.trim() === "" && line.unitPrice.trim() === "" && line.discount.trim() === "";
}

export type LineField = "description" | "quantity" | "unitPrice" | "discount" | "vatRateBp" | "productId" | "kind" | "unit";

export interface ReadLine {
  key: string;
  blank: boolean;
  /** The line as the shared rules take it; null while a field cannot be read. */
  priced: (PricedLine & { discountCents: number }) | null;
  netCents: number | null;
  /** What is wrong with a field as typed (shown at once), or missing (shown when saving). */
  errors: Partial<Record<LineField, string>>;
  missing: Partial<Record<LineField, string>>;
}

export function readLine(line: LineForm): ReadLine {
  const blank = isBlankLine(line);
  const errors: ReadLine["errors"] = {};
  const missing: ReadLine["missing"] = {};
  const quantity = parseQuantityInput(line.quantity);
  if (quantity === null) (line.quantity.trim() ? errors : missing).quantity = t(line.quantity.trim() ? "appQuantityInvalid" : "appRuleRequired");
  const unitPriceCents = line.unitPrice.trim() ? parseEuros(line.unitPrice) : null;
  if (line.unitPrice.trim() && unitPriceCents === null) errors.unitPrice = t("appAmountInvalid");
  if (!line.unitPrice.trim()) missing.unitPrice = t("appRuleRequired");
  const discountCents = line.discount.trim() ? parseEuros(line.discount) : 0;
  if (discountCents === null) errors.discount = t("appAmountInvalid");
  if (!line.description.trim()) missing.description = t("appRuleRequired");

  let priced: ReadLine["priced"] = null;
  let netCents: number | null = null;
  if (quantity !== null && unitPriceCents !== null && discountCents !== null) {
    if (lineGrossCents(quantity, unitPriceCents) > MAX_CENTS) {
      errors.quantity = t("appLineTooBig");
    } else if (discountCents > lineGrossCents(quantity, unitPriceCents)) {
      errors.discount = t("appRuleDiscountTooBig");
    } else {
      priced = { quantity, unitPriceCents, vatRateBp: line.vatRateBp, discountCents };
      netCents = lineNetCents(quantity, unitPriceCents, discountCents);
    }
  }
  return { key: line.key, blank, priced, netCents, errors, missing };
}

export interface ReadDraft {
  lines: ReadLine[];
  /** Totals of the lines that can be read, by the shared rule. */
  totals: InvoiceTotals;
  /** Lines started but not yet readable: not in the totals. */
  incomplete: number;
  hasZeroRate: boolean;
}

export function readDraft(form: DraftForm): ReadDraft {
  const lines = form.lines.map(readLine);
  const counted = lines.filter((l) => !l.blank && l.priced !== null);
  return {
    lines,
    totals: invoiceTotals(counted.map((l) => l.priced!)),
    incomplete: lines.filter((l) => !l.blank && l.priced === null).length,
    hasZeroRate: form.lines.some((l, i) => !lines[i]!.blank && l.vatRateBp === 0),
  };
}

export type DraftCheck =
  | { ok: true; input: InvoiceDraftInput & { lines: InvoiceLineInput[] }; lineKeys: string[] }
  | { ok: false; fields: Record<string, string> };

/** The error key of one field of one line of the editor. */
export const lineFieldKey = (lineKey: string, field: LineField) => `line:${lineKey}:${field}`;

/** What will be sent, or every field that stops it (named as the editor names them). */
export function draftInput(form: DraftForm, options: { quote?: boolean } = {}): DraftCheck {
  const fields: Record<string, string> = {};
  if (!form.customerId) fields.customerId = t("appChooseCustomer");
  const read = readDraft(form);
  const lines: InvoiceLineInput[] = [];
  const lineKeys: string[] = [];
  form.lines.forEach((line, i) => {
    const r = read.lines[i]!;
    if (r.blank) return;
    for (const [field, message] of Object.entries({ ...r.missing, ...r.errors })) fields[lineFieldKey(line.key, field as LineField)] = message;
    if (!r.priced || !line.description.trim()) return;
    lines.push({
      ...(line.productId ? { productId: line.productId } : {}),
      description: line.description.trim(),
      quantity: r.priced.quantity,
      unitPriceCents: r.priced.unitPriceCents,
      vatRateBp: line.vatRateBp,
      ...(r.priced.discountCents > 0 ? { discountCents: r.priced.discountCents } : {}),
      kind: line.kind,
      ...(line.unit ? { unit: line.unit } : {}),
    });
    lineKeys.push(line.key);
  });
  if (read.lines.every((l) => l.blank)) fields.lines = t("appRuleNeedsLine");
  if (form.issueDate && form.dueDate && form.dueDate < form.issueDate) fields.dueDate = t(options.quote ? "appRuleValidAfterIssue" : "appRuleDueAfterIssue");
  const delivery = deliveryInput(form.delivery ?? emptyDelivery(), fields);
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return {
    ok: true,
    lineKeys,
    input: {
      customerId: form.customerId,
      ...(form.issueDate ? { issueDate: form.issueDate } : {}),
      ...(form.dueDate ? { dueDate: form.dueDate } : {}),
      ...(form.notes.trim() ? { notes: form.notes.trim() } : {}),
      ...(form.vatExemption && read.hasZeroRate ? { vatExemption: form.vatExemption } : {}),
      ...delivery,
      lines,
    },
  };
}

/** A date typed in a date field: empty, or a real date (2000–2099, as e-invoices carry them). */
function dateProblem(value: string): string | null {
  if (!value) return null;
  if (!isIsoDate(value)) return t("appRuleDate");
  return value >= "2000-01-01" && value <= "2099-12-31" ? null : t("appRuleDateRange");
}

/** The delivery part as the API takes it; what stops it goes into `fields` under the API's paths. */
function deliveryInput(d: DeliveryForm, fields: Record<string, string>): Pick<InvoiceDraftInput, "deliveryDate" | "servicePeriod" | "deliveryAddress"> {
  const out: Pick<InvoiceDraftInput, "deliveryDate" | "servicePeriod" | "deliveryAddress"> = {};
  const date = dateProblem(d.date);
  if (date) fields[DELIVERY_FIELDS.date] = date;
  else if (d.date) out.deliveryDate = d.date;

  const from = dateProblem(d.periodFrom);
  const to = dateProblem(d.periodTo);
  if (from) fields[DELIVERY_FIELDS.periodFrom] = from;
  if (to) fields[DELIVERY_FIELDS.periodTo] = to;
  if (!from && !to && (d.periodFrom || d.periodTo)) {
    if (!d.periodFrom) fields[DELIVERY_FIELDS.periodFrom] = t("appRulePeriodBoth");
    else if (!d.periodTo) fields[DELIVERY_FIELDS.periodTo] = t("appRulePeriodBoth");
    else if (d.periodTo < d.periodFrom) fields[DELIVERY_FIELDS.periodTo] = t("appRulePeriodOrder");
    else out.servicePeriod = { from: d.periodFrom, to: d.periodTo };
  }

  if (hasDeliveryAddress(d)) {
    const missing = (["line1", "postalCode", "city"] as const).filter((k) => !d[k].trim());
    for (const k of missing) fields[DELIVERY_FIELDS[k]] = t("appRuleDeliveryPart");
    const country = d.country.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) fields[DELIVERY_FIELDS.country] = t("appCountryCode");
    else if (missing.length === 0) {
      out.deliveryAddress = {
        line1: d.line1.trim(),
        ...(d.line2.trim() ? { line2: d.line2.trim() } : {}),
        postalCode: d.postalCode.trim(),
        city: d.city.trim(),
        country,
      };
    }
  }
  return out;
}

/** A saved draft's changes: the form is sent whole, an emptied field as null (cleared). */
export function draftPatch(input: InvoiceDraftInput): InvoiceDraftPatch {
  return {
    ...input,
    issueDate: input.issueDate ?? null,
    dueDate: input.dueDate ?? null,
    notes: input.notes ?? null,
    vatExemption: input.vatExemption ?? null,
    deliveryDate: input.deliveryDate ?? null,
    servicePeriod: input.servicePeriod ?? null,
    deliveryAddress: input.deliveryAddress ?? null,
  };
}

const API_LINE_FIELDS: Record<string, LineField> = {
  description: "description",
  quantity: "quantity",
  unitPriceCents: "unitPrice",
  discountCents: "discount",
  vatRateBp: "vatRateBp",
  productId: "productId",
  kind: "kind",
  unit: "unit",
};

/** An API error path ("lines.1.discountCents") → the editor's field key, through the lines that were sent. */
export function draftFieldFor(path: string, lineKeys: readonly string[]): string | null {
  const line = /^lines\.(\d+)\.(\w+)$/.exec(path);
  if (line) {
    const key = lineKeys[Number(line[1])];
    const field = API_LINE_FIELDS[line[2]!];
    return key && field ? lineFieldKey(key, field) : "lines";
  }
  if (path === "date") return "issueDate";
  if (path === "validUntil") return "dueDate";
  if (path === "servicePeriod") return DELIVERY_FIELDS.periodTo;
  if (path === "deliveryAddress") return DELIVERY_FIELDS.line1;
  if ((Object.values(DELIVERY_FIELDS) as string[]).includes(path)) return path;
  if (path.startsWith("deliveryAddress.")) return DELIVERY_FIELDS.line1;
  return ["customerId", "issueDate", "dueDate", "notes", "vatExemption", "lines"].includes(path) ? path : null;
}
