/**
 * Factur-X / CII and UBL e-invoices, validated offline with the published artefacts: every CII of
 * the matrix passes the Factur-X EN16931 XSD (xmllint), the EN 16931 schematron and the French
 * CTC schematron with 0 failed asserts, and says the same cents as the invoice and the journal.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { frenchVatNumber, type InvoiceDraftInput } from "@passerelle/shared";
import { CUSTOMER, createTestApp, ownerWithCompany, type TestApp } from "./helpers.js";
import { CII_NS, loadValidators, UBL_NS, wellFormednessErrors, xpath, xsdErrors, type Validators } from "./facturx-validation.js";

/** A SIREN with a valid Luhn key from 8 digits. */
function siren(prefix8: string): string {
  for (let d = 0; d <= 9; d++) {
    const s = prefix8 + d;
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      let x = Number(s[8 - i]);
      if (i % 2 === 1) (x *= 2), x > 9 && (x -= 9);
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error("unreachable");
}

const cii = (xml: string, expr: string) => xpath(xml, expr, CII_NS);
const ubl = (xml: string, expr: string) => xpath(xml, expr, UBL_NS);
const euros = (cents: number) => (cents / 100).toFixed(2);

let v: Validators;
let t: TestApp;
let o: Awaited<ReturnType<typeof ownerWithCompany>>;
let franchise: { companyId: string; customerId: string };
const customers: Record<string, string> = {};

const LONG_TEXT =
  "Conception & réalisation d'un éclairage <sur mesure> pour l'atelier « Crème brûlée » — " +
  "ligne 2 : suspensions en laiton brossé, câbles textile tressés, douilles E27 ; \"finition\" à l'ancienne.\n" +
  "Détail : ".padEnd(1500, "é&<>'\"ç ") +
  "\nFin.";

beforeAll(async () => {
  v = await loadValidators();
  t = createTestApp();
  o = await ownerWithCompany(t);
  const patch = await t.call("PATCH", `/companies/${o.companyId}`, {
    token: o.token,
    body: {
      iban: "FR76 3000 6000 0112 3456 7890 189",
      email: "compta@atelier-test.fr",
      phone: "04 78 12 34 56",
      latePenaltyRate: "10 % l'an & <au-delà> de 30 jours",
      earlyPaymentDiscount: "2 % pour paiement sous 8 jours",
    },
  });
  expect(patch.status).toBe(200);
  const make = async (key: string, body: Record<string, unknown>, companyId = o.companyId) => {
    const res = await t.call("POST", `/companies/${companyId}/customers`, { token: o.token, body });
    expect(res.status, res.text).toBe(201);
    customers[key] = res.json.id;
  };
  customers.pro = o.customerId;
  const martin = siren("44306184");
  await make("noVat", { name: "Cabinet Martin et Associés", siren: martin, address: { line1: "8 quai Saint-Vincent", postalCode: "69001", city: "Lyon", country: "FR" } });
  await make("de", {
    name: "Müller Lichttechnik GmbH",
    vatNumber: "DE123456789",
    email: "einkauf@mueller-licht.de",
    address: { line1: "Hauptstraße 5", postalCode: "10115", city: "Berlin", country: "DE" },
  });
  await make("ch", { name: "Lumière Genève SA", email: "achats@lumiere-geneve.ch", address: { line1: "Rue du Rhône 12", postalCode: "1204", city: "Genève", country: "CH" } });
  const dupont = siren("51234567");
  await make("special", {
    name: "Dupont & Fils <Éclairage> « L'Atelier »",
    siren: dupont,
    vatNumber: frenchVatNumber(dupont),
    email: "dupont+factures@exemple.fr",
    address: "12 rue de l'Église & du Marché\n75004 Paris",
  });
  await make("consumer", { name: "Mme Léa Durand", address: { line1: "5 impasse des Lilas", postalCode: "38000", city: "Grenoble", country: "FR" } });
  await make("deNoVat", { name: "Schmidt KG", email: "info@schmidt.de", address: { line1: "Ring 1", postalCode: "50667", city: "Köln", country: "DE" } });

  // A micro-entrepreneur under the 293 B franchise: no VAT number.
  const ei = await t.call("POST", "/companies", {
    token: o.token,
    body: { name: "Léa Durand EI", siren: siren("81234567"), address: { line1: "5 impasse des Lilas", postalCode: "38000", city: "Grenoble", country: "FR" } },
  });
  expect(ei.status, ei.text).toBe(201);
  const eiCustomer = await t.call("POST", `/companies/${ei.json.id}/customers`, { token: o.token, body: CUSTOMER });
  franchise = { companyId: ei.json.id, customerId: eiCustomer.json.id };
}, 180_000);

async function issue(
  customerId: string,
  lines: InvoiceDraftInput["lines"],
  extra: Partial<InvoiceDraftInput> = {},
  companyId = o.companyId,
): Promise<any> {
  const draft = await t.call("POST", `/companies/${companyId}/invoices`, { token: o.token, body: { customerId, lines, ...extra } });
  expect(draft.status, draft.text).toBe(201);
  const issued = await t.call("POST", `/companies/${companyId}/invoices/${draft.json.id}/issue`, { token: o.token, body: { issueDate: "2026-11-02" } });
  expect(issued.status, issued.text).toBe(200);
  return issued.json;
}

async function getXml(companyId: string, id: string, kind: "cii.xml" | "ubl.xml", query = ""): Promise<string> {
  const res = await t.call("GET", `/companies/${companyId}/invoices/${id}/${kind}${query}`, { token: o.token });
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
  return res.text;
}

/** XSD + both schematrons, 0 failures each. */
function expectValidCii(xml: string): void {
  expect(xsdErrors(xml)).toBeNull();
  expect(v.en16931.check(xml)).toEqual([]);
  expect(v.frCtc.check(xml)).toEqual([]);
}

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

async function checkAll(invoice: any, companyId = o.companyId): Promise<{ xml: string; ublXml: string }> {
  const xml = await getXml(companyId, invoice.id, "cii.xml");
  expectValidCii(xml);
  expectSameCents(xml, invoice);
  const ublXml = await getXml(companyId, invoice.id, "ubl.xml");
  expectUbl(ublXml, invoice);
  return { xml, ublXml };
}

const S = "services" as const;
const G = "goods" as const;

describe("CII (Factur-X EN 16931) and UBL: the validation matrix", () => {
  it("one rate", async () => {
    const inv = await issue(customers.pro!, [{ description: "Étude d'éclairage", quantity: "1", unitPriceCents: 125000, vatRateBp: 2000, kind: S }]);
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
    const inv = await issue(customers.pro!, [
      { description: "Suspension laiton", quantity: "2", unitPriceCents: 18900, vatRateBp: 2000, kind: G },
      { description: "Pose et raccordement", quantity: "1", unitPriceCents: 45000, vatRateBp: 1000, kind: S },
      { description: "Ampoule LED", quantity: "3", unitPriceCents: 1250, vatRateBp: 550, kind: G },
      { description: "Revue d'architecture", quantity: "1", unitPriceCents: 1990, vatRateBp: 210, kind: G },
    ]);
    const { xml } = await checkAll(inv);
    expect(cii(xml, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")).toEqual(["M1"]);
    const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";
    expect(cii(xml, `${tax}/ram:RateApplicablePercent`)).toEqual(["20.00", "10.00", "5.50", "2.10"]);
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["S", "S", "S", "S"]);
    expect(cii(xml, `${tax}/ram:BasisAmount`)).toEqual(["378.00", "450.00", "37.50", "19.90"]);
    expect(cii(xml, `${tax}/ram:CalculatedAmount`)).toEqual(["75.60", "45.00", "2.06", "0.42"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["1008.48"]);
    customers.severalRatesInvoice = inv.id;
  });

  it("line discounts and fractional quantities", async () => {
    const inv = await issue(customers.pro!, [
      { description: "Suspension laiton", quantity: "2.5", unitPriceCents: 18900, discountCents: 1250, vatRateBp: 2000, kind: G },
      { description: "Pose", quantity: "1.75", unitPriceCents: 6000, discountCents: 500, vatRateBp: 1000, kind: S },
    ]);
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
    const line = { description: "Heure de conseil", quantity: "1", unitPriceCents: 1001, vatRateBp: 2000, kind: S };
    const inv = await issue(customers.pro!, [line, line, line]);
    expect(inv.totals).toEqual({ htCents: 3003, vatCents: 601, ttcCents: 3604, byRate: [{ vatRateBp: 2000, baseCents: 3003, vatCents: 601 }] });
    const { xml, ublXml } = await checkAll(inv);
    expect(cii(xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount")).toEqual(["6.01"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["36.04"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:TaxTotal/cbc:TaxAmount")).toEqual(["6.01"]);
  });

  it("293 B franchise: category E with VATEX-FR-FRANCHISE; a seller without VAT number gives its SIREN as tax registration", async () => {
    const inv = await issue(
      franchise.customerId,
      [{ description: "Atelier d'initiation", quantity: "2", unitPriceCents: 8000, vatRateBp: 0, kind: S }],
      { vatExemption: "franchise" },
      franchise.companyId,
    );
    const { xml, ublXml } = await checkAll(inv, franchise.companyId);
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
    const inv = await issue(customers.pro!, [{ description: "Sous-traitance électricité", quantity: "1", unitPriceCents: 240000, vatRateBp: 0, kind: S }], {
      vatExemption: "reverse_charge",
    });
    const { xml } = await checkAll(inv);
    const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["AE"]);
    expect(cii(xml, `${tax}/ram:ExemptionReasonCode`)).toEqual(["VATEX-EU-AE"]);
    expect(cii(xml, `${tax}/ram:ExemptionReason`)).toEqual(["Autoliquidation"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["2400.00"]);
  });

  it("intra-EU supply: category K with VATEX-EU-IC, delivery country and date", async () => {
    const inv = await issue(customers.de!, [{ description: "Suspension laiton", quantity: "10", unitPriceCents: 18900, vatRateBp: 0, kind: G }], {
      vatExemption: "intra_eu",
    });
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
    const inv = await issue(customers.ch!, [{ description: "Lampadaire « Opéra »", quantity: "4", unitPriceCents: 32500, vatRateBp: 0, kind: G }], {
      vatExemption: "export",
    });
    const { xml } = await checkAll(inv);
    const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["G"]);
    expect(cii(xml, `${tax}/ram:ExemptionReasonCode`)).toEqual(["VATEX-EU-G"]);
    expect(cii(xml, `${tax}/ram:ExemptionReason`)).toEqual(["Exonération de TVA, art. 262 I du CGI"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID")).toEqual(["CH"]);
  });

  it("credit note: type 381 referencing the corrected invoice's number and date (BR-FR-CO-05)", async () => {
    const invoiceId = customers.severalRatesInvoice!;
    const original = await t.call("GET", `/companies/${o.companyId}/invoices/${invoiceId}`, { token: o.token });
    const credit = await t.call("POST", `/companies/${o.companyId}/invoices/${invoiceId}/credit-note`, {
      token: o.token,
      body: { issueDate: "2026-11-10", lines: [{ lineId: original.json.lines[0].id, quantity: "1" }, { lineId: original.json.lines[2].id }] },
    });
    expect(credit.status, credit.text).toBe(201);
    const cn = credit.json;
    const { xml, ublXml } = await checkAll(cn);
    expect(cii(xml, "//rsm:ExchangedDocument/ram:TypeCode")).toEqual(["381"]);
    expect(cii(xml, "//rsm:ExchangedDocument/ram:ID")).toEqual([cn.number]);
    expect(cn.number).toMatch(/^AV2026-\d{5}$/);
    expect(cii(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID")).toEqual([original.json.number]);
    expect(cii(xml, "//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString")).toEqual(["20261102"]);
    // amounts are positive on a 381: 1 × 189,00 at 20 % + 3 × 12,50 at 5,5 %
    expect(cii(xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:BasisAmount")).toEqual(["189.00", "37.50"]);
    expect(cii(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount")).toEqual(["266.36"]);
    expect(ubl(ublXml, "/cn:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")).toEqual([original.json.number]);
    expect(ubl(ublXml, "/cn:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate")).toEqual(["2026-11-02"]);
    expect(ubl(ublXml, "/cn:CreditNote/cac:CreditNoteLine/cbc:CreditedQuantity")).toEqual(["1", "3"]);
  });

  it("a customer without VAT number (SIREN only)", async () => {
    const inv = await issue(customers.noVat!, [{ description: "Audit énergétique", quantity: "1", unitPriceCents: 98000, vatRateBp: 2000, kind: S }]);
    const { xml } = await checkAll(inv);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration")).toEqual([]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID[@schemeID='0225']")).toHaveLength(1);
  });

  it("long texts with &, <, quotes and accents survive escaping exactly", async () => {
    const notes = "Livraison & pose <urgent> — « merci » d'avance !";
    const inv = await issue(customers.special!, [{ description: LONG_TEXT, quantity: "1", unitPriceCents: 125050, vatRateBp: 2000, kind: S }], { notes });
    const { xml, ublXml } = await checkAll(inv);
    const firstLine = LONG_TEXT.split("\n")[0]!;
    expect(cii(xml, "//ram:SpecifiedTradeProduct/ram:Name")).toEqual([firstLine]);
    expect(cii(xml, "//ram:SpecifiedTradeProduct/ram:Description")).toEqual([LONG_TEXT]);
    expect(cii(xml, "//ram:IncludedNote[ram:SubjectCode='AAI']/ram:Content")).toEqual([notes]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:Name")).toEqual(["Dupont & Fils <Éclairage> « L'Atelier »"]);
    expect(cii(xml, "//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:LineOne")).toEqual(["12 rue de l'Église & du Marché"]);
    expect(xml).toContain("Dupont &amp; Fils &lt;Éclairage&gt; « L'Atelier »");
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#)/);
    expect(ubl(ublXml, "//cac:InvoiceLine/cac:Item/cbc:Description")).toEqual([LONG_TEXT]);
    expect(ubl(ublXml, "/inv:Invoice/cbc:Note[1]")).toEqual([`#AAI#${notes}`]);
  });

  it("profile=basic: BASIC guideline, the schema and the French rules pass; the EN 16931 rules reject only the guideline id", async () => {
    const inv = await issue(customers.pro!, [
      { description: "Suspension laiton\nfinition brossée", quantity: "2", unitPriceCents: 18900, discountCents: 800, vatRateBp: 2000, kind: G },
      { description: "Pose", quantity: "1", unitPriceCents: 45000, vatRateBp: 1000, kind: S },
    ]);
    const xml = await getXml(o.companyId, inv.id, "cii.xml", "?profile=basic");
    expect(cii(xml, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")).toEqual(["urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"]);
    expect(cii(xml, "//ram:SpecifiedTradeProduct/ram:Description")).toEqual([]);
    expect(cii(xml, "//ram:SpecifiedTradeProduct/ram:Name")).toEqual(["Suspension laiton finition brossée", "Pose"]);
    expect(cii(xml, "//ram:DefinedTradeContact")).toEqual([]);
    expect(xsdErrors(xml)).toBeNull();
    expect(v.frCtc.check(xml)).toEqual([]);
    // The EN16931 artefacts here check the EN 16931 guideline only (BASIC has its own, not available offline).
    const failed = v.en16931.check(xml);
    expect(failed.map((f) => f.id)).toEqual(["FX-SCH-A-000026"]);
    expect(failed[0]!.location).toContain("GuidelineSpecifiedDocumentContextParameter");
    expectSameCents(xml, inv);
    const en = await getXml(o.companyId, inv.id, "cii.xml", "?profile=en16931");
    expectValidCii(en);
  });

  it("a consumer with neither SIREN nor e-mail: valid EN 16931; the French CTC flow would need an electronic address (BR-FR-12)", async () => {
    const inv = await issue(customers.consumer!, [{ description: "Lampe de chevet", quantity: "1", unitPriceCents: 8900, vatRateBp: 2000, kind: G }]);
    const xml = await getXml(o.companyId, inv.id, "cii.xml");
    expect(xsdErrors(xml)).toBeNull();
    expect(v.en16931.check(xml)).toEqual([]);
    expect(v.frCtc.check(xml).map((f) => f.id)).toEqual(["BR-FR-12_BT-49"]);
    expectSameCents(xml, inv);
  });
});

describe("the validation itself is not vacuous", () => {
  it("catches a wrong total, a missing mandatory note, a bad number and a schema violation", async () => {
    const inv = await issue(customers.pro!, [{ description: "Conseil", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: S }]);
    const xml = await getXml(o.companyId, inv.id, "cii.xml");
    expectValidCii(xml);
    const wrongTotal = xml.replace("<ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>", "<ram:GrandTotalAmount>120.01</ram:GrandTotalAmount>");
    expect(wrongTotal).not.toBe(xml);
    expect(v.en16931.check(wrongTotal).map((f) => f.rule)).toContain("BR-CO-15");
    const noPmt = xml.replace(/<ram:IncludedNote>\s*<ram:Content>[^<]*<\/ram:Content>\s*<ram:SubjectCode>PMT<\/ram:SubjectCode>\s*<\/ram:IncludedNote>/, "");
    expect(noPmt).not.toBe(xml);
    expect(v.frCtc.check(noPmt).map((f) => f.id)).toEqual(["BR-FR-05_BT-22_PMT"]);
    const badNumber = xml.replace(`<ram:ID>${inv.number}</ram:ID>`, `<ram:ID>${inv.number} bis</ram:ID>`);
    expect(v.frCtc.check(badNumber).map((f) => f.id)).toEqual(["BR-FR-02_BT-1"]);
    const noCurrency = xml.replace("<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>", "");
    expect(xsdErrors(noCurrency)).toContain("InvoiceCurrencyCode");
  });
});

describe("e-invoice endpoints: errors and access", () => {
  it("a draft has no e-invoice (409); unknown or invisible invoices answer 404; a bad profile 422", async () => {
    const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, {
      token: o.token,
      body: { customerId: customers.pro, lines: [{ description: "x", quantity: "1", unitPriceCents: 100, vatRateBp: 2000 }] },
    });
    for (const kind of ["cii.xml", "ubl.xml"]) {
      const res = await t.call("GET", `/companies/${o.companyId}/invoices/${draft.json.id}/${kind}`, { token: o.token });
      expect(res.status).toBe(409);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.json.detail).toContain("issue it first");
    }
    expect((await t.call("GET", `/companies/${o.companyId}/invoices/nope/cii.xml`, { token: o.token })).status).toBe(404);
    const stranger = await ownerWithCompany(t);
    const inv = await issue(customers.pro!, [{ description: "Conseil", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: S }]);
    expect((await t.call("GET", `/companies/${o.companyId}/invoices/${inv.id}/cii.xml`, { token: stranger.token })).status).toBe(404);
    expect((await t.call("GET", `/companies/${stranger.companyId}/invoices/${inv.id}/ubl.xml`, { token: stranger.token })).status).toBe(404);
    expect((await t.call("GET", `/companies/${o.companyId}/invoices/${inv.id}/cii.xml`)).status).toBe(401);
    const bad = await t.call("GET", `/companies/${o.companyId}/invoices/${inv.id}/cii.xml?profile=extended`, { token: o.token });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([{ path: "profile", message: "must be en16931 (default) or basic" }]);
  });

  it("an intra-EU invoice to a customer without VAT number cannot be a valid e-invoice: 409 naming the field and BR-IC-02", async () => {
    const inv = await issue(customers.deNoVat!, [{ description: "Suspension laiton", quantity: "1", unitPriceCents: 18900, vatRateBp: 0, kind: G }], {
      vatExemption: "intra_eu",
    });
    const res = await t.call("GET", `/companies/${o.companyId}/invoices/${inv.id}/cii.xml`, { token: o.token });
    expect(res.status).toBe(409);
    expect(res.json.errors).toEqual([{ path: "buyer.vatNumber", message: "an intra-EU supply needs the customer's VAT number (BR-IC-02)" }]);
  });

  it("the XML is frozen with the invoice: later changes to the customer and company do not alter it", async () => {
    const inv = await issue(customers.noVat!, [{ description: "Conseil", quantity: "2", unitPriceCents: 10000, vatRateBp: 2000, kind: S }]);
    const before = await getXml(o.companyId, inv.id, "cii.xml");
    expect((await t.call("PATCH", `/companies/${o.companyId}/customers/${customers.noVat}`, { token: o.token, body: { name: "Autre nom" } })).status).toBe(200);
    expect((await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { iban: "FR76 1111 2222 3333 4444 5555 666" } })).status).toBe(200);
    const after = await getXml(o.companyId, inv.id, "cii.xml");
    expect(after).toBe(before);
    expect(cii(after, "//ram:BuyerTradeParty/ram:Name")).toEqual(["Cabinet Martin et Associés"]);
  });
});

describe("date, place and VAT option of the supply (BT-72, BG-14, BG-15, BT-8)", () => {
  let debits: { companyId: string; customerId: string };
  const SITE = { line1: "Chantier Part-Dieu", line2: "Bâtiment B", postalCode: "69003", city: "Lyon", country: "FR" };
  const tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax";

  beforeAll(async () => {
    // A consultancy that opted to pay VAT on its services d'après les débits.
    const company = await t.call("POST", "/companies", {
      token: o.token,
      body: { name: "Conseil Débits SAS", siren: siren("73282932"), address: { line1: "1 rue de la Paix", postalCode: "75002", city: "Paris", country: "FR" }, vatOnDebits: true },
    });
    expect(company.status, company.text).toBe(201);
    const customer = await t.call("POST", `/companies/${company.json.id}/customers`, { token: o.token, body: CUSTOMER });
    debits = { companyId: company.json.id, customerId: customer.json.id };
  });

  it("an invoice with the date of the service, its period and a delivery address; the seller under the option for débits", async () => {
    const inv = await issue(
      debits.customerId,
      [
        { description: "Maintenance de l'éclairage", quantity: "1", unitPriceCents: 48000, vatRateBp: 2000, kind: S },
        { description: "Relamping", quantity: "2", unitPriceCents: 9500, vatRateBp: 1000, kind: S },
      ],
      { deliveryDate: "2026-10-31", servicePeriod: { from: "2026-10-01", to: "2026-10-31" }, deliveryAddress: SITE },
      debits.companyId,
    );
    const { xml, ublXml } = await checkAll(inv, debits.companyId);
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
    // the rules do look at it: a code outside the list (UNTDID 2475 subset 5, 29, 72) is refused
    expect(v.en16931.check(xml.replaceAll("<ram:DueDateTypeCode>5<", "<ram:DueDateTypeCode>3<")).map((f) => f.id)).toEqual(["FX-SCH-A-000180", "FX-SCH-A-000180"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:InvoicePeriod/cbc:StartDate")).toEqual(["2026-10-01"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:InvoicePeriod/cbc:EndDate")).toEqual(["2026-10-31"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:InvoicePeriod/cbc:DescriptionCode")).toEqual(["3"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:Delivery/cbc:ActualDeliveryDate")).toEqual(["2026-10-31"]);
    expect(ubl(ublXml, "/inv:Invoice/cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:StreetName")).toEqual(["Chantier Part-Dieu"]);

    // its credit note repeats the date, period and place of the sale, and the option
    const credit = await t.call("POST", `/companies/${debits.companyId}/invoices/${inv.id}/credit-note`, { token: o.token, body: { issueDate: "2026-11-10" } });
    expect(credit.status, credit.text).toBe(201);
    const cn = await checkAll(credit.json, debits.companyId);
    expect(cii(cn.xml, "//ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString")).toEqual(["20261031"]);
    expect(cii(cn.xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:LineOne")).toEqual(["Chantier Part-Dieu"]);
    expect(cii(cn.xml, `${tax}/ram:DueDateTypeCode`)).toEqual(["5", "5"]);
    expect(ubl(cn.ublXml, "/cn:CreditNote/cac:InvoicePeriod/cbc:DescriptionCode")).toEqual(["3"]);
  });

  it("a period alone dates the supply at its end; without the option no BT-8 is written", async () => {
    const inv = await issue(customers.pro!, [{ description: "Abonnement maintenance", quantity: "1", unitPriceCents: 12000, vatRateBp: 2000, kind: S }], {
      servicePeriod: { from: "2026-10-01", to: "2026-10-31" },
    });
    const { xml, ublXml } = await checkAll(inv);
    expect(cii(xml, "//ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString")).toEqual(["20261031"]);
    expect(cii(xml, "//ram:ShipToTradeParty")).toEqual([]);
    expect(cii(xml, `${tax}/ram:DueDateTypeCode`)).toEqual([]);
    expect(ubl(ublXml, "/inv:Invoice/cac:InvoicePeriod/cbc:DescriptionCode")).toEqual([]);
  });

  it("an intra-EU supply delivered to another address ships there, not to the customer's", async () => {
    const warehouse = { line1: "Lagerstraße 7", postalCode: "20095", city: "Hamburg", country: "DE" };
    const inv = await issue(customers.de!, [{ description: "Suspension laiton", quantity: "10", unitPriceCents: 18900, vatRateBp: 0, kind: G }], {
      vatExemption: "intra_eu",
      deliveryDate: "2026-10-29",
      deliveryAddress: warehouse,
    });
    const { xml } = await checkAll(inv);
    expect(cii(xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CityName")).toEqual(["Hamburg"]);
    expect(cii(xml, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID")).toEqual(["DE"]);
    expect(cii(xml, "//ram:ActualDeliverySupplyChainEvent//udt:DateTimeString")).toEqual(["20261029"]);
  });

  it("an exempt invoice of a seller under the option carries no BT-8 (no VAT is due)", async () => {
    const inv = await issue(
      debits.customerId,
      [{ description: "Sous-traitance", quantity: "1", unitPriceCents: 240000, vatRateBp: 0, kind: S }],
      { vatExemption: "reverse_charge" },
      debits.companyId,
    );
    const { xml } = await checkAll(inv, debits.companyId);
    expect(cii(xml, `${tax}/ram:CategoryCode`)).toEqual(["AE"]);
    expect(cii(xml, `${tax}/ram:DueDateTypeCode`)).toEqual([]);
  });
});
