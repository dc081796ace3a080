import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { billingFramework, buildCii, buildUbl, einvoiceProblems, escapeXmlText, invoiceTotals, vatCategory, type EInvoiceDocument } from "../src/index.js";
import { compactIban, decimalAmount, decimalRate, itemName, sellerLegalMentions, supplyDate, taxPointDateCode } from "../src/einvoice/model.js";
import { buyerEndpoint } from "../src/einvoice/cii.js";
import { el, leaf, serializeXml } from "../src/einvoice/xml.js";

function doc(over: Partial<EInvoiceDocument> = {}): EInvoiceDocument {
  const lines = over.lines ?? [{ position: 1, description: "Conseil", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, discountCents: 0, kind: "services" as const }];
  return {
    type: "invoice",
    number: "F2026-00001",
    issueDate: "2026-11-02",
    dueDate: "2026-12-02",
    seller: {
      name: "Atelier",
      siren: "853904811",
      vatNumber: "FR26853904811",
      address: { line1: "14 rue des Tanneurs", postalCode: "69002", city: "Lyon", country: "FR" },
      legalForm: "SARL",
      capital: "10 000 €",
      rcsCity: "Lyon",
      email: null,
      phone: null,
      iban: null,
      latePenaltyRate: null,
      earlyPaymentDiscount: null,
      vatOnDebits: false,
    },
    buyer: { code: "C0001", name: "Client", siren: "401234562", vatNumber: null, email: null, address: { line1: "1 rue", postalCode: "69001", city: "Lyon", country: "FR" } },
    lines,
    totals: invoiceTotals(lines),
    vatExemption: null,
    notes: null,
    corrects: null,
    deliveryDate: null,
    servicePeriod: null,
    deliveryAddress: null,
    ...over,
  };
}

describe("XML writing", () => {
  it("escapes &, <, > and quotes, keeps accents, drops characters XML cannot carry", () => {
    expect(escapeXmlText("Dupont & Fils <Éclairage> « ça »")).toBe("Dupont &amp; Fils &lt;Éclairage&gt; « ça »");
    expect(escapeXmlText("a\u0000b\u0007c\r\nd")).toBe("abc\nd");
    const xml = serializeXml(el("r", { a: 'x"y&z' }, leaf("t", "1 < 2"), leaf("empty", "  "), leaf("none", null), el("gone", null, leaf("x", ""))));
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<r a="x&quot;y&amp;z">\n  <t>1 &lt; 2</t>\n</r>\n');
  });

  it("a text that needs nothing comes back after one test, and every text escapes as by the full rules", () => {
    const invalid = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
    const fullRules = (v: string) => v.replace(invalid, "").replace(/\r\n?/g, "\n").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const pieces = fc.constantFrom("&", "<", ">", "\r", "\r\n", "\u0000", "\u001f", "\ufffe", "\ud83d", "\ude00", "😀", "é", "€", " ", "a", '"');
    const texts = fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), fc.array(pieces).map((p) => p.join("")));
    fc.assert(
      fc.property(texts, (text) => {
        expect(escapeXmlText(text)).toBe(fullRules(text));
      }),
      { numRuns: 2000 },
    );
    const plain = "Boulangerie Dupont — 12 rue de la Paix, 75002 Paris";
    expect(escapeXmlText(plain)).toBe(plain);
  });
});

