/**
 * UN/CEFACT Cross Industry Invoice (D16B) as Factur-X 1.0 / ZUGFeRD 2 writes it: the EN 16931
 * profile by default, BASIC on request. Element order follows the Factur-X XSD; every value comes
 * from the issued document, so the same invoice always gives the same bytes.
 */
import { earlyPaymentMention, latePenaltyMention, RECOVERY_INDEMNITY_MENTION } from "../mentions.js";
import { lineGrossCents, lineNetCents } from "../money.js";
import type { Address } from "../address.js";
import {
  billingFramework,
  compactIban,
  deductionAllowances,
  lineTotalCents,
  date102,
  decimalAmount,
  decimalRate,
  documentTypeCode,
  GUIDELINE_ID,
  isIntraEu,
  itemName,
  MAX_ENDPOINT_LENGTH,
  sellerLegalMentions,
  supplyDate,
  taxPointDateCode,
  vatCategory,
  type EInvoiceBuyer,
  type EInvoiceDocument,
  type EInvoiceLine,
  type FacturXProfile,
} from "./model.js";
import { unitCode } from "../units.js";
import { el, leaf, serializeXml, type XmlElement } from "./xml.js";

const NS = {
  "xmlns:rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
  "xmlns:qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
  "xmlns:ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
  "xmlns:udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
};

const CURRENCY = "EUR";

export interface CiiOptions {
  profile?: FacturXProfile;
}

/** The invoice notes (BG-1): the owner's free text, then the three mentions the French rules require (BR-FR-05). */
export function ciiNotes(doc: EInvoiceDocument): { content: string; subjectCode: string }[] {
  const notes: { content: string; subjectCode: string }[] = [];
  if (doc.notes?.trim()) notes.push({ content: doc.notes.trim(), subjectCode: "AAI" });
  notes.push({ content: latePenaltyMention(doc.seller.latePenaltyRate), subjectCode: "PMD" });
  notes.push({ content: RECOVERY_INDEMNITY_MENTION, subjectCode: "PMT" });
  notes.push({ content: earlyPaymentMention(doc.seller.earlyPaymentDiscount), subjectCode: "AAB" });
  return notes;
}

function dateTime(name: string, isoDate: string, prefix: "udt" | "qdt" = "udt"): XmlElement {
  return el(name, null, leaf(`${prefix}:DateTimeString`, date102(isoDate), { format: "102" }));
}

function address(a: Address): XmlElement {
  return el(
    "ram:PostalTradeAddress",
    null,
    leaf("ram:PostcodeCode", a.postalCode),
    leaf("ram:LineOne", a.line1),
    leaf("ram:LineTwo", a.line2),
    leaf("ram:CityName", a.city),
    leaf("ram:CountryID", a.country),
  );
}

/** BT-49: the buyer's electronic address — its SIREN on the French directory (scheme 0225), else its e-mail. */
export function buyerEndpoint(buyer: EInvoiceBuyer): { scheme: string; id: string } | null {
  if (buyer.siren) return { scheme: "0225", id: buyer.siren };
  if (buyer.email && buyer.email.length <= MAX_ENDPOINT_LENGTH) return { scheme: "EM", id: buyer.email };
  return null;
}

function line(doc: EInvoiceDocument, l: EInvoiceLine, profile: FacturXProfile): XmlElement {
  const category = vatCategory(l.vatRateBp, doc.vatExemption);
  const name = itemName(l.description);
  const fullText = l.description.trim();
  const net = lineNetCents(l.quantity, l.unitPriceCents, l.discountCents);
  return el(
    "ram:IncludedSupplyChainTradeLineItem",
    null,
    el("ram:AssociatedDocumentLineDocument", null, leaf("ram:LineID", l.position)),
    el(
      "ram:SpecifiedTradeProduct",
      null,
      // BASIC has no item description: the whole text is the name there.
      leaf("ram:Name", profile === "BASIC" ? fullText.replace(/\s*\n\s*/g, " ") : name),
      profile === "EN16931" && fullText !== name ? leaf("ram:Description", fullText) : null,
    ),
    el(
      "ram:SpecifiedLineTradeAgreement",
      null,
      el("ram:NetPriceProductTradePrice", null, leaf("ram:ChargeAmount", decimalAmount(l.unitPriceCents))),
    ),
    el("ram:SpecifiedLineTradeDelivery", null, leaf("ram:BilledQuantity", l.quantity, { unitCode: unitCode(l.unit) })),
    el(
      "ram:SpecifiedLineTradeSettlement",
      null,
      el(
        "ram:ApplicableTradeTax",
        null,
        leaf("ram:TypeCode", "VAT"),
        leaf("ram:CategoryCode", category.code),
        leaf("ram:RateApplicablePercent", decimalRate(l.vatRateBp)),
      ),
      // The line discount (BG-27): line net = quantity × unit price − discount, rounded as accounting.md §1 says.
      l.discountCents > 0
        ? el(
            "ram:SpecifiedTradeAllowanceCharge",
            null,
            el("ram:ChargeIndicator", null, leaf("udt:Indicator", "false")),
            leaf("ram:BasisAmount", decimalAmount(lineGrossCents(l.quantity, l.unitPriceCents))),
            leaf("ram:ActualAmount", decimalAmount(l.discountCents)),
            leaf("ram:ReasonCode", "95"),
            leaf("ram:Reason", "Remise"),
          )
        : null,
      el("ram:SpecifiedTradeSettlementLineMonetarySummation", null, leaf("ram:LineTotalAmount", decimalAmount(net))),
    ),
  );
}

