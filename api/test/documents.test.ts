import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { createTestApp, expectProblem, ownerWithCompany, type TestApp } from "./helpers.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

async function realPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText("Facture fournisseur n° 2026-118 — 1 234,56 €", { x: 50, y: 780, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save();
}

function upload(t: TestApp, o: Owner, file: { bytes: Uint8Array; name: string; type?: string }, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("file", new File([file.bytes], file.name, { type: file.type ?? "application/octet-stream" }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return t.call("POST", `/companies/${o.companyId}/documents`, { token: o.token, body: form });
}

async function download(t: TestApp, o: Owner, id: string) {
  const res = await t.app.request(`/api/v1/companies/${o.companyId}/documents/${id}/content`, { headers: { authorization: `Bearer ${o.token}` } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe("documents", () => {
  it("stores a real PDF with its SHA-256, name, origin and note; the type comes from the bytes, not the client", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const pdf = await realPdf();
    expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    // the client claims a PNG: the server reads the bytes
    const res = await upload(t, o, { bytes: pdf, name: "facture-fournisseur.pdf", type: "image/png" }, {
      sourceUrl: "https://fournisseur.example.fr/factures/2026-118",
      note: "Facture de novembre",
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      originalName: "facture-fournisseur.pdf",
      mimeType: "application/pdf",
      sizeBytes: pdf.byteLength,
      sha256: sha256(pdf),
      sourceUrl: "https://fournisseur.example.fr/factures/2026-118",
      note: "Facture de novembre",
      uploadedBy: o.user.id,
      uploadedAt: "2026-11-20T10:00:00.000Z",
    });
    const onDisk = fs.readFileSync(path.join(t.dataDir, "documents", o.companyId, res.json.id));
    expect(sha256(onDisk)).toBe(sha256(pdf));
    expect((await t.call("GET", `/companies/${o.companyId}/documents/${res.json.id}`, { token: o.token })).json).toEqual(res.json);
    const log = t.deps.db.prepare("SELECT action, after_json FROM activity WHERE record_id = ?").get(res.json.id) as { action: string; after_json: string };
    expect(log.action).toBe("document.uploaded");
    expect(JSON.parse(log.after_json)).toMatchObject({ sha256: sha256(pdf), sizeBytes: pdf.byteLength });
  });

  it("downloads the identical bytes with the sniffed type and a safe Content-Disposition", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const pdf = await realPdf();
    const doc = (await upload(t, o, { bytes: pdf, name: "relevé été.pdf" })).json;
    const res = await download(t, o, doc.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-length")).toBe(String(pdf.byteLength));
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="relev_ _t_.pdf"; filename*=UTF-8''relev%C3%A9%20%C3%A9t%C3%A9.pdf`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(res.bytes).equals(Buffer.from(pdf))).toBe(true);

    const png = (await upload(t, o, { bytes: PNG, name: "../../etc/ticket.png", type: "application/pdf" })).json;
    expect(png).toMatchObject({ mimeType: "image/png", sha256: sha256(PNG), sizeBytes: PNG.byteLength, originalName: "ticket.png", sourceUrl: null, note: null });
    const pngBack = await download(t, o, png.id);
    expect(pngBack.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(pngBack.bytes).equals(PNG)).toBe(true);

    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
    expect((await upload(t, o, { bytes: jpeg, name: "photo.jpg" })).json.mimeType).toBe("image/jpeg");
  });

  it("refuses what is neither a PDF nor an image (415) and stores nothing", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const text = new TextEncoder().encode("Ceci n'est pas un PDF, malgré son nom.\n");
    const res = expectProblem(await upload(t, o, { bytes: text, name: "facture.pdf", type: "application/pdf" }), 415, "file");
    expect(res.title).toBe("Unsupported Media Type");
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    expectProblem(await upload(t, o, { bytes: html, name: "x.png", type: "image/png" }), 415, "file");
    expectProblem(await upload(t, o, { bytes: new Uint8Array(0), name: "vide.pdf" }), 415, "file");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM documents").pluck().get()).toBe(0);
    const dir = path.join(t.dataDir, "documents", o.companyId);
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  });

  it("refuses a file over the configured size with 413, even when the whole request fits the body limit", async () => {
    const t = createTestApp({ config: { maxUploadBytes: 1000 } });
    const o = await ownerWithCompany(t);
    const header = new TextEncoder().encode("%PDF-1.4\n");
    const sized = (n: number) => {
      const bytes = new Uint8Array(n).fill(0x20);
      bytes.set(header);
      return bytes;
    };
    expect((await upload(t, o, { bytes: sized(1000), name: "juste.pdf" })).status).toBe(201);
    const over = expectProblem(await upload(t, o, { bytes: sized(1001), name: "trop.pdf" }), 413, "file");
    expect(over.errors).toEqual([{ path: "file", message: "must be at most 1000 bytes" }]);
    // far over: stopped by the request body limit before it is read
    expectProblem(await upload(t, o, { bytes: sized(200_000), name: "enorme.pdf" }), 413);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM documents").pluck().get()).toBe(1);
  });

  it("accepts only http(s) source URLs and known form fields", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const pdf = await realPdf();
    for (const sourceUrl of ["javascript:alert(document.cookie)", "data:text/html,<b>x</b>", "file:///etc/passwd", "pas une url"]) {
      const res = expectProblem(await upload(t, o, { bytes: pdf, name: "a.pdf" }, { sourceUrl }), 422, "sourceUrl");
      expect(res.errors).toEqual([{ path: "sourceUrl", message: "must be an http(s) URL" }]);
    }
    expectProblem(await upload(t, o, { bytes: pdf, name: "a.pdf" }, { uploadedBy: "someone" }), 422, "uploadedBy");
    const noFile = new FormData();
    noFile.set("note", "sans fichier");
    expectProblem(await t.call("POST", `/companies/${o.companyId}/documents`, { token: o.token, body: noFile }), 422, "file");
    const textField = new FormData();
    textField.set("file", "%PDF-1.4 as a text field");
    expectProblem(await t.call("POST", `/companies/${o.companyId}/documents`, { token: o.token, body: textField }), 422, "file");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM documents").pluck().get()).toBe(0);
    expect((await upload(t, o, { bytes: pdf, name: "a.pdf" }, { sourceUrl: "http://intranet.local/f.pdf" })).status).toBe(201);
  });

  it("lists documents newest first, page by page; unknown ones are 404", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const ids: string[] = [];
    for (const name of ["a.png", "b.png", "c.png"]) ids.push((await upload(t, o, { bytes: PNG, name })).json.id);
    const c = `/companies/${o.companyId}/documents`;
    const first = await t.call("GET", `${c}?limit=2`, { token: o.token });
    expect(first.json.items.map((d: { originalName: string }) => d.originalName)).toEqual(["c.png", "b.png"]);
    const second = await t.call("GET", `${c}?limit=2&cursor=${first.json.nextCursor}`, { token: o.token });
    expect(second.json.items.map((d: { id: string }) => d.id)).toEqual([ids[0]]);
    expect(second.json.nextCursor).toBeNull();
    expectProblem(await t.call("GET", `${c}/nope`, { token: o.token }), 404);
    expectProblem(await t.call("GET", `${c}/nope/content`, { token: o.token }), 404);
  });

  it("finds the documents holding the same bytes by their SHA-256, and refuses what is not one", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const pdf = await realPdf();
    const first = (await upload(t, o, { bytes: pdf, name: "facture-118.pdf" })).json;
    t.clock.advance(3600_000);
    await upload(t, o, { bytes: PNG, name: "photo.png" });
    const again = (await upload(t, o, { bytes: pdf, name: "copie.pdf" })).json;
    const c = `/companies/${o.companyId}/documents`;
    const same = await t.call("GET", `${c}?sha256=${sha256(pdf)}`, { token: o.token });
    expect(same.json.items.map((d: { id: string; uploadedAt: string }) => [d.id, d.uploadedAt])).toEqual([
      [again.id, again.uploadedAt],
      [first.id, first.uploadedAt],
    ]);
    expect((await t.call("GET", `${c}?sha256=${"0".repeat(64)}`, { token: o.token })).json.items).toEqual([]);
    const bad = await t.call("GET", `${c}?sha256=${sha256(pdf).toUpperCase()}`, { token: o.token });
    expectProblem(bad, 422, "sha256");
    expect(bad.json.errors).toEqual([{ path: "sha256", message: "must be a SHA-256 digest: 64 lowercase hexadecimal characters" }]);
    // another company's identical bytes are not this one's
    const stranger = await ownerWithCompany(t);
    expect((await t.call("GET", `/companies/${stranger.companyId}/documents?sha256=${sha256(pdf)}`, { token: stranger.token })).json.items).toEqual([]);
  });
});