describe("e-invoice values", () => {
  it("writes amounts and rates with a point and two decimals, from integers", () => {
    expect([decimalAmount(0), decimalAmount(5), decimalAmount(3604), decimalAmount(-1250), decimalAmount(99_999_999_999)]).toEqual([
      "0.00",
      "0.05",
      "36.04",
      "-12.50",
      "999999999.99",
    ]);
    expect([2000, 1000, 550, 210, 175, 105, 90, 0].map(decimalRate)).toEqual(["20.00", "10.00", "5.50", "2.10", "1.75", "1.05", "0.90", "0.00"]);
  });

  it("maps rates and exemptions to VAT categories with VATEX codes", () => {
    expect(vatCategory(2000, null)).toEqual({ code: "S", exemptionCode: null, exemptionReason: null });
    expect(vatCategory(0, "franchise")).toEqual({ code: "E", exemptionCode: "VATEX-FR-FRANCHISE", exemptionReason: "TVA non applicable, art. 293 B du CGI" });
    expect(vatCategory(0, "reverse_charge")).toEqual({ code: "AE", exemptionCode: "VATEX-EU-AE", exemptionReason: "Autoliquidation" });
    expect(vatCategory(0, "intra_eu")).toEqual({ code: "K", exemptionCode: "VATEX-EU-IC", exemptionReason: "Exonération de TVA, art. 262 ter I du CGI" });
    expect(vatCategory(0, "export")).toEqual({ code: "G", exemptionCode: "VATEX-EU-G", exemptionReason: "Exonération de TVA, art. 262 I du CGI" });
    expect(vatCategory(0, null).code).toBe("Z");
  });

  it("names the billing framework from the lines' kinds and compacts IBANs", () => {
    expect(billingFramework([{ kind: "goods" }])).toBe("B1");
    expect(billingFramework([{ kind: "services" }])).toBe("S1");
    expect(billingFramework([{ kind: "goods" }, { kind: "services" }])).toBe("M1");
    expect(compactIban("fr76 3000 6000 0112 3456 7890 189")).toBe("FR7630006000011234567890189");
    expect(compactIban("voir RIB joint")).toBeNull();
    expect(itemName("\n  Première ligne  \nseconde")).toBe("Première ligne");
    expect(sellerLegalMentions(doc().seller)).toBe("SARL au capital de 10 000 € — RCS Lyon 853 904 811");
    expect(sellerLegalMentions({ ...doc().seller, legalForm: null, rcsCity: null })).toBe("Capital de 10 000 €");
  });

  it("addresses the buyer by SIREN, else by an e-mail the French rules accept (≤ 125 characters)", () => {
    const b = doc().buyer;
    expect(buyerEndpoint(b)).toEqual({ scheme: "0225", id: "401234562" });
    expect(buyerEndpoint({ ...b, siren: null, email: "a@b.fr" })).toEqual({ scheme: "EM", id: "a@b.fr" });
    expect(buyerEndpoint({ ...b, siren: null, email: `${"a".repeat(121)}@b.fr` })).toBeNull(); // 126 characters
  });
});

describe("what prevents a valid e-invoice", () => {
  it("accepts a consistent invoice", () => {
    expect(einvoiceProblems(doc())).toEqual([]);
  });

  it("names the field and the rule", () => {
    const lines = [{ position: 1, description: "x", quantity: "1", unitPriceCents: 1000, vatRateBp: 0, discountCents: 0, kind: "goods" as const }];
    expect(einvoiceProblems(doc({ lines, vatExemption: "intra_eu", seller: { ...doc().seller, vatNumber: null } }))).toEqual([
      { path: "seller.vatNumber", message: "an intra-EU supply needs the seller's VAT number (BR-IC-02)" },
      { path: "buyer.vatNumber", message: "an intra-EU supply needs the customer's VAT number (BR-IC-02)" },
    ]);
    expect(einvoiceProblems(doc({ number: "F 2026 1" }))).toEqual([{ path: "number", message: "must be 1–35 characters from A–Z a–z 0–9 + - _ / (BR-FR-01, BR-FR-02)" }]);
    expect(einvoiceProblems(doc({ type: "credit_note" }))[0]!.path).toBe("corrects");
    const wrong = doc();
    wrong.totals = { ...wrong.totals, vatCents: 600, ttcCents: 3603, byRate: [{ vatRateBp: 2000, baseCents: 3003, vatCents: 600 }] };
    expect(einvoiceProblems(wrong)).toEqual([]); // a capped credit-note VAT is the stored truth; only coherence is checked
    wrong.totals = { ...wrong.totals, ttcCents: 3604 };
    expect(einvoiceProblems(wrong)).toEqual([{ path: "totals.ttcCents", message: "must equal HT + VAT (BR-CO-15)" }]);
  });
});

describe("builders", () => {
  it("give the same bytes for the same document, and carry the stored totals", () => {
    const d = doc();
    expect(buildCii(d)).toBe(buildCii(structuredClone(d)));
    expect(buildCii(d)).toContain("<ram:CalculatedAmount>6.01</ram:CalculatedAmount>");
    expect(buildUbl(d)).toContain('<cbc:TaxAmount currencyID="EUR">6.01</cbc:TaxAmount>');
    expect(buildUbl(doc({ type: "credit_note", corrects: { number: "F2026-00001", issueDate: "2026-11-02" } }))).toMatch(/^<\?xml[^>]*>\n<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/);
  });
});

