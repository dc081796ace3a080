/**
 * Factur-X / CII and UBL e-invoices, checked with nothing from outside the repository: every CII of
 * the matrix has the structure and arithmetic EN 16931 requires (cii-structure.ts), and says the same
 * cents as the invoice and the journal, and the values each case is about. The same documents pass
 * the official XSD and schematrons in the conformance suite (api/conformance/facturx.test.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ownerWithCompany } from "./helpers.js";
import { CII_NS, UBL_NS, wellFormednessErrors, xpath } from "./xml-query.js";
import { ciiStructureErrors } from "./cii-structure.js";
import { LONG_TEXT, NOTES, openFacturXMatrix, type FacturXMatrix, type Seller } from "./facturx-cases.js";
import { download } from "./export-support.js";
import { pdfText } from "./pdf-text.js";

const cii = (xml: string, expr: string) => xpath(xml, expr, CII_NS);
const ubl = (xml: string, expr: string) => xpath(xml, expr, UBL_NS);
const euros = (cents: number) => (cents / 100).toFixed(2);

let m: FacturXMatrix;

beforeAll(async () => {
  m = await openFacturXMatrix();
}, 180_000);

/** The XML says exactly the invoice's cents: lines, per-rate bases and VAT, totals. */
function expectSameCents(xml: string, invoice: any): void {
  const sum = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation";
  expect(cii(xml, `${sum}/ram:LineTotalAmount`)).toEqual([euros(invoice.totals.htCents)]);
  expect(cii(xml, `${sum}/ram:TaxBasisTotalAmount`)).toEqual([euros(invoice.totals.htCents)]);
  expect(cii(xml, `${sum}/ram:TaxTotalAmount`)).toEqual([euros(invoice.totals.vatCents)]);
  expect(cii(xml, `${sum}/ram:GrandTotalAmount`)).toEqual([euros(invoice.totals.ttcCents)]);
  expect(cii(xml, `${sum}/ram:DuePayableAmount`)).toEqual([euros(invoice.totals.ttcCents)]);
  const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";
  expect(cii(xml, `${tax}/ram:BasisAmount`)).toEqual(invoice.totals.byRate.map((r: any) => euros(r.baseCents)));
  expect(cii(xml, `${tax}/ram:CalculatedAmount`)).toEqual(invoice.totals.byRate.map((r: any) => euros(r.vatCents)));
  expect(cii(xml, `//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount`)).toEqual(invoice.lines.map((l: any) => euros(l.netCents)));
}

/** UBL: well-formed, and its key values are the invoice's. */
function expectUbl(xml: string, invoice: any): void {
  expect(wellFormednessErrors(xml)).toBeNull();
  const credit = invoice.type === "credit_note";
  const root = credit ? "/cn:CreditNote" : "/inv:Invoice";
  expect(ubl(xml, `${root}/cbc:ID`)).toEqual([invoice.number]);
  expect(ubl(xml, `${root}/cbc:${credit ? "CreditNoteTypeCode" : "InvoiceTypeCode"}`)).toEqual([credit ? "381" : "380"]);
  expect(ubl(xml, `${root}/cbc:IssueDate`)).toEqual([invoice.issueDate]);
  expect(ubl(xml, `${root}/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount`)).toEqual([euros(invoice.totals.htCents)]);
  expect(ubl(xml, `${root}/cac:TaxTotal/cbc:TaxAmount`)).toEqual([euros(invoice.totals.vatCents)]);
  expect(ubl(xml, `${root}/cac:LegalMonetaryTotal/cbc:PayableAmount`)).toEqual([euros(invoice.totals.ttcCents)]);
  expect(ubl(xml, `${root}/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount`)).toEqual(invoice.totals.byRate.map((r: any) => euros(r.baseCents)));
  expect(ubl(xml, `${root}/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount`)).toEqual(invoice.totals.byRate.map((r: any) => euros(r.vatCents)));
  expect(ubl(xml, `${root}/cac:${credit ? "CreditNoteLine" : "InvoiceLine"}/cbc:LineExtensionAmount`)).toEqual(invoice.lines.map((l: any) => euros(l.netCents)));
}