function seller(doc: EInvoiceDocument, profile: FacturXProfile): XmlElement {
  const s = doc.seller;
  return el(
    "ram:SellerTradeParty",
    null,
    leaf("ram:Name", s.name),
    profile === "EN16931" ? leaf("ram:Description", sellerLegalMentions(s)) : null,
    el("ram:SpecifiedLegalOrganization", null, leaf("ram:ID", s.siren, { schemeID: "0002" })),
    profile === "EN16931"
      ? el(
          "ram:DefinedTradeContact",
          null,
          el("ram:TelephoneUniversalCommunication", null, leaf("ram:CompleteNumber", s.phone)),
          el("ram:EmailURIUniversalCommunication", null, leaf("ram:URIID", s.email)),
        )
      : null,
    address(s.address),
    el("ram:URIUniversalCommunication", null, leaf("ram:URIID", s.siren, { schemeID: "0225" })),
    // BT-31, or — for a seller without a VAT number (293 B franchise) — its SIREN as tax registration (BT-32).
    s.vatNumber
      ? el("ram:SpecifiedTaxRegistration", null, leaf("ram:ID", s.vatNumber, { schemeID: "VA" }))
      : el("ram:SpecifiedTaxRegistration", null, leaf("ram:ID", s.siren, { schemeID: "FC" })),
  );
}

function buyer(doc: EInvoiceDocument, profile: FacturXProfile): XmlElement {
  const b = doc.buyer;
  const endpoint = buyerEndpoint(b);
  return el(
    "ram:BuyerTradeParty",
    null,
    leaf("ram:ID", b.code),
    leaf("ram:Name", b.name),
    b.siren ? el("ram:SpecifiedLegalOrganization", null, leaf("ram:ID", b.siren, { schemeID: "0002" })) : null,
    profile === "EN16931" ? el("ram:DefinedTradeContact", null, el("ram:EmailURIUniversalCommunication", null, leaf("ram:URIID", b.email))) : null,
    address(b.address),
    endpoint ? el("ram:URIUniversalCommunication", null, leaf("ram:URIID", endpoint.id, { schemeID: endpoint.scheme })) : null,
    b.vatNumber ? el("ram:SpecifiedTaxRegistration", null, leaf("ram:ID", b.vatNumber, { schemeID: "VA" })) : null,
  );
}

/**
 * BG-13: the supply date (BT-72; EN 16931 allows no empty delivery block) and where it is
 * delivered (BG-15): the delivery address the invoice states, else — for an intra-EU supply — the
 * customer's address (BR-IC-11, BR-IC-12).
 */
function delivery(doc: EInvoiceDocument): XmlElement {
  const shipTo = doc.deliveryAddress ?? (isIntraEu(doc) ? doc.buyer.address : null);
  return el(
    "ram:ApplicableHeaderTradeDelivery",
    null,
    shipTo ? el("ram:ShipToTradeParty", null, leaf("ram:Name", doc.buyer.name), address(shipTo)) : null,
    el("ram:ActualDeliverySupplyChainEvent", null, dateTime("ram:OccurrenceDateTime", supplyDate(doc))),
  );
}

