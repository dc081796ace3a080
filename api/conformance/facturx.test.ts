/**
 * Conformance: the documents of the e-invoice matrix (test/facturx-cases.ts) against the official
 * Factur-X artefacts — the EN16931 XSD (xmllint), the EN 16931 schematron and the French CTC
 * schematron (SaxonJS) — with 0 failed asserts, and the rules shown to catch what they should.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CREDIT_NOTES, INVOICES, openFacturXMatrix, type CreditNoteCaseName, type FacturXMatrix, type InvoiceCaseName } from "../test/facturx-cases.js";
import { embeddedXml } from "../test/facturx-pdf-read.js";
import { loadValidators, xsdErrors } from "./facturx-validation.js";

// At load, not in a hook: without the official files this file fails with the reason, and nothing is skipped.
const v = await loadValidators();
let m: FacturXMatrix;

beforeAll(async () => {
  m = await openFacturXMatrix();
}, 180_000);

function expectConformant(xml: string): void {
  expect(xsdErrors(xml)).toBeNull();
  expect(v.en16931.check(xml)).toEqual([]);
  expect(v.frCtc.check(xml)).toEqual([]);
}

/** A consumer has no electronic address, which only the French CTC rules require (below). */
const CONFORMANT = (Object.keys(INVOICES) as InvoiceCaseName[]).filter((name) => name !== "consumer");

describe("every document of the matrix passes the Factur-X EN16931 XSD and the EN 16931 and French CTC schematrons", () => {
  it.each(CONFORMANT)("invoice: %s", async (name) => {
    const invoice = await m.issueCase(name);
    expectConformant(await m.xml(INVOICES[name].seller, invoice.id, "cii.xml"));
  });

  it.each(Object.keys(CREDIT_NOTES) as CreditNoteCaseName[])("credit note: %s", async (name) => {
    const { creditNote } = await m.creditCase(name);
    expectConformant(await m.xml(INVOICES[CREDIT_NOTES[name].of].seller, creditNote.id, "cii.xml"));
  });

  it("the XML embedded in the Factur-X PDF of an invoice and of a credit note", async () => {
    const { invoice, creditNote } = await m.creditCase("partial");
    for (const document of [invoice, creditNote]) {
      const res = await m.t.app.request(`/api/v1/companies/${m.sellers.main.companyId}/invoices/${document.id}/facturx.pdf`, {
        headers: { authorization: `Bearer ${m.token}` },
      });
      expect(res.status).toBe(200);
      const xml = await embeddedXml(new Uint8Array(await res.arrayBuffer()));
      expect(xml).not.toBeNull();
      expectConformant(xml!);
    }
  });
});

describe("what the official rules say beyond that", () => {
  it("profile=basic: the XSD and the French rules pass; the EN 16931 rules reject only the guideline id", async () => {
    const invoice = await m.issueCase("basicProfile");
    const xml = await m.xml("main", invoice.id, "cii.xml", "?profile=basic");
    expect(xsdErrors(xml)).toBeNull();
    expect(v.frCtc.check(xml)).toEqual([]);
    // The EN16931 artefacts check the EN 16931 guideline only (BASIC has its own schematron).
    const failed = v.en16931.check(xml);
    expect(failed.map((f) => f.id)).toEqual(["FX-SCH-A-000026"]);
    expect(failed[0]!.location).toContain("GuidelineSpecifiedDocumentContextParameter");
  });

  it("a consumer with neither SIREN nor e-mail: valid EN 16931; the French CTC flow would need an electronic address (BR-FR-12)", async () => {
    const invoice = await m.issueCase("consumer");
    const xml = await m.xml("main", invoice.id, "cii.xml");
    expect(xsdErrors(xml)).toBeNull();
    expect(v.en16931.check(xml)).toEqual([]);
    expect(v.frCtc.check(xml).map((f) => f.id)).toEqual(["BR-FR-12_BT-49"]);
  });

  it("BT-8 is read: a code outside UNTDID 2475's subset (5, 29, 72) is refused on each VAT breakdown", async () => {
    const invoice = await m.issueCase("supplyUnderDebits");
    const xml = await m.xml("debits", invoice.id, "cii.xml");
    const wrongCode = xml.replaceAll("<ram:DueDateTypeCode>5<", "<ram:DueDateTypeCode>3<");
    expect(wrongCode).not.toBe(xml);
    expect(v.en16931.check(wrongCode).map((f) => f.id)).toEqual(["FX-SCH-A-000180", "FX-SCH-A-000180"]);
  });
});

