/**
 * OASIS UBL 2.1 Invoice / CreditNote with the EN 16931 semantics (same data as the CII: notes,
 * VAT breakdown, exemption codes, the corrected invoice of a credit note). Element order follows
 * the UBL 2.1 schemas. Notes carry their EN 16931 subject code the usual way: `#PMD#text`.
 */
import type { Address } from "../address.js";
import { lineGrossCents, lineNetCents } from "../money.js";
import { buyerEndpoint, ciiNotes } from "./cii.js";
import {
  billingFramework,
  deductionAllowances,
  lineTotalCents,
  compactIban,
  decimalAmount,
  decimalRate,
  documentTypeCode,
  GUIDELINE_ID,
  isIntraEu,
  itemName,
  sellerLegalMentions,
  supplyDate,
  taxPointDateCode,
  vatCategory,
  type EInvoiceDocument,
  type EInvoiceLine,
} from "./model.js";
import { unitCode } from "../units.js";
import { el, leaf, serializeXml, type XmlElement } from "./xml.js";

const CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
const ROOT_NS = {
  invoice: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
  credit_note: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
} as const;
const CURRENCY = "EUR";

const money = (name: string, cents: number) => leaf(name, decimalAmount(cents), { currencyID: CURRENCY });

function postalAddress(name: string, a: Address): XmlElement {
  return el(
    name,
    null,
    leaf("cbc:StreetName", a.line1),
    leaf("cbc:AdditionalStreetName", a.line2),
    leaf("cbc:CityName", a.city),
    leaf("cbc:PostalZone", a.postalCode),
    el("cac:Country", null, leaf("cbc:IdentificationCode", a.country)),
  );
}

const vatScheme = () => el("cac:TaxScheme", null, leaf("cbc:ID", "VAT"));

function supplier(doc: EInvoiceDocument): XmlElement {
  const s = doc.seller;
  return el(
    "cac:AccountingSupplierParty",
    null,
    el(
      "cac:Party",
      null,
      leaf("cbc:EndpointID", s.siren, { schemeID: "0225" }),
      postalAddress("cac:PostalAddress", s.address),
      s.vatNumber
        ? el("cac:PartyTaxScheme", null, leaf("cbc:CompanyID", s.vatNumber), vatScheme())
        : el("cac:PartyTaxScheme", null, leaf("cbc:CompanyID", s.siren), el("cac:TaxScheme", null, leaf("cbc:ID", "FC"))),
      el(
        "cac:PartyLegalEntity",
        null,
        leaf("cbc:RegistrationName", s.name),
        leaf("cbc:CompanyID", s.siren, { schemeID: "0002" }),
        leaf("cbc:CompanyLegalForm", sellerLegalMentions(s)),
      ),
      el("cac:Contact", null, leaf("cbc:Telephone", s.phone), leaf("cbc:ElectronicMail", s.email)),
    ),
  );
}

function customer(doc: EInvoiceDocument): XmlElement {
  const b = doc.buyer;
  const endpoint = buyerEndpoint(b);
  return el(
    "cac:AccountingCustomerParty",
    null,
    el(
      "cac:Party",
      null,
      endpoint ? leaf("cbc:EndpointID", endpoint.id, { schemeID: endpoint.scheme }) : null,
      el("cac:PartyIdentification", null, leaf("cbc:ID", b.code)),
      postalAddress("cac:PostalAddress", b.address),
      b.vatNumber ? el("cac:PartyTaxScheme", null, leaf("cbc:CompanyID", b.vatNumber), vatScheme()) : null,
      el("cac:PartyLegalEntity", null, leaf("cbc:RegistrationName", b.name), b.siren ? leaf("cbc:CompanyID", b.siren, { schemeID: "0002" }) : null),
      el("cac:Contact", null, leaf("cbc:ElectronicMail", b.email)),
    ),
  );
}

function delivery(doc: EInvoiceDocument): XmlElement {
  const shipTo = doc.deliveryAddress ?? (isIntraEu(doc) ? doc.buyer.address : null);
  return el(
    "cac:Delivery",
    null,
    leaf("cbc:ActualDeliveryDate", supplyDate(doc)),
    shipTo ? el("cac:DeliveryLocation", null, postalAddress("cac:Address", shipTo)) : null,
    shipTo ? el("cac:DeliveryParty", null, el("cac:PartyName", null, leaf("cbc:Name", doc.buyer.name))) : null,
  );
}

/** BG-14 and BT-8: the period of the services and, under the option for débits, the tax point code. */
function invoicePeriod(doc: EInvoiceDocument): XmlElement | null {
  const code = taxPointDateCode(doc, "ubl");
  if (!doc.servicePeriod && !code) return null;
  return el(
    "cac:InvoicePeriod",
    null,
    leaf("cbc:StartDate", doc.servicePeriod?.from),
    leaf("cbc:EndDate", doc.servicePeriod?.to),
    leaf("cbc:DescriptionCode", code),
  );
}

function taxCategory(name: string, rateBp: number, doc: EInvoiceDocument, withReason: boolean): XmlElement {
  const c = vatCategory(rateBp, doc.vatExemption);
  return el(
    name,
    null,
    leaf("cbc:ID", c.code),
    leaf("cbc:Percent", decimalRate(rateBp)),
    withReason ? leaf("cbc:TaxExemptionReasonCode", c.exemptionCode) : null,
    withReason ? leaf("cbc:TaxExemptionReason", c.exemptionReason) : null,
    vatScheme(),
  );
}

