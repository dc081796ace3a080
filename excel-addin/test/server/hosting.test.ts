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
      ["functions.en-US.json", "application/json; charset=utf-8"],
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

  it("refuses the manifest, in the response and in the server's log, when the public URL is not HTTPS", async () => {
    const local = createTestApp({ config: { publicUrl: "http://localhost:3000" } });
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(" "));
    let res: Response;
    try {
      res = await local.app.request("/addin/manifest.xml");
    } finally {
      console.error = original;
    }
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    const problem = (await res.json()) as { title: string; detail: string };
    expect(problem.title).toBe("Conflit") // the API speaks French unless asked otherwise;
    expect(problem.detail).toContain("PUBLIC_URL is http://localhost:3000, but Office loads add-ins over HTTPS only");
    expect(problem.detail).toContain("Office ne charge un complément qu'en HTTPS");
    expect(logged).toEqual([`GET /addin/manifest.xml refused: ${problem.detail}`]);
    // the pane itself is still served, for a browser on this machine
    expect((await local.app.request("/addin/taskpane.html")).status).not.toBe(409);
  });

  it("serves the help page the manifest names as its support page, French first then English", async () => {
    const xml = await (await t.app.request("/addin/manifest.xml")).text();
    expect(xml).toContain('<SupportUrl DefaultValue="https://passerelle.example.fr/addin/help.html"/>');
    const res = await app.request("/addin/help.html");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain("<h1>Passerelle pour Excel — aide</h1>");
    expect(html).toContain('<section lang="en">');
    for (const tab of ["Journal", "Clôture", "Comptes", "Tables du classeur"]) expect(html, tab).toContain(`<h3>${tab}</h3>`);
    expect(html.indexOf("<h1>")).toBeLessThan(html.indexOf('<section lang="en">'));
    expect(html).not.toMatch(/<script|src="http/);
  });

  it("keeps the task pane's JavaScript under 120 KB gzipped", () => {
    const files = [path.join(dist, "functions.js"), ...fs.readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".js")).map((f) => path.join(dist, "assets", f))];
    const gzipped = files.reduce((sum, f) => sum + gzipSync(fs.readFileSync(f)).length, 0);
    console.log(`task pane JavaScript: ${files.length} files, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(120 * 1024);
  });
});
