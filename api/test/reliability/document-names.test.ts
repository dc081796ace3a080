/**
 * Names of shared documents: stored without path parts, control or bidirectional formatting
 * characters, in NFC and of a sane length; served under a name ending with the extension of the
 * verified type, never the uploader's extra one — for rows stored before these rules too.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { documentDownloadName, storedFileName } from "../../src/services/document-names.js";
import { createTestApp, ownerWithCompany, type TestApp } from "../helpers.js";
import { isPostgres } from "../../src/db/connection.js";

const PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const EXTENSIONS: Record<string, string[]> = {
  "application/pdf": [".pdf"],
  "image/png": [".png"],
  "image/jpeg": [".jpg", ".jpeg"],
  "image/gif": [".gif"],
  "image/webp": [".webp"],
  "image/tiff": [".tif", ".tiff"],
  "image/heic": [".heic", ".heif"],
};

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

/** Uploads a PDF under `filename` exactly as given (FormData would escape some characters of it). */
async function upload(t: TestApp, o: Owner, filename: string) {
  const boundary = "----passerelle-names";
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n${PDF}\r\n--${boundary}--\r\n`;
  return t.call("POST", `/companies/${o.companyId}/documents`, { token: o.token, body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } });
}

async function contentDisposition(t: TestApp, o: Owner, id: string) {
  const res = await t.app.request(`/api/v1/companies/${o.companyId}/documents/${id}/content`, { headers: { authorization: `Bearer ${o.token}` } });
  await res.arrayBuffer();
  return [res.status, res.headers.get("content-type"), res.headers.get("content-disposition")];
}

describe("document names", () => {
  it("are stored as a plain file name: last path part, NFC, no control, bidirectional or Windows-reserved characters, at most 200 characters", () => {
    const cases: [string, string, string][] = [
      ["..", "application/pdf", "document.pdf"],
      ["documents/..", "image/png", "document.png"],
      ["../../etc/passwd", "application/pdf", "passwd"],
      ["C:\\Users\\compta\\facture.pdf", "application/pdf", "facture.pdf"],
      ["facture\u202efdp.exe", "application/pdf", "facturefdp.exe"],
      ["a\u2066b\u2069\u200e\u200f\u061c.pdf", "application/pdf", "ab.pdf"],
      ["fac\u0000ture\u0001\u0085.pdf", "application/pdf", "fac ture .pdf"],
      ["Releve\u0301 de\u0301cembre.pdf", "application/pdf", "Relev\u00e9 d\u00e9cembre.pdf"],
      ["facture.pdf:flux.exe", "application/pdf", "facture.pdf_flux.exe"],
      ['a<b>c"d|e?f*g.png', "image/png", "a_b_c_d_e_f_g.png"],
      [" .htaccess. ", "application/pdf", "htaccess"],
      ["facture-2026.pdf.cmd", "application/pdf", "facture-2026.pdf.cmd"],
      ["   ", "image/jpeg", "document.jpg"],
      ["", "image/heic", "document.heic"],
      [`${"a".repeat(300)}.pdf`, "application/pdf", "a".repeat(200)],
      ["😀".repeat(250), "image/gif", "😀".repeat(200)],
    ];
    expect(cases.map(([name, type]) => [name, type, storedFileName(name, type)])).toEqual(cases);
  });

  it("are served with the extension of the verified type, the uploader's extra extensions dropped", () => {
    const cases: [string, string, string][] = [
      ["facture-2026.pdf.cmd", "application/pdf", "facture-2026.pdf"],
      ["facture.pdf.exe.cmd", "application/pdf", "facture.pdf"],
      ["facture .cmd", "application/pdf", "facture.pdf"],
      ["ticket.png", "application/pdf", "ticket.pdf"],
      ["scan", "image/png", "scan.png"],
      ["photo.JPG", "image/jpeg", "photo.JPG"],
      ["photo.jpeg", "image/jpeg", "photo.jpeg"],
      ["plan.tiff", "image/tiff", "plan.tiff"],
      ["facture.2026", "application/pdf", "facture.2026.pdf"],
      ["Devis v1.0 final", "application/pdf", "Devis v1.0 final.pdf"],
      // rows stored before the rules
      ["..", "application/pdf", "document.pdf"],
      ["facture\u202efdp.exe", "application/pdf", "facturefdp.pdf"],
      ["documents/../x.cmd", "image/png", "x.png"],
      ["relev\u00e9\r\n.pdf.cmd", "application/pdf", "relev\u00e9 .pdf"],
    ];
    expect(cases.map(([originalName, mimeType]) => [originalName, mimeType, documentDownloadName({ originalName, mimeType })])).toEqual(cases);
  });

  it("whatever the stored name, the served one is a single safe file name ending with its type's extension", () => {
    const chars = fc.constantFrom("a", "é", "e\u0301", ".", "/", "\\", " ", ":", "\u0000", "\n", "\u202e", "\u2066", "\u0085", "pdf", "cmd", "exe", "..");
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: chars, maxLength: 40 }), fc.string({ unit: "binary", maxLength: 300 })), fc.constantFrom(...Object.keys(EXTENSIONS)), (originalName, mimeType) => {
        const name = documentDownloadName({ originalName, mimeType });
        expect(name).not.toMatch(/[/\\:<>"|?*\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
        expect(name).toBe(name.normalize("NFC"));
        expect(name).not.toMatch(/^[.\s]/);
        expect(EXTENSIONS[mimeType]!.some((ext) => name.toLowerCase().endsWith(ext))).toBe(true);
        expect([...name].length).toBeLessThanOrEqual(205);
      }),
      { numRuns: 2000 },
    );
  });

  it("an upload named `..` or with a right-to-left override is stored and logged under its safe name; facture-2026.pdf.cmd downloads as facture-2026.pdf", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const names = ["..", "facture\u202efdp.exe", "facture-2026.pdf.cmd"];
    const stored = [];
    for (const name of names) {
      const res = await upload(t, o, name);
      const logged = t.deps.db.prepare("SELECT after_json FROM activity WHERE record_id = ?").pluck().get(res.json.id) as string;
      stored.push([res.status, res.json.originalName, JSON.parse(logged).name, await contentDisposition(t, o, res.json.id)]);
    }
    expect(stored).toEqual([
      [201, "document.pdf", "document.pdf", [200, "application/pdf", `attachment; filename="document.pdf"; filename*=UTF-8''document.pdf`]],
      [201, "facturefdp.exe", "facturefdp.exe", [200, "application/pdf", `attachment; filename="facturefdp.pdf"; filename*=UTF-8''facturefdp.pdf`]],
      [201, "facture-2026.pdf.cmd", "facture-2026.pdf.cmd", [200, "application/pdf", `attachment; filename="facture-2026.pdf"; filename*=UTF-8''facture-2026.pdf`]],
    ]);
  });

  it("a row stored before the rules is downloaded under a safe name with its type's extension", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const res = await upload(t, o, "releve.pdf");
    // a control character: NUL where the engine can store it (PostgreSQL's text holds no NUL)
    const control = isPostgres(t.deps.db) ? "\u0007" : "\u0000";
    t.deps.db.prepare("UPDATE documents SET original_name = ? WHERE id = ?").run(`../\u202efacture${control}.pdf.cmd`, res.json.id);
    expect(await contentDisposition(t, o, res.json.id)).toEqual([200, "application/pdf", `attachment; filename="facture .pdf"; filename*=UTF-8''facture%20.pdf`]);
  });
});
