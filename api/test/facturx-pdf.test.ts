/**
 * The Factur-X PDF: the invoice PDF as PDF/A-3b with the CII embedded as factur-x.xml. PDF/A
 * conformance itself cannot be checked offline (no veraPDF here); these tests read the file back
 * with pdf-lib's low-level objects and check the structure Factur-X and PDF/A-3 require, and that
 * the embedded XML is byte for byte the cii.xml endpoint's, with the structure it must have. The
 * conformance suite (api/conformance/) runs the embedded XML through the official files.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber } from "pdf-lib";
import { ApiError, formatEuros, PasserelleClient } from "@passerelle/shared";
import { COMPANY, CUSTOMER, createTestApp, signupOwner, type TestApp } from "./helpers.js";
import { CII_NS, xpath } from "./xml-query.js";
import { ciiStructureErrors } from "./cii-structure.js";
import { embeddedXml, nameText, readFacturX } from "./facturx-pdf-read.js";
import { pdfPlainText } from "./pdf-text.js";
import { download, exportLog, unzip } from "./export-support.js";

const XMP_NS = {
  x: "adobe:ns:meta/",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  pdfaid: "http://www.aiim.org/pdfa/ns/id/",
  dc: "http://purl.org/dc/elements/1.1/",
  xmp: "http://ns.adobe.com/xap/1.0/",
  pdf: "http://ns.adobe.com/pdf/1.3/",
  pdfaExtension: "http://www.aiim.org/pdfa/ns/extension/",
  pdfaSchema: "http://www.aiim.org/pdfa/ns/schema#",
  pdfaProperty: "http://www.aiim.org/pdfa/ns/property#",
  fx: "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
};

let t: TestApp;
let token: string;
let companyId: string;
let customerId: string;

beforeAll(async () => {
  t = createTestApp();
  const owner = await signupOwner(t);
  token = owner.token;
  const company = await t.call("POST", "/companies", {
    token,
    body: { ...COMPANY, name: "Lumière & Fils <Atelier>", iban: "FR76 3000 6000 0112 3456 7890 189" },
  });
  expect(company.status, company.text).toBe(201);
  companyId = company.json.id;
  const customer = await t.call("POST", `/companies/${companyId}/customers`, { token, body: CUSTOMER });
  customerId = customer.json.id;
}, 180_000);

async function issued(lines: any[], issueDate = "2026-11-02") {
  const draft = await t.call("POST", `/companies/${companyId}/invoices`, { token, body: { customerId, lines } });
  expect(draft.status, draft.text).toBe(201);
  const res = await t.call("POST", `/companies/${companyId}/invoices/${draft.json.id}/issue`, { token, body: { issueDate } });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function fetchBytes(url: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers; text: string }> {
  const res = await t.app.request(`/api/v1${url}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, bytes, headers: res.headers, text: Buffer.from(bytes).toString("utf8") };
}

/** Every font used by every page, and whether its program is embedded (FontFile, FontFile2 or FontFile3). */
function pageFonts(doc: PDFDocument): { name: string; embedded: boolean }[] {
  const out: { name: string; embedded: boolean }[] = [];
  for (const page of doc.getPages()) {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of("Font"), PDFDict);
    if (!fonts) continue;
    for (const key of fonts.keys()) {
      const font = fonts.lookup(key, PDFDict);
      const descendant = font.lookupMaybe(PDFName.of("DescendantFonts"), PDFArray)?.lookup(0, PDFDict);
      const descriptor = (descendant ?? font).lookupMaybe(PDFName.of("FontDescriptor"), PDFDict);
      const embedded = Boolean(descriptor && ["FontFile", "FontFile2", "FontFile3"].some((k) => descriptor.get(PDFName.of(k))));
      out.push({ name: nameText(font.get(PDFName.of("BaseFont"))) ?? key.decodeText(), embedded });
    }
  }
  return out;
}

const xmp = (xml: string, expr: string) => xpath(xml, expr, XMP_NS);

