import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { Hono } from "hono";
import { addinRoutes } from "../../../api/src/routes/addin.js";
import { ProblemError, problemResponse } from "../../../api/src/http/problem.js";
import { createTestApp } from "../../../api/test/helpers.js";
import { buildAddin } from "../build.js";

let dist: string;
let t: ReturnType<typeof createTestApp>;
let app: Hono;

beforeAll(async () => {
  dist = await buildAddin();
  t = createTestApp({ config: { publicUrl: "https://passerelle.example.fr" } });
  app = new Hono();
  app.onError((error, c) => (error instanceof ProblemError ? problemResponse(c, error) : c.text(String(error), 500)));
  app.route("/", addinRoutes(t.deps, { distDir: dist }));
});

describe("the API serves the add-in under /addin/", () => {
  it("serves the task pane page, the functions and their metadata with their content types, revalidated", async () => {
    for (const [file, type] of [
      ["taskpane.html", "text/html; charset=utf-8"],
      ["functions.js", "text/javascript; charset=utf-8"],
      ["functions.json", "application/json; charset=utf-8"],
      ["assets/icon-80.png", "image/png"],
    ] as const) {
      const res = await app.request(`/addin/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(dist, file)))).toBe(true);
    }
  });

  it("caches hashed assets for good and answers 304 to a matching ETag", async () => {
    const html = await (await app.request("/addin/taskpane.html")).text();
    const script = /src="\.\/(assets\/taskpane-[^"]+\.js)"/.exec(html)![1]!;
    const res = await app.request(`/addin/${script}`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const again = await app.request(`/addin/${script}`, { headers: { "if-none-match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("refuses paths outside the build and unknown files with problem+json", async () => {
    for (const url of ["/addin/..%2F..%2Fpackage.json", "/addin/nothing.js", "/addin/assets"]) {
      const res = await app.request(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get("content-type"), url).toContain("application/problem+json");
    }
  });

  it("is mounted by the API itself, and hands out the manifest pointed at the public URL", async () => {
    const redirect = await t.app.request("/addin");
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("/addin/taskpane.html");
    const manifest = await t.app.request("/addin/manifest.xml");
    expect(manifest.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await manifest.text();
    expect(xml).toContain('<SourceLocation DefaultValue="https://passerelle.example.fr/addin/taskpane.html"/>');
    expect(xml).not.toContain('"https://localhost:3000');
  });

  it("keeps the task pane's JavaScript under 120 KB gzipped", () => {
    const files = [path.join(dist, "functions.js"), ...fs.readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".js")).map((f) => path.join(dist, "assets", f))];
    const gzipped = files.reduce((sum, f) => sum + gzipSync(fs.readFileSync(f)).length, 0);
    console.log(`task pane JavaScript: ${files.length} files, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(120 * 1024);
  });
});