function line(doc: EInvoiceDocument, l: EInvoiceLine): XmlElement {
  const credit = doc.type === "credit_note";
  const name = itemName(l.description);
  const full = l.description.trim();
  return el(
    credit ? "cac:CreditNoteLine" : "cac:InvoiceLine",
    null,
    leaf("cbc:ID", l.position),
    leaf(credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", l.quantity, { unitCode: unitCode(l.unit) }),
    money("cbc:LineExtensionAmount", lineNetCents(l.quantity, l.unitPriceCents, l.discountCents)),
    l.discountCents > 0
      ? el(
          "cac:AllowanceCharge",
          null,
          leaf("cbc:ChargeIndicator", "false"),
          leaf("cbc:AllowanceChargeReasonCode", "95"),
          leaf("cbc:AllowanceChargeReason", "Remise"),
          money("cbc:Amount", l.discountCents),
          money("cbc:BaseAmount", lineGrossCents(l.quantity, l.unitPriceCents)),
        )
      : null,
    el(
      "cac:Item",
      null,
      full !== name ? leaf("cbc:Description", full) : null,
      leaf("cbc:Name", name),
      taxCategory("cac:ClassifiedTaxCategory", l.vatRateBp, doc, false),
    ),
    el("cac:Price", null, money("cbc:PriceAmount", l.unitPriceCents)),
  );
}

/** The UBL 2.1 tree of an issued document: `Invoice` (380) or `CreditNote` (381). */
export function ublTree(doc: EInvoiceDocument): XmlElement {
  const credit = doc.type === "credit_note";
  const t = doc.totals;
  const iban = credit ? null : compactIban(doc.seller.iban);
  const paymentMeans =
    iban || (credit && doc.dueDate)
      ? el(
          "cac:PaymentMeans",
          null,
          leaf("cbc:PaymentMeansCode", iban ? "58" : "1"),
          // A UBL 2.1 credit note has no DueDate element: EN 16931 puts BT-9 here.
          credit ? leaf("cbc:PaymentDueDate", doc.dueDate) : null,
          leaf("cbc:PaymentID", doc.number),
          iban
            ? el(
                "cac:PayeeFinancialAccount",
                null,
                leaf("cbc:ID", iban),
                // BT-86, the IBAN's bank
                doc.seller.bic ? el("cac:FinancialInstitutionBranch", null, leaf("cbc:ID", doc.seller.bic)) : null,
              )
            : null,
        )
      : null;
  return el(
    credit ? "CreditNote" : "Invoice",
    { xmlns: ROOT_NS[doc.type], "xmlns:cac": CAC, "xmlns:cbc": CBC },
    leaf("cbc:CustomizationID", GUIDELINE_ID.EN16931),
    leaf("cbc:ProfileID", billingFramework(doc.lines, (doc.deductions ?? []).length > 0)),
    leaf("cbc:ID", doc.number),
    leaf("cbc:IssueDate", doc.issueDate),
    credit ? null : leaf("cbc:DueDate", doc.dueDate),
    leaf(credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", documentTypeCode(doc.type, doc.prepayment)),
    ciiNotes(doc).map((n) => leaf("cbc:Note", `#${n.subjectCode}#${n.content}`)),
    leaf("cbc:DocumentCurrencyCode", CURRENCY),
    invoicePeriod(doc),
    doc.corrects
      ? el(
          "cac:BillingReference",
          null,
          el("cac:InvoiceDocumentReference", null, leaf("cbc:ID", doc.corrects.number), leaf("cbc:IssueDate", doc.corrects.issueDate)),
        )
      : null,
    supplier(doc),
    customer(doc),
    delivery(doc),
    paymentMeans,
    // BG-20: the deposits a balance invoice deducts (see `deductionAllowances`)
    deductionAllowances(doc).map((a) =>
      el(
        "cac:AllowanceCharge",
        null,
        leaf("cbc:ChargeIndicator", "false"),
        leaf("cbc:AllowanceChargeReason", a.reason),
        money("cbc:Amount", a.amountCents),
        taxCategory("cac:TaxCategory", a.vatRateBp, doc, false),
      ),
    ),
    el(
      "cac:TaxTotal",
      null,
      money("cbc:TaxAmount", t.vatCents),
      t.byRate.map((r) =>
        el("cac:TaxSubtotal", null, money("cbc:TaxableAmount", r.baseCents), money("cbc:TaxAmount", r.vatCents), taxCategory("cac:TaxCategory", r.vatRateBp, doc, true)),
      ),
    ),
    el(
      "cac:LegalMonetaryTotal",
      null,
      money("cbc:LineExtensionAmount", lineTotalCents(doc)),
      money("cbc:TaxExclusiveAmount", t.htCents),
      deductionAllowances(doc).length > 0 ? money("cbc:AllowanceTotalAmount", lineTotalCents(doc) - t.htCents) : null,
      money("cbc:TaxInclusiveAmount", t.ttcCents),
      money("cbc:PayableAmount", t.ttcCents),
    ),
    doc.lines.map((l) => line(doc, l)),
  );
}

/** The UBL 2.1 XML of an issued document, as UTF-8 text. */
export function buildUbl(doc: EInvoiceDocument): string {
  return serializeXml(ublTree(doc));
}