describe("the validation itself is not vacuous", () => {
  it("catches a wrong total, a missing mandatory note, a bad number and a schema violation", async () => {
    const invoice = await m.issueCase("oneRate");
    const xml = await m.xml("main", invoice.id, "cii.xml");
    expectConformant(xml);
    const wrongTotal = xml.replace("<ram:GrandTotalAmount>1500.00</ram:GrandTotalAmount>", "<ram:GrandTotalAmount>1500.01</ram:GrandTotalAmount>");
    expect(wrongTotal).not.toBe(xml);
    expect(v.en16931.check(wrongTotal).map((f) => f.rule)).toContain("BR-CO-15");
    const noPmt = xml.replace(/<ram:IncludedNote>\s*<ram:Content>[^<]*<\/ram:Content>\s*<ram:SubjectCode>PMT<\/ram:SubjectCode>\s*<\/ram:IncludedNote>/, "");
    expect(noPmt).not.toBe(xml);
    expect(v.frCtc.check(noPmt).map((f) => f.id)).toEqual(["BR-FR-05_BT-22_PMT"]);
    const badNumber = xml.replace(`<ram:ID>${invoice.number}</ram:ID>`, `<ram:ID>${invoice.number} bis</ram:ID>`);
    expect(badNumber).not.toBe(xml);
    expect(v.frCtc.check(badNumber).map((f) => f.id)).toEqual(["BR-FR-02_BT-1"]);
    const noCurrency = xml.replace("<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>", "");
    expect(noCurrency).not.toBe(xml);
    expect(xsdErrors(noCurrency)).toContain("InvoiceCurrencyCode");
  });
});

// Last: the deposits are issued on 20 November, after every other document of the matrix.
describe("deposits and balance invoices", () => {
  it("a deposit (386), the credit note of a deposit (503) and the balance invoice (M4, deposits as allowances) pass, CII and the PDF's XML", async () => {
    const { deposit, credited, creditNote, balance } = await m.depositCase();
    for (const document of [deposit, credited, creditNote, balance]) {
      const xml = await m.xml("main", document.id, "cii.xml");
      expectConformant(xml);
      const res = await m.t.app.request(`/api/v1/companies/${m.sellers.main.companyId}/invoices/${document.id}/facturx.pdf`, {
        headers: { authorization: `Bearer ${m.token}` },
      });
      expect(res.status).toBe(200);
      expect(await embeddedXml(new Uint8Array(await res.arrayBuffer()))).toBe(xml);
    }
    const type = (xml: string) => /<rsm:ExchangedDocument>[\s\S]*?<ram:TypeCode>(\d+)</.exec(xml)![1];
    expect(type(await m.xml("main", deposit.id, "cii.xml"))).toBe("386");
    expect(type(await m.xml("main", creditNote.id, "cii.xml"))).toBe("503");
    const xml = await m.xml("main", balance.id, "cii.xml");
    expect(type(xml)).toBe("380");
    expect(xml).toContain("<ram:ID>M4</ram:ID>");
    expect(xml.match(/<ram:SpecifiedTradeAllowanceCharge>/g)?.length).toBe(2);
    expect(xml).toContain(`<ram:Reason>Acompte ${deposit.number} du 20/11/2026</ram:Reason>`);
    expect(xml).not.toContain(credited.number);
    expect(xml).toContain(`<ram:GrandTotalAmount>${(balance.totals.ttcCents / 100).toFixed(2)}</ram:GrandTotalAmount>`);
  });

  it("the rules see the deposits: dropping a deposit's allowance breaks the rate's base (BR-S-08) and the allowance total (BR-CO-11)", async () => {
    const { balance } = await m.depositCase();
    const xml = await m.xml("main", balance.id, "cii.xml");
    const dropped = xml.replace(/<ram:SpecifiedTradeAllowanceCharge>[\s\S]*?<\/ram:SpecifiedTradeAllowanceCharge>/, "");
    expect(dropped).not.toBe(xml);
    expect(v.en16931.check(dropped).map((f) => f.rule)).toEqual(["BR-S-08", "BR-CO-11"]);
  });
});
