import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { apiUrl, createTestApp, expectProblem, ownerWithCompany, signupOwner, type TestApp } from "./helpers.js";
import { invitedAccountant } from "./access-helpers.js";
import { jpegOf, pngOf } from "./images.js";

const SVG = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Atelier Test -->
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="240" height="80">
  <title>Atelier Test</title>
  <g transform="translate(4 4)" fill="#1d4ed8">
    <rect x="0" y="0" width="32" height="32" rx="6"/>
    <circle cx="56" cy="16" r="14" style="fill:rgb(220,38,38);fill-opacity:0.8"/>
    <path d="M80 2 L110 2 L95 30 Z" fill="none" stroke="#111" stroke-width="2"/>
  </g>
</svg>`;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const put = (t: TestApp, o: { token: string; companyId: string }, bytes: Uint8Array | string) =>
  t.call("PUT", `/companies/${o.companyId}/logo`, { token: o.token, body: { contentBase64: Buffer.from(bytes).toString("base64") } });

async function logoBytes(t: TestApp, o: { token: string; companyId: string }) {
  const res = await t.app.request(apiUrl(`/companies/${o.companyId}/logo`), { headers: { authorization: `Bearer ${o.token}` } });
  return { status: res.status, type: res.headers.get("content-type"), csp: res.headers.get("content-security-policy"), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("the company's logo", () => {
  it("a PNG is kept with its type, size and SHA-256, served back byte for byte, and the change is logged", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const png = pngOf(300, 100);
    const res = await put(t, o, png);
    expect(res.status).toBe(200);
    expect(res.json.logo).toEqual({ sha256: sha256(png), mediaType: "image/png", width: 300, height: 100, sizeBytes: png.length });
    expect((await t.call("GET", `/companies/${o.companyId}`, { token: o.token })).json.logo).toEqual(res.json.logo);
    const served = await logoBytes(t, o);
    expect([served.status, served.type]).toEqual([200, "image/png"]);
    expect(served.bytes.equals(png)).toBe(true);
    const activity = t.deps.db.prepare("SELECT action, after_json FROM activity WHERE company_id = ? AND action = 'company.logo_changed'").all(o.companyId);
    expect(activity).toEqual([{ action: "company.logo_changed", after_json: JSON.stringify({ logoSha256: sha256(png) }) }]);
  });

  it("a PNG with transparency of up to 1024 × 1024 pixels is kept (documents decode it each time: no more)", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const png = pngOf(1024, 1024, [200, 30, 60], 128);
    expect((await put(t, o, png)).json.logo).toMatchObject({ mediaType: "image/png", width: 1024, height: 1024 });
  });

  it("a baseline JPEG and a plain SVG are kept with their sizes; the SVG is served so that it runs nothing", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const jpeg = jpegOf(64, 32);
    expect((await put(t, o, jpeg)).json.logo).toEqual({ sha256: sha256(jpeg), mediaType: "image/jpeg", width: 64, height: 32, sizeBytes: jpeg.length });
    const svg = await put(t, o, SVG);
    expect(svg.status).toBe(200);
    expect(svg.json.logo).toMatchObject({ mediaType: "image/svg+xml", width: 240, height: 80 });
    const served = await logoBytes(t, o);
    expect([served.type, served.csp]).toEqual(["image/svg+xml", "default-src 'none'; style-src 'unsafe-inline'; sandbox"]);
    expect(served.bytes.toString("utf8")).toBe(SVG);
    // both kept: documents issued with the JPEG still print it
    expect(t.deps.db.prepare("SELECT media_type FROM company_logos WHERE company_id = ? ORDER BY media_type").pluck().all(o.companyId)).toEqual(["image/jpeg", "image/svg+xml"]);
  });

  it("refuses what is not a drawable PNG, JPEG or SVG with 422 saying what is wrong, and keeps nothing", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const png = pngOf(20, 10);
    const badCrc = Buffer.from(png);
    badCrc[29] = badCrc[29]! ^ 0xff; // the IHDR chunk's checksum
    const refusals: [Uint8Array | string, string][] = [
      ["%PDF-1.4\n", "must be a PNG, a JPEG or an SVG image"],
      [Buffer.alloc(0), "is empty"],
      [Buffer.alloc(512 * 1024 + 1, 0x41), "is 524289 bytes: a logo may be at most 524288 bytes (512 KB)"],
      [badCrc, "is a damaged PNG: the IHDR chunk's checksum is wrong"],
      [png.subarray(0, png.length - 12), "is a PNG cut short: it has no IEND chunk"],
      [pngOf(4097, 1), "is 4097 × 1 pixels: a logo may be at most 4096 pixels a side"],
      [pngOf(1025, 1024, [0, 0, 0], 128), "is a PNG of 1025 × 1024 pixels with transparency: such a logo may have at most 1048576 pixels (1024 × 1024), as every document decodes it again"],
      [jpegOf(16, 8).subarray(0, 100), "is a JPEG cut short"],
      ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script></svg>', "is an SVG that holds a <script>"],
      ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"/>', "is an SVG that has an event handler (onload on <svg>)"],
      [
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><g xlink:href="https://evil.example/x.svg"/></svg>',
        'is an SVG that links to "https://evil.example/x.svg" (xlink:href on <g>): only #fragments may be referred to',
      ],
      ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5" style="fill:url(https://evil.example/p)"/></svg>', "is an SVG that refers to an external resource (fill on <rect>)"],
      ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><foreignObject><p>x</p></foreignObject></svg>', "is an SVG that holds a <foreignObject> (HTML inside the image)"],
      ['<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg viewBox="0 0 10 10">&x;</svg>', "is an SVG that has a DOCTYPE, which can declare entities and external files"],
      [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>Atelier</text></svg>',
        "is an SVG that holds <text>, which documents do not draw: a logo's SVG may hold only svg, g, path, rect, circle, ellipse, line, polyline, polygon, title, desc",
      ],
      ['<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>', "is an SVG without a size: give its <svg> a viewBox, or a width and a height"],
    ];
    for (const [bytes, message] of refusals) {
      const problem = expectProblem(await put(t, o, bytes), 422, "contentBase64");
      expect(problem.errors).toEqual([{ path: "contentBase64", message }]);
    }
    const notBase64 = expectProblem(await t.call("PUT", `/companies/${o.companyId}/logo`, { token: o.token, body: { contentBase64: "iVBOR w0K" } }), 422, "contentBase64");
    expect(notBase64.errors).toEqual([{ path: "contentBase64", message: "must be base64 (A–Z, a–z, 0–9, + and /, padded with =)" }]);
    expect((await t.call("GET", `/companies/${o.companyId}`, { token: o.token })).json.logo).toBeNull();
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM company_logos").pluck().get()).toBe(0);
    expect((await logoBytes(t, o)).status).toBe(404);
  });

  it("removing the logo prints none from now on; the accountant reads it but cannot change it; other companies do not see it", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const png = pngOf(30, 30);
    await put(t, o, png);
    const accountant = await invitedAccountant(t, o);
    const asAccountant = { token: accountant.token, companyId: o.companyId };
    expect((await logoBytes(t, asAccountant)).bytes.equals(png)).toBe(true);
    expectProblem(await put(t, asAccountant, pngOf(10, 10)), 403);
    expectProblem(await t.call("DELETE", `/companies/${o.companyId}/logo`, { token: accountant.token }), 403);
    const stranger = await signupOwner(t, "Stranger");
    expectProblem(await t.call("GET", `/companies/${o.companyId}/logo`, { token: stranger.token }), 404);
    expectProblem(await put(t, { token: stranger.token, companyId: o.companyId }, pngOf(10, 10)), 404);
    const removed = await t.call("DELETE", `/companies/${o.companyId}/logo`, { token: o.token });
    expect([removed.status, removed.json.logo]).toEqual([200, null]);
    expect((await logoBytes(t, o)).status).toBe(404);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM company_logos").pluck().get()).toBe(1);
  });
});
