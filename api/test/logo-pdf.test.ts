import { describe, expect, it } from "vitest";
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from "pdf-lib";
import { draftBody, createTestApp, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { download, sha256 } from "./export-support.js";
import { pdfText } from "./pdf-text.js";
import { jpegOf, pngOf } from "./images.js";

type Owner = { token: string; companyId: string; customerId: string };

const setLogo = async (t: TestApp, o: Owner, bytes: Uint8Array | string) => {
  const res = await t.call("PUT", `/companies/${o.companyId}/logo`, { token: o.token, body: { contentBase64: Buffer.from(bytes).toString("base64") } });
  expect(res.status).toBe(200);
  return res.json.logo as { sha256: string };
};
const pdfOf = async (t: TestApp, o: Owner, invoiceId: string) => (await download(t, `/companies/${o.companyId}/invoices/${invoiceId}/pdf`, o.token)).bytes;

/** The images a PDF holds: their size, filter and stored bytes. */
async function images(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes);
  const found: { width: number; height: number; filter: string; bytes: Buffer }[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of("Subtype")) !== PDFName.of("Image")) continue;
    if (object.dict.get(PDFName.of("SMask")) === undefined && object.dict.get(PDFName.of("ColorSpace")) === PDFName.of("DeviceGray") && found.length > 0) continue;
    const num = (key: string) => (object.dict.get(PDFName.of(key)) as PDFNumber).asNumber();
    found.push({ width: num("Width"), height: num("Height"), filter: String(object.dict.get(PDFName.of("Filter"))), bytes: Buffer.from(object.contents) });
  }
  return found;
}

describe("the logo on documents", () => {
  it("an invoice prints the logo it was issued with: a later logo changes neither its bytes nor its frozen identity", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const png = pngOf(300, 100);
    const first = await setLogo(t, o, png);
    await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { rmDepartment: "69", apeCode: "4332A" } });
    const invoice = await issuedInvoice(t, o, "2026-11-02");
    const before = await pdfOf(t, o, invoice.id);
    expect(await images(before)).toEqual([{ width: 300, height: 100, filter: "/FlateDecode", bytes: expect.any(Buffer) }]);
    const items = (await pdfText(before)).flat();
    // the legal identity grown too long for one line takes two
    expect(items).toEqual(expect.arrayContaining(["Atelier Test SARL — SARL au capital de 10 000 € — RCS Lyon 853 904 811 — 853 904 811 RM 69 — APE 43.32A — N° TVA", "FR26853904811"]));
    const frozen = t.deps.db
      .prepare("SELECT f.json FROM invoices i JOIN frozen_identities f ON f.id = i.seller_identity_id WHERE i.id = ?")
      .pluck()
      .get(invoice.id) as string;
    expect(JSON.parse(frozen)).toMatchObject({ rmDepartment: "69", apeCode: "43.32A", logoSha256: first.sha256 });

    const jpeg = jpegOf(64, 32);
    await setLogo(t, o, jpeg);
    await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { apeCode: "62.01Z" } });
    const after = await pdfOf(t, o, invoice.id);
    expect(sha256(after)).toBe(sha256(before));

    // documents issued now, credit notes included, print the new logo: a JPEG is embedded as it is
    const second = await issuedInvoice(t, o, "2026-11-03");
    expect(await images(await pdfOf(t, o, second.id))).toEqual([{ width: 64, height: 32, filter: "/DCTDecode", bytes: jpeg }]);
    const credit = await t.call("POST", `/companies/${o.companyId}/invoices/${invoice.id}/credit-note`, { token: o.token, body: {} });
    expect(credit.status).toBe(201);
    expect((await images(await pdfOf(t, o, credit.json.id))).map((i) => i.filter)).toEqual(["/DCTDecode"]);

    // without a logo, a draft prints none, and the issued ones keep theirs
    await t.call("DELETE", `/companies/${o.companyId}/logo`, { token: o.token });
    const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) });
    expect(await images(await pdfOf(t, o, draft.json.id))).toEqual([]);
    expect(sha256(await pdfOf(t, o, invoice.id))).toBe(sha256(before));
  });

  it("a quote prints the logo it was issued with, as an invoice does", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const quotePdf = async (id: string) => (await download(t, `/companies/${o.companyId}/quotes/${id}/pdf`, o.token)).bytes;
    await setLogo(t, o, pngOf(300, 100));
    const draft = await t.call("POST", `/companies/${o.companyId}/quotes`, { token: o.token, body: draftBody(o.customerId) });
    expect(draft.status).toBe(201);
    const issued = await t.call("POST", `/companies/${o.companyId}/quotes/${draft.json.id}/issue`, { token: o.token, body: { issueDate: "2026-11-02" } });
    expect(issued.status).toBe(200);
    const before = await quotePdf(draft.json.id);
    expect((await images(before)).map((i) => [i.width, i.height, i.filter])).toEqual([[300, 100, "/FlateDecode"]]);
    expect((await pdfText(before)).flat()).toContain("DEVIS");
    // a later logo is for the quotes issued afterwards; this one keeps its own, to the byte
    await setLogo(t, o, jpegOf(64, 32));
    expect(sha256(await quotePdf(draft.json.id))).toBe(sha256(before));
    const next = await t.call("POST", `/companies/${o.companyId}/quotes`, { token: o.token, body: draftBody(o.customerId) });
    expect((await images(await quotePdf(next.json.id))).map((i) => i.filter)).toEqual(["/DCTDecode"]);
  });

  it("an SVG logo is drawn as vector shapes, with its colours and opacity, not as an image", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await setLogo(
      t,
      o,
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="40" height="40" fill="#1d4ed8"/><circle cx="70" cy="20" r="15" style="fill:#dc2626;fill-opacity:0.8"/></svg>`,
    );
    const invoice = await issuedInvoice(t, o, "2026-11-02");
    const bytes = await pdfOf(t, o, invoice.id);
    expect(await images(bytes)).toEqual([]);
    expect(Buffer.from(bytes).toString("latin1")).toContain("/ca 0.8");
    expect((await pdfText(bytes)).flat()).toContain("Atelier Test SARL");
  });

  it("a company without a logo prints its invoices as before: the same identity frozen, no image", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const invoice = await issuedInvoice(t, o, "2026-11-02");
    const frozen = t.deps.db.prepare("SELECT f.json FROM invoices i JOIN frozen_identities f ON f.id = i.seller_identity_id WHERE i.id = ?").pluck().get(invoice.id) as string;
    expect(Object.keys(JSON.parse(frozen))).not.toEqual(expect.arrayContaining(["logoSha256"]));
    expect(Object.keys(JSON.parse(frozen))).not.toEqual(expect.arrayContaining(["apeCode"]));
    expect(await images(await pdfOf(t, o, invoice.id))).toEqual([]);
  });
});