describe("GET …/facturx.pdf", () => {
  it("embeds factur-x.xml byte for byte as cii.xml gives it, with the PDF/A-3 and Factur-X structure", async () => {
    const inv = await issued([
      { description: "Suspension laiton", quantity: "2", unitPriceCents: 18900, vatRateBp: 2000, kind: "goods" },
      { description: "Pose & réglage", quantity: "1.5", unitPriceCents: 6000, discountCents: 1000, vatRateBp: 1000, kind: "services" },
    ]);
    const pdf = await fetchBytes(`/companies/${companyId}/invoices/${inv.id}/facturx.pdf`);
    expect(pdf.status, pdf.text.slice(0, 300)).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toContain(`${inv.number}-factur-x.pdf`);
    expect(Buffer.from(pdf.bytes.subarray(0, 8)).toString("latin1")).toBe("%PDF-1.7");

    const cii = await fetchBytes(`/companies/${companyId}/invoices/${inv.id}/cii.xml`);
    const fx = await readFacturX(pdf.bytes);
    // the embedded file, back out of the PDF, is exactly the XML endpoint's bytes
    expect(Buffer.from(fx.file.bytes).equals(Buffer.from(cii.bytes))).toBe(true);
    expect(fx.file.size).toBe(cii.bytes.length);
    const embedded = Buffer.from(fx.file.bytes).toString("utf8");
    expect(ciiStructureErrors(embedded)).toEqual([]);

    expect(fx.treeNames).toEqual(["factur-x.xml"]);
    expect(fx.spec).toEqual({ type: "Filespec", f: "factur-x.xml", uf: "factur-x.xml", relationship: "Data", efUfIsSameFile: true });
    expect(fx.file.type).toBe("EmbeddedFile");
    expect(fx.file.subtype).toBe("text/xml");
    expect(fx.file.modDate).toMatch(/^D:\d{14}Z$/);
    expect(fx.file.creationDate).toBe(fx.file.modDate);
    expect(fx.afRefs).toHaveLength(1);
    expect(fx.afRefs[0]).toBe(fx.specRef);

    // XMP: PDF/A-3 B, the Factur-X extension schema and values, and the information dictionary mirrored
    expect(fx.xmp.subtype).toBe("XML");
    expect(fx.xmp.filter).toBeUndefined(); // metadata stays readable: not compressed
    const meta = fx.xmp.text;
    expect(xmp(meta, "//pdfaid:part")).toEqual(["3"]);
    expect(xmp(meta, "//pdfaid:conformance")).toEqual(["B"]);
    expect(xmp(meta, "//fx:DocumentType")).toEqual(["INVOICE"]);
    expect(xmp(meta, "//fx:DocumentFileName")).toEqual(["factur-x.xml"]);
    expect(xmp(meta, "//fx:Version")).toEqual(["1.0"]);
    expect(xmp(meta, "//fx:ConformanceLevel")).toEqual(["EN 16931"]);
    expect(xmp(meta, "//pdfaSchema:namespaceURI")).toEqual(["urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"]);
    expect(xmp(meta, "//pdfaSchema:prefix")).toEqual(["fx"]);
    expect(xmp(meta, "//pdfaProperty:name")).toEqual(["DocumentFileName", "DocumentType", "Version", "ConformanceLevel"]);
    expect(xmp(meta, "//dc:title//rdf:li")).toEqual([fx.doc.getTitle()]);
    expect(fx.doc.getTitle()).toBe(`Facture ${inv.number}`);
    expect(xmp(meta, "//dc:creator//rdf:li")).toEqual(["Lumière & Fils <Atelier>"]);
    expect(fx.doc.getAuthor()).toBe("Lumière & Fils <Atelier>");
    expect(xmp(meta, "//pdf:Producer")).toEqual([fx.doc.getProducer()]);
    expect(xmp(meta, "//xmp:CreatorTool")).toEqual([fx.doc.getCreator()]);
    expect(xmp(meta, "//xmp:CreateDate")).toEqual([fx.doc.getCreationDate()!.toISOString().replace(/\.\d{3}Z$/, "Z")]);
    expect(xmp(meta, "//xmp:ModifyDate")).toEqual([fx.doc.getModificationDate()!.toISOString().replace(/\.\d{3}Z$/, "Z")]);

    // sRGB output intent with its ICC profile (3 components)
    expect(fx.intent.s).toBe("GTS_PDFA1");
    expect(fx.intent.id).toBe("sRGB IEC61966-2.1");
    expect((fx.intent.profile.dict.get(PDFName.of("N")) as PDFNumber).asNumber()).toBe(3);

    // every font is embedded; nothing is encrypted; the file has an identifier
    const fonts = pageFonts(fx.doc);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((f) => !f.embedded)).toEqual([]);
    expect(fx.doc.context.trailerInfo.Encrypt).toBeUndefined();
    expect(fx.doc.context.trailerInfo.ID).toBeDefined();
  });

  it("prints the same cents it embeds: the PDF's total is the XML's", async () => {
    const line = { description: "Heure de conseil", quantity: "1", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" };
    const inv = await issued([line, line, line]);
    const pdf = await fetchBytes(`/companies/${companyId}/invoices/${inv.id}/facturx.pdf`);
    const fx = await readFacturX(pdf.bytes);
    const embedded = Buffer.from(fx.file.bytes).toString("utf8");
    expect(xpath(embedded, "//ram:GrandTotalAmount", CII_NS)).toEqual(["36.04"]);
    expect(xpath(embedded, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount", CII_NS)).toEqual(["6.01"]);
    const spaces = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
    const printed = spaces(await pdfPlainText(pdf.bytes));
    expect(printed).toContain(`Total TTC\n${spaces(formatEuros(3604))}`);
    expect(printed).toContain(`Total TVA\n${spaces(formatEuros(601))}`);
  });

  it("profile=basic embeds the BASIC XML and declares BASIC in the XMP", async () => {
    const inv = await issued([{ description: "Étude", quantity: "1", unitPriceCents: 50000, vatRateBp: 2000, kind: "services" }]);
    const pdf = await fetchBytes(`/companies/${companyId}/invoices/${inv.id}/facturx.pdf?profile=basic`);
    expect(pdf.status).toBe(200);
    const cii = await fetchBytes(`/companies/${companyId}/invoices/${inv.id}/cii.xml?profile=basic`);
    const fx = await readFacturX(pdf.bytes);
    expect(Buffer.from(fx.file.bytes).equals(Buffer.from(cii.bytes))).toBe(true);
    expect(xmp(fx.xmp.text, "//fx:ConformanceLevel")).toEqual(["BASIC"]);
    expect(xpath(Buffer.from(fx.file.bytes).toString("utf8"), "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", CII_NS)).toEqual([
      "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    ]);
  });

  it("a credit note embeds its 381 XML referencing the invoice", async () => {
    const inv = await issued([{ description: "Lampe", quantity: "2", unitPriceCents: 8900, vatRateBp: 2000, kind: "goods" }]);
    const credit = await t.call("POST", `/companies/${companyId}/invoices/${inv.id}/credit-note`, { token, body: { issueDate: "2026-11-12" } });
    expect(credit.status, credit.text).toBe(201);
    const pdf = await fetchBytes(`/companies/${companyId}/invoices/${credit.json.id}/facturx.pdf`);
    const fx = await readFacturX(pdf.bytes);
    const embedded = Buffer.from(fx.file.bytes).toString("utf8");
    expect(xpath(embedded, "//rsm:ExchangedDocument/ram:TypeCode", CII_NS)).toEqual(["381"]);
    expect(xpath(embedded, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", CII_NS)).toEqual([inv.number]);
    expect(ciiStructureErrors(embedded)).toEqual([]);
    expect(fx.doc.getTitle()).toBe(`Avoir ${credit.json.number}`);
  });

  it("gives the same bytes every time and records the download in the export log", async () => {
    const inv = await issued([{ description: "Étude", quantity: "1", unitPriceCents: 50000, vatRateBp: 2000, kind: "services" }]);
    const a = await fetchBytes(`/companies/${companyId}/invoices/${inv.id}/facturx.pdf`);
    const b = await fetchBytes(`/companies/${companyId}/invoices/${inv.id}/facturx.pdf`);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const log = await t.call("GET", `/companies/${companyId}/exports?kind=invoice.pdf`, { token });
    const mine = log.json.items.filter((e: any) => e.filters.invoiceId === inv.id);
    expect(mine).toHaveLength(2);
    expect(mine[0].filters).toEqual({ invoiceId: inv.id, format: "facturx", profile: "en16931" });
    expect(mine[0].bytes).toBe(a.bytes.length);
    expect(mine[0].sha256).toBe((await import("node:crypto")).createHash("sha256").update(a.bytes).digest("hex"));
  });

  it("drafts answer 409, strangers 404, a bad profile 422", async () => {
    const draft = await t.call("POST", `/companies/${companyId}/invoices`, {
      token,
      body: { customerId, lines: [{ description: "x", quantity: "1", unitPriceCents: 100, vatRateBp: 2000 }] },
    });
    const res = await t.call("GET", `/companies/${companyId}/invoices/${draft.json.id}/facturx.pdf`, { token });
    expect(res.status).toBe(409);
    const stranger = await signupOwner(t);
    expect((await t.call("GET", `/companies/${companyId}/invoices/${draft.json.id}/facturx.pdf`, { token: stranger.token })).status).toBe(404);
    const inv = await issued([{ description: "Étude", quantity: "1", unitPriceCents: 100, vatRateBp: 2000, kind: "services" }]);
    const bad = await t.call("GET", `/companies/${companyId}/invoices/${inv.id}/facturx.pdf?profile=minimum`, { token });
    expect(bad.status).toBe(422);
  });

  it("the typed client downloads the three forms, and reports a draft's 409", async () => {
    const client = new PasserelleClient({ baseUrl: "http://passerelle.test", token, fetch: (input, init) => Promise.resolve(t.app.request(String(input), init)) });
    const inv = await issued([{ description: "Étude", quantity: "1", unitPriceCents: 50000, vatRateBp: 2000, kind: "services" }]);
    const cii = await fetchBytes(`/companies/${companyId}/invoices/${inv.id}/cii.xml?profile=basic`);
    expect(await client.invoiceCiiXml(companyId, inv.id, "basic")).toBe(cii.text);
    expect(await client.invoiceUblXml(companyId, inv.id)).toContain(`<cbc:ID>${inv.number}</cbc:ID>`);
    const pdf = await fetchBytes(`/companies/${companyId}/invoices/${inv.id}/facturx.pdf`);
    const blob = await client.invoiceFacturXPdf(companyId, inv.id);
    expect(Buffer.from(await blob.arrayBuffer()).equals(Buffer.from(pdf.bytes))).toBe(true);
    const draft = await t.call("POST", `/companies/${companyId}/invoices`, {
      token,
      body: { customerId, lines: [{ description: "x", quantity: "1", unitPriceCents: 100, vatRateBp: 2000 }] },
    });
    const error = await client.invoiceCiiXml(companyId, draft.json.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(409);
  });
});

describe("archives with format=facturx", () => {
  it("invoices.zip: every issued document as its Factur-X PDF, same names; drafts stay plain PDFs; the default is unchanged", async () => {
    const list = await t.call("GET", `/companies/${companyId}/invoices?limit=1000`, { token });
    const issuedDocs = list.json.items.filter((i: any) => i.status !== "draft");
    expect(issuedDocs.length).toBeGreaterThan(5);
    const zip = await download(t, `/companies/${companyId}/exports/invoices.zip?format=facturx`, token);
    expect(zip.status, zip.text.slice(0, 300)).toBe(200);
    const files = await unzip(zip.bytes);
    expect([...files.keys()].sort()).toEqual(issuedDocs.map((i: any) => `${i.number}.pdf`).sort());
    for (const doc of issuedDocs) {
      const cii = await fetchBytes(`/companies/${companyId}/invoices/${doc.id}/cii.xml`);
      expect(await embeddedXml(files.get(`${doc.number}.pdf`)!)).toBe(cii.text);
    }
    const log = exportLog(t, companyId).filter((e) => e.kind === "invoices.zip");
    expect(JSON.parse(log.at(-1)!.filters_json)).toEqual({ format: "facturx" });

    const plain = await unzip((await download(t, `/companies/${companyId}/exports/invoices.zip`, token)).bytes);
    expect(await embeddedXml(plain.get(`${issuedDocs[0].number}.pdf`)!)).toBeNull();

    const drafts = await unzip((await download(t, `/companies/${companyId}/exports/invoices.zip?format=facturx&status=draft`, token)).bytes);
    expect(drafts.size).toBeGreaterThan(0);
    for (const bytes of drafts.values()) expect(await embeddedXml(bytes)).toBeNull();

    const bad = await download(t, `/companies/${companyId}/exports/invoices.zip?format=xml`, token);
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([{ path: "format", message: "must be pdf (default) or facturx" }]);
  });

  it("pack.zip: the invoices folder holds Factur-X PDFs and the README says so", async () => {
    const zip = await download(t, `/companies/${companyId}/exports/pack.zip?format=facturx&from=2026-11-01&to=2026-11-30`, token);
    expect(zip.status, zip.text.slice(0, 300)).toBe(200);
    const files = await unzip(zip.bytes);
    const invoices = [...files.keys()].filter((n) => n.startsWith("factures/"));
    expect(invoices.length).toBeGreaterThan(5);
    for (const name of invoices) {
      const xml = await embeddedXml(files.get(name)!);
      expect(xml).not.toBeNull();
      expect(xpath(xml!, "//rsm:ExchangedDocument/ram:ID", CII_NS)).toEqual([name.slice("factures/".length, -".pdf".length)]);
    }
    const readme = files.get("LISEZMOI.txt")!.toString("utf8");
    expect(readme).toContain("facture ou avoir (Factur-X EN 16931 : PDF/A-3 avec factur-x.xml)");
    expect(readme).not.toContain("facture ou avoir (PDF)");
    const log = exportLog(t, companyId).filter((e) => e.kind === "pack.zip");
    expect(JSON.parse(log.at(-1)!.filters_json)).toEqual({ from: "2026-11-01", to: "2026-11-30", format: "facturx" });
  });
});