/** The CII is well-formed, structured and adds up, with the invoice's cents; the UBL says the same. */
async function checkAll(invoice: any, seller: Seller = "main"): Promise<{ xml: string; ublXml: string }> {
  const xml = await m.xml(seller, invoice.id, "cii.xml");
  expect(wellFormednessErrors(xml)).toBeNull();
  expect(ciiStructureErrors(xml)).toEqual([]);
  expectSameCents(xml, invoice);
  const ublXml = await m.xml(seller, invoice.id, "ubl.xml");
  expectUbl(ublXml, invoice);
  return { xml, ublXml };
}

describe("CII (Factur-X EN 16931) and UBL: the matrix", () => {
  it("one rate", async () => {
    const inv = await m.issueCase("oneRate");
    const { xml } = await checkAll(inv);
    expect(cii(xml, "//rsm:ExchangedDocument/ram:ID")).toEqual([inv.number]);
    expect(cii(xml, "//rsm:ExchangedDocument/ram:TypeCode")).toEqual(["380"]);
    expect(cii(xml, "//ram:IssueDateTime/udt:DateTimeString")).toEqual(["20261102"]);
    expect(cii(xml, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")).toEqual(["S1"]);
    expect(cii(xml, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")).toEqual(["urn:cen.eu:en16931:2017"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["1500.00"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount")).toEqual(["250.00"]);
    // seller: SIREN as legal registration (0002) and electronic address (0225), VAT number, IBAN
    expect(cii(xml, "//ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']")).toEqual(["853904811"]);
    expect(cii(xml, "//ram:SellerTradeParty/ram:Description")).toEqual(["SARL au capital de 10 000 € — RCS Lyon 853 904 811"]);
    expect(cii(xml, "//ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID[@schemeID='0225']")).toEqual(["853904811"]);
    expect(cii(xml, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")).toEqual(["FR26853904811"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']")).toEqual(["401234562"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")).toEqual(["FR46401234562"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode")).toEqual(["58"]);
    expect(cii(xml, "//ram:PayeePartyCreditorFinancialAccount/ram:IBANID")).toEqual(["FR7630006000011234567890189"]);
    expect(cii(xml, "//ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID")).toEqual(["BNPAFRPPXXX"]);
    const ublXml = await m.xml("main", inv.id, "ubl.xml");
    expect(ubl(ublXml, "/inv:Invoice/cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")).toEqual(["BNPAFRPPXXX"]);
    expect(cii(xml, "//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString")).toEqual([inv.dueDate.replaceAll("-", "")]);
    // the French mandatory notes, each once, with their subject codes
    expect(cii(xml, "//rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode")).toEqual(["PMD", "PMT", "AAB"]);
    expect(cii(xml, "//ram:IncludedNote[ram:SubjectCode='PMD']/ram:Content")).toEqual([
      "Pénalités de retard : 10 % l'an & <au-delà> de 30 jours, exigibles dès le lendemain de l'échéance",
    ]);
    expect(cii(xml, "//ram:IncludedNote[ram:SubjectCode='PMT']/ram:Content")[0]).toContain("40 €");
    expect(cii(xml, "//ram:IncludedNote[ram:SubjectCode='AAB']/ram:Content")).toEqual(["Escompte pour paiement anticipé : 2 % pour paiement sous 8 jours"]);
    expect(xml).toContain("10 % l'an &amp; &lt;au-delà&gt; de 30 jours");
  });

  it("several rates (20 %, 10 %, 5,5 %, 2,1 %), goods and services", async () => {
    const inv = await m.issueCase("severalRates");
    const { xml } = await checkAll(inv);
    expect(cii(xml, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")).toEqual(["M1"]);
    const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";
    expect(cii(xml, `${tax}/ram:RateApplicablePercent`)).toEqual(["20.00", "10.00", "5.50", "2.10"]);
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["S", "S", "S", "S"]);
    expect(cii(xml, `${tax}/ram:BasisAmount`)).toEqual(["378.00", "450.00", "37.50", "19.90"]);
    expect(cii(xml, `${tax}/ram:CalculatedAmount`)).toEqual(["75.60", "45.00", "2.06", "0.42"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["1008.48"]);
  });

  it("line discounts and fractional quantities", async () => {
    const inv = await m.issueCase("discounts");
    const { xml, ublXml } = await checkAll(inv);
    const line1 = "//ram:IncludedSupplyChainTradeLineItem[1]";
    expect(cii(xml, `${line1}//ram:BilledQuantity`)).toEqual(["2.5"]);
    expect(cii(xml, `${line1}//ram:BilledQuantity/@unitCode`)).toEqual(["C62"]);
    expect(cii(xml, `${line1}//ram:NetPriceProductTradePrice/ram:ChargeAmount`)).toEqual(["189.00"]);
    expect(cii(xml, `${line1}//ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount`)).toEqual(["472.50"]);
    expect(cii(xml, `${line1}//ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount`)).toEqual(["12.50"]);
    expect(cii(xml, `${line1}//ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator/udt:Indicator`)).toEqual(["false"]);
    expect(cii(xml, `${line1}//ram:LineTotalAmount`)).toEqual(["460.00"]);
    expect(cii(xml, "//ram:IncludedSupplyChainTradeLineItem[2]//ram:LineTotalAmount")).toEqual(["100.00"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["662.00"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:InvoiceLine[1]/cac:AllowanceCharge/cbc:Amount")).toEqual(["12.50"]);
  });

  it("the 3 × 10,01 € rounding case: VAT 6,01 € once per rate, not 3 × 2,00 €", async () => {
    const inv = await m.issueCase("rounding");
    expect(inv.totals).toEqual({ htCents: 3003, vatCents: 601, ttcCents: 3604, byRate: [{ vatRateBp: 2000, baseCents: 3003, vatCents: 601 }] });
    const { xml, ublXml } = await checkAll(inv);
    expect(cii(xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount")).toEqual(["6.01"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["36.04"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:TaxTotal/cbc:TaxAmount")).toEqual(["6.01"]);
  });

  it("293 B franchise: category E with VATEX-FR-FRANCHISE; a seller without VAT number gives its SIREN as tax registration", async () => {
    const inv = await m.issueCase("franchise");
    const { xml, ublXml } = await checkAll(inv, "franchise");
    const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["E"]);
    expect(cii(xml, `${tax}/ram:ExemptionReasonCode`)).toEqual(["VATEX-FR-FRANCHISE"]);
    expect(cii(xml, `${tax}/ram:ExemptionReason`)).toEqual(["TVA non applicable, art. 293 B du CGI"]);
    expect(cii(xml, `${tax}/ram:RateApplicablePercent`)).toEqual(["0.00"]);
    expect(cii(xml, `${tax}/ram:CalculatedAmount`)).toEqual(["0.00"]);
    expect(cii(xml, "//ram:IncludedSupplyChainTradeLineItem//ram:ApplicableTradeTax/ram:CategoryCode")).toEqual(["E"]);
    expect(cii(xml, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID/@schemeID")).toEqual(["FC"]);
    expect(ubl(ublXml, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode")).toEqual(["VATEX-FR-FRANCHISE"]);
  });

  it("reverse charge: category AE with VATEX-EU-AE", async () => {
    const inv = await m.issueCase("reverseCharge");
    const { xml } = await checkAll(inv);
    const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["AE"]);
    expect(cii(xml, `${tax}/ram:ExemptionReasonCode`)).toEqual(["VATEX-EU-AE"]);
    expect(cii(xml, `${tax}/ram:ExemptionReason`)).toEqual(["Autoliquidation"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["2400.00"]);
  });

  it("intra-EU supply: category K with VATEX-EU-IC, delivery country and date", async () => {
    const inv = await m.issueCase("intraEu");
    const { xml } = await checkAll(inv);
    const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["K"]);
    expect(cii(xml, `${tax}/ram:ExemptionReasonCode`)).toEqual(["VATEX-EU-IC"]);
    expect(cii(xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID")).toEqual(["DE"]);
    expect(cii(xml, "//ram:ActualDeliverySupplyChainEvent//udt:DateTimeString")).toEqual(["20261102"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID")).toEqual(["DE123456789"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID[@schemeID='EM']")).toEqual(["einkauf@mueller-licht.de"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:Name")).toEqual(["Müller Lichttechnik GmbH"]);
  });

  it("export outside the EU: category G with VATEX-EU-G", async () => {
    const inv = await m.issueCase("export");
    const { xml } = await checkAll(inv);
    const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["G"]);
    expect(cii(xml, `${tax}/ram:ExemptionReasonCode`)).toEqual(["VATEX-EU-G"]);
    expect(cii(xml, `${tax}/ram:ExemptionReason`)).toEqual(["Exonération de TVA, art. 262 I du CGI"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID")).toEqual(["CH"]);
  });

  it("credit note: type 381 referencing the corrected invoice's number and date (BR-FR-CO-05)", async () => {
    const { invoice: original, creditNote: cn } = await m.creditCase("partial");
    const { xml, ublXml } = await checkAll(cn);
    expect(cii(xml, "//rsm:ExchangedDocument/ram:TypeCode")).toEqual(["381"]);
    expect(cii(xml, "//rsm:ExchangedDocument/ram:ID")).toEqual([cn.number]);
    expect(cn.number).toMatch(/^AV2026-\d{5}$/);
    expect(cii(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID")).toEqual([original.number]);
    expect(cii(xml, "//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString")).toEqual(["20261102"]);
    // amounts are positive on a 381: 1 × 189,00 at 20 % + 3 × 12,50 at 5,5 %
    expect(cii(xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:BasisAmount")).toEqual(["189.00", "37.50"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["266.36"]);
    expect(ubl(ublXml, "/cn:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")).toEqual([original.number]);
    expect(ubl(ublXml, "/cn:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate")).toEqual(["2026-11-02"]);
    expect(ubl(ublXml, "/cn:CreditNote/cac:CreditNoteLine/cbc:CreditedQuantity")).toEqual(["1", "3"]);
  });

  it("units: each line's quantity carries its UN/ECE Rec 20 code (BT-130), kept by the credit note; the PDF prints the unit after the quantity", async () => {
    const { invoice: inv, creditNote: cn } = await m.creditCase("units");
    expect(inv.lines.map((l: any) => [l.unit, l.kind, l.netCents])).toEqual([
      ["hour", "services", 22750],
      ["day", "services", 120000],
      ["kg", "goods", 6000],
      ["m2", "goods", 56250],
      ["flat_rate", "services", 15000],
      ["piece", "goods", 37800],
    ]);
    expect(inv.totals).toEqual({ htCents: 257800, vatCents: 51560, ttcCents: 309360, byRate: [{ vatRateBp: 2000, baseCents: 257800, vatCents: 51560 }] });
    const { xml, ublXml } = await checkAll(inv);
    expect(cii(xml, "//ram:BilledQuantity/@unitCode")).toEqual(["HUR", "DAY", "KGM", "MTK", "LS", "H87"]);
    expect(cii(xml, "//ram:BilledQuantity")).toEqual(["3.5", "2", "12.5", "6.25", "1", "2"]);
    // the line break of a description stays in BT-154
    expect(cii(xml, "//ram:IncludedSupplyChainTradeLineItem[1]//ram:Description")).toEqual(["Pose\nmontage et raccordement"]);
    expect(ubl(ublXml, "//cac:InvoiceLine/cbc:InvoicedQuantity/@unitCode")).toEqual(["HUR", "DAY", "KGM", "MTK", "LS", "H87"]);

    expect(cn.lines.map((l: any) => [l.unit, l.quantity])).toEqual([["hour", "1"], ["m2", "6.25"]]);
    const credit = await checkAll(cn);
    expect(cii(credit.xml, "//ram:BilledQuantity/@unitCode")).toEqual(["HUR", "MTK"]);
    expect(cii(credit.xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["753.00"]);

    const pdf = await download(m.t, `/companies/${m.sellers.main.companyId}/invoices/${inv.id}/pdf`, m.token);
    expect(pdf.status).toBe(200);
    const items = (await pdfText(pdf.bytes)).flat();
    expect(items).toEqual(expect.arrayContaining(["Unité", "3,5", "heures", "jours", "12,5", "kg", "6,25", "m²", "forfait", "pièces", "Pose", "montage et raccordement"]));
  }, 120_000);

  it("a customer without VAT number (SIREN only)", async () => {
    const inv = await m.issueCase("customerWithoutVatNumber");
    const { xml } = await checkAll(inv);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration")).toEqual([]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID[@schemeID='0225']")).toHaveLength(1);
  });

  it("long texts with &, <, quotes and accents survive escaping exactly", async () => {
    const inv = await m.issueCase("longTexts");
    const { xml, ublXml } = await checkAll(inv);
    const firstLine = LONG_TEXT.split("\n")[0]!;
    expect(cii(xml, "//ram:SpecifiedTradeProduct/ram:Name")).toEqual([firstLine]);
    expect(cii(xml, "//ram:SpecifiedTradeProduct/ram:Description")).toEqual([LONG_TEXT]);
    expect(cii(xml, "//ram:IncludedNote[ram:SubjectCode='AAI']/ram:Content")).toEqual([NOTES]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:Name")).toEqual(["Dupont & Fils <Éclairage> « L'Atelier »"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:LineOne")).toEqual(["12 rue de l'Église & du Marché"]);
    expect(xml).toContain("Dupont &amp; Fils &lt;Éclairage&gt; « L'Atelier »");
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#)/);
    expect(ubl(ublXml, "//cac:InvoiceLine/cac:Item/cbc:Description")).toEqual([LONG_TEXT]);
    expect(ubl(ublXml, "/inv:Invoice/cbc:Note[1]")).toEqual([`#AAI#${NOTES}`]);
  });

  it("profile=basic: the BASIC guideline, no line descriptions (the names carry them) and no contact; the same structure and cents", async () => {
    const inv = await m.issueCase("basicProfile");
    const xml = await m.xml("main", inv.id, "cii.xml", "?profile=basic");
    expect(cii(xml, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")).toEqual(["urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"]);
    expect(cii(xml, "//ram:SpecifiedTradeProduct/ram:Description")).toEqual([]);
    expect(cii(xml, "//ram:SpecifiedTradeProduct/ram:Name")).toEqual(["Suspension laiton finition brossée", "Pose"]);
    expect(cii(xml, "//ram:DefinedTradeContact")).toEqual([]);
    // BT-86 is not part of BASIC
    expect(cii(xml, "//ram:PayeeSpecifiedCreditorFinancialInstitution")).toEqual([]);
    expect(ciiStructureErrors(xml)).toEqual([]);
    expectSameCents(xml, inv);
    const en = await m.xml("main", inv.id, "cii.xml", "?profile=en16931");
    expect(cii(en, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")).toEqual(["urn:cen.eu:en16931:2017"]);
    expect(cii(en, "//ram:SpecifiedTradeProduct/ram:Name")).toEqual(["Suspension laiton", "Pose"]);
    expect(cii(en, "//ram:SpecifiedTradeProduct/ram:Description")).toEqual(["Suspension laiton\nfinition brossée"]);
    expect(ciiStructureErrors(en)).toEqual([]);
  });

  it("a consumer with neither SIREN nor e-mail: the buyer has no electronic address (BT-49)", async () => {
    const inv = await m.issueCase("consumer");
    const { xml } = await checkAll(inv);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:Name")).toEqual(["Mme Léa Durand"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:URIUniversalCommunication")).toEqual([]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization")).toEqual([]);
  });
});

describe("the structural check is not vacuous", () => {
  it("reports each damage to a valid CII under its rule or business term", async () => {
    const inv = await m.issueCase("oneRate");
    const xml = await m.xml("main", inv.id, "cii.xml");
    expect(ciiStructureErrors(xml)).toEqual([]);
    const errorsOf = (damaged: string) => {
      expect(damaged).not.toBe(xml);
      return ciiStructureErrors(damaged);
    };
    expect(errorsOf(xml.replace("<ram:GrandTotalAmount>1500.00<", "<ram:GrandTotalAmount>1500.01<"))).toEqual([
      "BR-CO-15: GrandTotalAmount is 1500.01, TaxBasisTotalAmount + TaxTotalAmount is 1500.00",
      "BR-CO-16: DuePayableAmount is 1500.00, GrandTotalAmount − prepaid + rounding is 1500.01",
    ]);
    expect(errorsOf(xml.replace("<ram:CalculatedAmount>250.00<", "<ram:CalculatedAmount>249.99<"))).toEqual([
      "BR-CO-14: TaxTotalAmount is 250.00, the sum of the VAT breakdowns is 249.99",
      "BR-S-09: the VAT of S 20.00 % is 249.99, its base × rate is 250.00",
    ]);
    expect(errorsOf(xml.replace("<ram:BasisAmount>1250.00<", "<ram:BasisAmount>1250.10<"))).toEqual([
      "BR-S-08: the base of S 20.00 % is 1250.10, the sum of its lines' net amounts is 1250.00",
      "BR-S-09: the VAT of S 20.00 % is 250.00, its base × rate is 250.02",
    ]);
    expect(errorsOf(xml.replace("<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>", ""))).toEqual(["BT-5: InvoiceCurrencyCode appears 0 times, once expected"]);
    expect(errorsOf(xml.replace("<ram:TypeCode>380<", "<ram:TypeCode>384<"))).toEqual(["BT-3: TypeCode 384 is none of 380 (invoice), 381 (credit note) and 386 (prepayment invoice)"]);
    expect(errorsOf(xml.replace(">20261102</udt:DateTimeString>", ">20261131</udt:DateTimeString>"))).toEqual(["BT-2: 20261131 is not a date written YYYYMMDD"]);
    expect(errorsOf(xml.replace("<ram:LineID>1</ram:LineID>", ""))).toEqual(["BT-126: line 1 has 0 LineID, one expected"]);
    expect(errorsOf(xml.replace("<ram:TaxBasisTotalAmount>1250.00<", "<ram:TaxBasisTotalAmount>1250.001<"))).toEqual([
      "amounts: TaxBasisTotalAmount 1250.001 is not written with two decimals",
    ]);
    const delivery = /<ram:ApplicableHeaderTradeDelivery>[\s\S]*?<\/ram:ApplicableHeaderTradeDelivery>/.exec(xml)![0];
    const withoutDelivery = xml.replace(delivery, "");
    expect(errorsOf(withoutDelivery)).toEqual([
      "order: the transaction's parts are IncludedSupplyChainTradeLineItem, ApplicableHeaderTradeAgreement, ApplicableHeaderTradeSettlement",
    ]);
    expect(errorsOf(withoutDelivery.replace("<ram:ApplicableHeaderTradeAgreement>", `${delivery}<ram:ApplicableHeaderTradeAgreement>`))).toEqual([
      "order: the transaction's parts are IncludedSupplyChainTradeLineItem, ApplicableHeaderTradeDelivery, ApplicableHeaderTradeAgreement, ApplicableHeaderTradeSettlement",
    ]);
  });
});

describe("e-invoice endpoints: errors and access", () => {
  it("a draft has no e-invoice (409); unknown or invisible invoices answer 404; a bad profile 422", async () => {
    const { t, token } = m;
    const { companyId, customers } = m.sellers.main;
    const draft = await t.call("POST", `/companies/${companyId}/invoices`, {
      token,
      body: { customerId: customers.pro, lines: [{ description: "x", quantity: "1", unitPriceCents: 100, vatRateBp: 2000 }] },
    });
    for (const kind of ["cii.xml", "ubl.xml"]) {
      const res = await t.call("GET", `/companies/${companyId}/invoices/${draft.json.id}/${kind}`, { token });
      expect(res.status).toBe(409);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.json.detail).toContain("issue it first");
    }
    expect((await t.call("GET", `/companies/${companyId}/invoices/nope/cii.xml`, { token })).status).toBe(404);
    const stranger = await ownerWithCompany(t);
    const inv = await m.issue("main", "pro", [{ description: "Conseil", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" }]);
    expect((await t.call("GET", `/companies/${companyId}/invoices/${inv.id}/cii.xml`, { token: stranger.token })).status).toBe(404);
    expect((await t.call("GET", `/companies/${stranger.companyId}/invoices/${inv.id}/ubl.xml`, { token: stranger.token })).status).toBe(404);
    expect((await t.call("GET", `/companies/${companyId}/invoices/${inv.id}/cii.xml`)).status).toBe(401);
    const bad = await t.call("GET", `/companies/${companyId}/invoices/${inv.id}/cii.xml?profile=extended`, { token });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([{ path: "profile", message: "must be en16931 (default) or basic" }]);
  });

  it("an intra-EU invoice to a customer without VAT number cannot be a valid e-invoice: 409 naming the field and BR-IC-02", async () => {
    const inv = await m.issue("main", "deNoVat", [{ description: "Suspension laiton", quantity: "1", unitPriceCents: 18900, vatRateBp: 0, kind: "goods" }], {
      vatExemption: "intra_eu",
    });
    const res = await m.t.call("GET", `/companies/${m.sellers.main.companyId}/invoices/${inv.id}/cii.xml`, { token: m.token });
    expect(res.status).toBe(409);
    expect(res.json.errors).toEqual([{ path: "buyer.vatNumber", message: "an intra-EU supply needs the customer's VAT number (BR-IC-02)" }]);
  });

  it("the XML is frozen with the invoice: later changes to the customer and company do not alter it", async () => {
    const { t, token } = m;
    const { companyId, customers } = m.sellers.main;
    const inv = await m.issue("main", "noVat", [{ description: "Conseil", quantity: "2", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" }]);
    const before = await m.xml("main", inv.id, "cii.xml");
    expect((await t.call("PATCH", `/companies/${companyId}/customers/${customers.noVat}`, { token, body: { name: "Autre nom" } })).status).toBe(200);
    expect((await t.call("PATCH", `/companies/${companyId}`, { token, body: { iban: "FR76 3000 4000 0312 3456 7890 143" } })).status).toBe(200);
    const after = await m.xml("main", inv.id, "cii.xml");
    expect(after).toBe(before);
    expect(cii(after, "//ram:BuyerTradeParty/ram:Name")).toEqual(["Cabinet Martin et Associés"]);
  });
});

describe("date, place and VAT option of the supply (BT-72, BG-14, BG-15, BT-8)", () => {
  const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";

  it("an invoice with the date of the service, its period and a delivery address; the seller under the option for débits", async () => {
    const { invoice: inv, creditNote } = await m.creditCase("underDebits");
    const { xml, ublXml } = await checkAll(inv, "debits");
    expect(cii(xml, "//ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString")).toEqual(["20261031"]);
    const shipTo = "//ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty";
    expect(cii(xml, `${shipTo}/ram:Name`)).toEqual(["Boulangerie Dupont"]);
    expect(cii(xml, `${shipTo}/ram:PostalTradeAddress/ram:LineOne`)).toEqual(["Chantier Part-Dieu"]);
    expect(cii(xml, `${shipTo}/ram:PostalTradeAddress/ram:LineTwo`)).toEqual(["Bâtiment B"]);
    expect(cii(xml, `${shipTo}/ram:PostalTradeAddress/ram:PostcodeCode`)).toEqual(["69003"]);
    expect(cii(xml, `${shipTo}/ram:PostalTradeAddress/ram:CityName`)).toEqual(["Lyon"]);
    expect(cii(xml, `${shipTo}/ram:PostalTradeAddress/ram:CountryID`)).toEqual(["FR"]);
    // the customer's own address stays the billing one
    expect(cii(xml, "//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:LineOne")).toEqual(["3 place des Terreaux"]);
    expect(cii(xml, "//ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString")).toEqual(["20261001"]);
    expect(cii(xml, "//ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString")).toEqual(["20261031"]);
    // BT-8: VAT due on the invoice's date (UNTDID 2475 code 5), on every VAT breakdown
    expect(cii(xml, `${tax}/ram:DueDateTypeCode`)).toEqual(["5", "5"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:InvoicePeriod/cbc:StartDate")).toEqual(["2026-10-01"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:InvoicePeriod/cbc:EndDate")).toEqual(["2026-10-31"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:InvoicePeriod/cbc:DescriptionCode")).toEqual(["3"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:Delivery/cbc:ActualDeliveryDate")).toEqual(["2026-10-31"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:StreetName")).toEqual(["Chantier Part-Dieu"]);

    // its credit note repeats the date, period and place of the sale, and the option
    const cn = await checkAll(creditNote, "debits");
    expect(cii(cn.xml, "//ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString")).toEqual(["20261031"]);
    expect(cii(cn.xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:LineOne")).toEqual(["Chantier Part-Dieu"]);
    expect(cii(cn.xml, `${tax}/ram:DueDateTypeCode`)).toEqual(["5", "5"]);
    expect(ubl(cn.ublXml, "/cn:CreditNote/cac:InvoicePeriod/cbc:DescriptionCode")).toEqual(["3"]);
  });

  it("a period alone dates the supply at its end; without the option no BT-8 is written", async () => {
    const inv = await m.issueCase("periodAlone");
    const { xml, ublXml } = await checkAll(inv);
    expect(cii(xml, "//ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString")).toEqual(["20261031"]);
    expect(cii(xml, "//ram:ShipToTradeParty")).toEqual([]);
    expect(cii(xml, `${tax}/ram:DueDateTypeCode`)).toEqual([]);
    expect(ubl(ublXml, "/inv:Invoice/cac:InvoicePeriod/cbc:DescriptionCode")).toEqual([]);
  });

  it("an intra-EU supply delivered to another address ships there, not to the customer's", async () => {
    const inv = await m.issueCase("intraEuDeliveredElsewhere");
    const { xml } = await checkAll(inv);
    expect(cii(xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CityName")).toEqual(["Hamburg"]);
    expect(cii(xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID")).toEqual(["DE"]);
    expect(cii(xml, "//ram:ActualDeliverySupplyChainEvent//udt:DateTimeString")).toEqual(["20261029"]);
  });

  it("an exempt invoice of a seller under the option carries no BT-8 (no VAT is due)", async () => {
    const inv = await m.issueCase("exemptUnderDebits");
    const { xml } = await checkAll(inv, "debits");
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["AE"]);
    expect(cii(xml, `${tax}/ram:DueDateTypeCode`)).toEqual([]);
  });
});