describe("the date, place and VAT option of the supply", () => {
  const debits = (over: Partial<EInvoiceDocument> = {}) => {
    const d = doc(over);
    return { ...d, seller: { ...d.seller, vatOnDebits: true } };
  };

  it("dates the supply (BT-72) by the stated date, else the end of the period, else the corrected invoice, else the invoice", () => {
    const period = { from: "2026-10-01", to: "2026-10-31" };
    expect(supplyDate(doc({ deliveryDate: "2026-10-28", servicePeriod: period }))).toBe("2026-10-28");
    expect(supplyDate(doc({ servicePeriod: period }))).toBe("2026-10-31");
    expect(supplyDate(doc({ type: "credit_note", issueDate: "2026-11-10", corrects: { number: "F2026-00001", issueDate: "2026-11-02" } }))).toBe("2026-11-02");
    expect(supplyDate(doc())).toBe("2026-11-02");
  });

  it("codes VAT due on invoicing as 5 (CII) / 3 (UBL) only under the option for débits and where VAT is charged", () => {
    expect(taxPointDateCode(doc(), "cii")).toBeNull();
    expect(taxPointDateCode(debits(), "cii")).toBe("5");
    expect(taxPointDateCode(debits(), "ubl")).toBe("3");
    const exempt = [{ position: 1, description: "x", quantity: "1", unitPriceCents: 1000, vatRateBp: 0, discountCents: 0, kind: "services" as const }];
    expect(taxPointDateCode(debits({ lines: exempt, totals: invoiceTotals(exempt), vatExemption: "reverse_charge" }), "cii")).toBeNull();
  });

  it("writes BT-72, BG-14, BG-15 and BT-8 into CII and UBL", () => {
    const d = debits({
      deliveryDate: "2026-10-28",
      servicePeriod: { from: "2026-10-01", to: "2026-10-31" },
      deliveryAddress: { line1: "Chantier Part-Dieu", line2: "Bâtiment B", postalCode: "69003", city: "Lyon", country: "FR" },
    });
    const cii = buildCii(d);
    expect(cii).toContain(
      [
        "<ram:ShipToTradeParty>",
        "        <ram:Name>Client</ram:Name>",
        "        <ram:PostalTradeAddress>",
        "          <ram:PostcodeCode>69003</ram:PostcodeCode>",
        "          <ram:LineOne>Chantier Part-Dieu</ram:LineOne>",
        "          <ram:LineTwo>Bâtiment B</ram:LineTwo>",
        "          <ram:CityName>Lyon</ram:CityName>",
        "          <ram:CountryID>FR</ram:CountryID>",
        "        </ram:PostalTradeAddress>",
        "      </ram:ShipToTradeParty>",
      ].join("\n"),
    );
    expect(cii).toContain('<udt:DateTimeString format="102">20261028</udt:DateTimeString>');
    expect(cii).toContain("<ram:DueDateTypeCode>5</ram:DueDateTypeCode>\n        <ram:RateApplicablePercent>20.00</ram:RateApplicablePercent>");
    expect(cii).toMatch(/<ram:BillingSpecifiedPeriod>\s*<ram:StartDateTime>\s*<udt:DateTimeString format="102">20261001<\/udt:DateTimeString>\s*<\/ram:StartDateTime>\s*<ram:EndDateTime>\s*<udt:DateTimeString format="102">20261031<\/udt:DateTimeString>/);
    const ubl = buildUbl(d);
    expect(ubl).toMatch(/<cac:InvoicePeriod>\s*<cbc:StartDate>2026-10-01<\/cbc:StartDate>\s*<cbc:EndDate>2026-10-31<\/cbc:EndDate>\s*<cbc:DescriptionCode>3<\/cbc:DescriptionCode>\s*<\/cac:InvoicePeriod>/);
    expect(ubl).toContain("<cbc:ActualDeliveryDate>2026-10-28</cbc:ActualDeliveryDate>");
    expect(ubl).toMatch(/<cac:DeliveryLocation>\s*<cac:Address>\s*<cbc:StreetName>Chantier Part-Dieu<\/cbc:StreetName>/);
    // none of it without the fields and the option
    const plain = buildCii(doc());
    for (const absent of ["ShipToTradeParty", "DueDateTypeCode", "BillingSpecifiedPeriod"]) expect(plain).not.toContain(absent);
    expect(buildUbl(doc())).not.toContain("InvoicePeriod");
  });
});
