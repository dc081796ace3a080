/**
 * The XMP packet of the PDF/A files pdfkit writes (invoice PDFs, the journal register): well-formed
 * whatever the company is called, and saying what the Info dictionary says.
 */
import { describe, expect, it } from "vitest";
import { PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { COMPANY, CUSTOMER, createTestApp, draftBody, signupOwner, type TestApp } from "./helpers.js";
import { wellFormednessErrors, xpath } from "./xml-query.js";

const NS = {
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  dc: "http://purl.org/dc/elements/1.1/",
  xmp: "http://ns.adobe.com/xap/1.0/",
  pdf: "http://ns.adobe.com/pdf/1.3/",
  pdfaid: "http://www.aiim.org/pdfa/ns/id/",
};
const NAME = `Dupont & Fils <SARL> "l'Atelier" > 1`;

async function download(t: TestApp, token: string, url: string): Promise<Uint8Array> {
  const res = await t.app.request(`/api/v1${url}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, url).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

async function metadataOf(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const stream = doc.catalog.lookup(PDFName.of("Metadata"));
  if (!(stream instanceof PDFRawStream)) throw new Error("no XMP metadata stream");
  return { doc, xmp: Buffer.from(stream.getContents()).toString("utf8") };
}

async function companyNamedWithMarkup() {
  const t = createTestApp();
  const owner = await signupOwner(t);
  const company = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name: NAME } });
  expect(company.status).toBe(201);
  const companyId = company.json.id as string;
  const customer = await t.call("POST", `/companies/${companyId}/customers`, { token: owner.token, body: CUSTOMER });
  const draft = await t.call("POST", `/companies/${companyId}/invoices`, { token: owner.token, body: draftBody(customer.json.id) });
  const issued = await t.call("POST", `/companies/${companyId}/invoices/${draft.json.id}/issue`, { token: owner.token, body: { issueDate: "2026-11-02" } });
  expect(issued.status).toBe(200);
  return { t, token: owner.token, companyId, invoice: issued.json as { id: string; number: string } };
}

describe("XMP metadata of PDF/A documents", () => {
  it("an invoice PDF of a company named with & < > \" ': well-formed, and equal to the Info dictionary", async () => {
    const { t, token, companyId, invoice } = await companyNamedWithMarkup();
    const { doc, xmp } = await metadataOf(await download(t, token, `/companies/${companyId}/invoices/${invoice.id}/pdf`));
    expect(wellFormednessErrors(xmp)).toBeNull();
    expect(xmp).toContain("Dupont &amp; Fils &lt;SARL&gt;");

    expect(doc.getTitle()).toBe(`Facture ${invoice.number}`);
    expect(doc.getAuthor()).toBe(NAME);
    expect(doc.getProducer()).toBe("Passerelle (pdfkit)");
    expect(doc.getCreator()).toBe("Passerelle");
    const read = (expr: string) => xpath(xmp, expr, NS);
    expect(read("//dc:title//rdf:li")).toEqual([`Facture ${invoice.number}`]);
    expect(read("//dc:creator//rdf:li")).toEqual([NAME]);
    expect(read("//dc:description//rdf:li")).toEqual([doc.getSubject()!]);
    expect(read("//pdf:Producer")).toEqual(["Passerelle (pdfkit)"]);
    expect(read("//xmp:CreatorTool")).toEqual(["Passerelle"]);
    const infoDate = (d: Date | undefined) => d!.toISOString().replace(/\.\d{3}Z$/, "Z");
    expect(read("//xmp:CreateDate")).toEqual([infoDate(doc.getCreationDate())]);
    expect(read("//xmp:ModifyDate")).toEqual([infoDate(doc.getModificationDate())]);
    expect(read("//pdfaid:part")).toEqual(["3"]);
    expect(read("//pdfaid:conformance")).toEqual(["B"]);
    // one value per property: pdfkit's own unescaped ones are gone
    expect(read("//pdf:Producer | //dc:title | //dc:creator | //xmp:CreatorTool").length).toBe(4);
  });

  it("the sales journal register of that company: well-formed too", async () => {
    const { t, token, companyId } = await companyNamedWithMarkup();
    const { doc, xmp } = await metadataOf(await download(t, token, `/companies/${companyId}/exports/sales-journal.pdf?from=2026-11-01&to=2026-11-30`));
    expect(wellFormednessErrors(xmp)).toBeNull();
    expect(xpath(xmp, "//dc:title//rdf:li", NS)).toEqual([`Journal des ventes — ${NAME}`]);
    expect(xpath(xmp, "//dc:title//rdf:li", NS)).toEqual([doc.getTitle()!]);
    expect(xpath(xmp, "//dc:creator//rdf:li", NS)).toEqual([NAME]);
    expect(xpath(xmp, "//pdf:Producer", NS)).toEqual([doc.getProducer()!]);
  });
});