function settlement(doc: EInvoiceDocument, profile: FacturXProfile): XmlElement {
  const t = doc.totals;
  const taxPoint = taxPointDateCode(doc, "cii");
  const iban = doc.type === "invoice" ? compactIban(doc.seller.iban) : null;
  const allowances = deductionAllowances(doc);
  return el(
    "ram:ApplicableHeaderTradeSettlement",
    null,
    leaf("ram:PaymentReference", doc.number),
    leaf("ram:InvoiceCurrencyCode", CURRENCY),
    iban
      ? el(
          "ram:SpecifiedTradeSettlementPaymentMeans",
          null,
          leaf("ram:TypeCode", "58"),
          el("ram:PayeePartyCreditorFinancialAccount", null, leaf("ram:IBANID", iban)),
          // BT-86, the IBAN's bank: not part of BASIC
          profile === "EN16931" && doc.seller.bic ? el("ram:PayeeSpecifiedCreditorFinancialInstitution", null, leaf("ram:BICID", doc.seller.bic)) : null,
        )
      : null,
    t.byRate.map((r) => {
      const category = vatCategory(r.vatRateBp, doc.vatExemption);
      return el(
        "ram:ApplicableTradeTax",
        null,
        leaf("ram:CalculatedAmount", decimalAmount(r.vatCents)),
        leaf("ram:TypeCode", "VAT"),
        leaf("ram:ExemptionReason", category.exemptionReason),
        leaf("ram:BasisAmount", decimalAmount(r.baseCents)),
        leaf("ram:CategoryCode", category.code),
        leaf("ram:ExemptionReasonCode", category.exemptionCode),
        category.code === "S" ? leaf("ram:DueDateTypeCode", taxPoint) : null,
        leaf("ram:RateApplicablePercent", decimalRate(r.vatRateBp)),
      );
    }),
    doc.servicePeriod
      ? el(
          "ram:BillingSpecifiedPeriod",
          null,
          dateTime("ram:StartDateTime", doc.servicePeriod.from),
          dateTime("ram:EndDateTime", doc.servicePeriod.to),
        )
      : null,
    // BG-20: the deposits a balance invoice deducts (see `deductionAllowances`)
    allowances.map((a) => {
      const category = vatCategory(a.vatRateBp, doc.vatExemption);
      return el(
        "ram:SpecifiedTradeAllowanceCharge",
        null,
        el("ram:ChargeIndicator", null, leaf("udt:Indicator", "false")),
        leaf("ram:ActualAmount", decimalAmount(a.amountCents)),
        leaf("ram:Reason", a.reason),
        el("ram:CategoryTradeTax", null, leaf("ram:TypeCode", "VAT"), leaf("ram:CategoryCode", category.code), leaf("ram:RateApplicablePercent", decimalRate(a.vatRateBp))),
      );
    }),
    doc.dueDate ? el("ram:SpecifiedTradePaymentTerms", null, dateTime("ram:DueDateDateTime", doc.dueDate)) : null,
    el(
      "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
      null,
      leaf("ram:LineTotalAmount", decimalAmount(lineTotalCents(doc))),
      allowances.length > 0 ? leaf("ram:AllowanceTotalAmount", decimalAmount(allowances.reduce((s, a) => s + a.amountCents, 0))) : null,
      leaf("ram:TaxBasisTotalAmount", decimalAmount(t.htCents)),
      leaf("ram:TaxTotalAmount", decimalAmount(t.vatCents), { currencyID: CURRENCY }),
      leaf("ram:GrandTotalAmount", decimalAmount(t.ttcCents)),
      leaf("ram:DuePayableAmount", decimalAmount(t.ttcCents)),
    ),
    doc.corrects
      ? el(
          "ram:InvoiceReferencedDocument",
          null,
          leaf("ram:IssuerAssignedID", doc.corrects.number),
          dateTime("ram:FormattedIssueDateTime", doc.corrects.issueDate, "qdt"),
        )
      : null,
  );
}

/** The CII XML tree of an issued document. */
export function ciiTree(doc: EInvoiceDocument, options: CiiOptions = {}): XmlElement {
  const profile = options.profile ?? "EN16931";
  return el(
    "rsm:CrossIndustryInvoice",
    NS,
    el(
      "rsm:ExchangedDocumentContext",
      null,
      el("ram:BusinessProcessSpecifiedDocumentContextParameter", null, leaf("ram:ID", billingFramework(doc.lines, (doc.deductions ?? []).length > 0))),
      el("ram:GuidelineSpecifiedDocumentContextParameter", null, leaf("ram:ID", GUIDELINE_ID[profile])),
    ),
    el(
      "rsm:ExchangedDocument",
      null,
      leaf("ram:ID", doc.number),
      leaf("ram:TypeCode", documentTypeCode(doc.type, doc.prepayment)),
      dateTime("ram:IssueDateTime", doc.issueDate),
      ciiNotes(doc).map((n) => el("ram:IncludedNote", null, leaf("ram:Content", n.content), leaf("ram:SubjectCode", n.subjectCode))),
    ),
    el(
      "rsm:SupplyChainTradeTransaction",
      null,
      doc.lines.map((l) => line(doc, l, profile)),
      el("ram:ApplicableHeaderTradeAgreement", null, seller(doc, profile), buyer(doc, profile)),
      delivery(doc),
      settlement(doc, profile),
    ),
  );
}

/** The Factur-X XML (`factur-x.xml`) of an issued document, as UTF-8 text. */
export function buildCii(doc: EInvoiceDocument, options: CiiOptions = {}): string {
  return serializeXml(ciiTree(doc, options));
}

