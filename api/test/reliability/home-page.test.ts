/**
 * The address `npm start` prints leads somewhere: `/` is a small page in French (by default) or
 * English saying what runs here and where everything is, with the pages' security headers, nothing
 * loaded from elsewhere, and every link answering 200.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.js";
import { PAGE_CSP } from "../../src/pages/layout.js";
import { homePage, preferredLanguage } from "../../src/pages/home.js";
import { addinRoutes } from "../../src/routes/addin.js";
import type { AppEnv } from "../../src/context.js";
import { REPO_DIR } from "../../src/paths.js";
import { createTestApp } from "../helpers.js";

const t = createTestApp({ config: { publicUrl: "https://factures.example.fr" } });
const dirs: string[] = [t.dataDir];
afterAll(() => {
  t.deps.db.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const get = async (app: { request: (url: string, init?: RequestInit) => Response | Promise<Response> }, url: string, headers: Record<string, string> = {}) => {
  const res = await app.request(url, { headers });
  return { res, text: await res.text() };
};
const links = (page: string) => [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
// the app serves this repository's add-in: its pane is linked once it is built
const pane = fs.existsSync(path.join(REPO_DIR, "excel-addin", "dist", "taskpane.html")) ? ["/addin/taskpane.html"] : [];

describe("the root page", () => {
  it("answers in French by default: what runs here, the version, where everything is, with the pages' headers", async () => {
    const { res, text } = await get(t.app, "/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-language")).toBe("fr");
    expect(res.headers.get("vary")).toBe("accept-language");
    expect(res.headers.get("content-security-policy")).toBe(PAGE_CSP);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(text).toContain('<html lang="fr">');
    expect(text).toContain("<title>Serveur Passerelle — Passerelle</title>");
    expect(text).toContain("<h1>Passerelle est en service</h1>");
    expect(text).toContain(`Ce serveur fait tourner Passerelle ${VERSION} :`);
    expect(text).toContain("Adresse publique : <code>https://factures.example.fr</code>.");
    expect(text).toContain("Excel sur le web : Insertion › Compléments › Charger mon complément, puis choisissez ce manifeste.");
    expect(text).toContain("<code>~/Library/Containers/com.microsoft.Excel/Data/Documents/wef</code>");
    expect(text).toContain(`<a href="/health">/health</a> répond <code>{"ok":true,"version":"${VERSION}"}</code>`);
    expect(links(text)).toEqual(["/?lang=en", "/docs", "/openapi.json", "/addin/manifest.xml", ...pane, "/health"]);
    // nothing from elsewhere: no script, no image, no style sheet, no absolute link
    expect(text).not.toMatch(/<script|<img|<link|<iframe|src=|href="(https?:)?\/\//);
  });

  it("answers in English when the browser prefers it, or when asked with ?lang=en", async () => {
    const english = await get(t.app, "/", { "accept-language": "en-GB,en;q=0.9,fr;q=0.8" });
    expect(english.res.headers.get("content-language")).toBe("en");
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain("<h1>Passerelle is running</h1>");
    expect(english.text).toContain(`This server runs Passerelle ${VERSION}:`);
    expect(english.text).toContain("Excel on the web: Insert › Add-ins › Upload My Add-in, then choose this manifest.");
    expect(english.text).toContain(`<a href="/health">/health</a> answers <code>{"ok":true,"version":"${VERSION}"}</code>`);
    expect(links(english.text)).toEqual(["/?lang=fr", "/docs", "/openapi.json", "/addin/manifest.xml", ...pane, "/health"]);

    const asked = await get(t.app, "/?lang=en", { "accept-language": "fr-FR" });
    expect(asked.text).toContain("<h1>Passerelle is running</h1>");
    const back = await get(t.app, "/?lang=fr", { "accept-language": "en" });
    expect(back.text).toContain("<h1>Passerelle est en service</h1>");
  });

  it.each([
    [undefined, "fr"],
    ["", "fr"],
    ["de-DE,es;q=0.8", "fr"],
    ["en", "en"],
    ["en-US", "en"],
    ["fr-CH, en;q=0.5", "fr"],
    ["de-DE, en;q=0.7, fr;q=0.6", "en"],
    ["en;q=0.4, fr;q=0.9", "fr"],
    ["en;q=0, fr-BE;q=0.1", "fr"],
    ["EN-gb", "en"],
    ["english", "fr"],
    ["en;q=abc", "fr"],
  ] as const)("Accept-Language %j → %s", (header, expected) => {
    expect(preferredLanguage(header)).toBe(expected);
  });

  it("every link on the page answers 200, in both languages", async () => {
    for (const lang of ["fr", "en"]) {
      const { text } = await get(t.app, `/?lang=${lang}`);
      expect(links(text)).toHaveLength(5 + pane.length);
      for (const href of links(text)) {
        const res = await t.app.request(href);
        expect(res.status, href).toBe(200);
      }
    }
  });

  it("says where the built add-in and extension are, or how to build them", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-home-"));
    dirs.push(root);
    const built = (parts: string[]) => {
      const file = path.join(root, ...parts);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, parts.at(-1) === "taskpane.html" ? "<!doctype html><title>Passerelle</title>" : "{}");
    };
    const serve = (addinDist: string, extensionDist: string) => {
      const app = new Hono<AppEnv>();
      app.route("/", homePage(t.deps, { addinDist, extensionDist }));
      app.route("/", addinRoutes(t.deps, { distDir: addinDist }));
      return app;
    };

    const none = serve(path.join(root, "no-addin"), path.join(root, "no-extension"));
    const bare = (await get(none, "/")).text;
    expect(bare).toContain("Le complément n'est pas encore construit sur ce serveur : <code>npm run build -w excel-addin</code>.");
    expect(bare).toContain("L'extension n'est pas encore construite : <code>npm run build -w extension</code> crée <code>extension/dist/chrome-mv3</code> (Chrome, Edge) et <code>extension/dist/firefox-mv3</code> (Firefox).");
    expect(bare).not.toContain("/addin/taskpane.html");
    const bareEn = (await get(none, "/?lang=en")).text;
    expect(bareEn).toContain("The add-in is not built on this server yet: <code>npm run build -w excel-addin</code>.");

    built(["addin", "taskpane.html"]);
    built(["extension", "chrome-mv3", "manifest.json"]);
    built(["extension", "firefox-mv3", "manifest.json"]);
    const ready = serve(path.join(root, "addin"), path.join(root, "extension"));
    const fr = (await get(ready, "/")).text;
    expect(fr).toContain('Le volet est servi ici : <a href="/addin/taskpane.html">volet Passerelle</a>.');
    expect(fr).toContain("« Charger l'extension non empaquetée » et choisissez le dossier <code>extension/dist/chrome-mv3</code> de Passerelle.");
    expect(fr).toContain("« Charger un module complémentaire temporaire » et choisissez <code>extension/dist/firefox-mv3/manifest.json</code>.");
    expect(fr).toContain("Dans ses options, indiquez l'adresse de ce serveur : <code>https://factures.example.fr</code>.");
    const en = (await get(ready, "/?lang=en")).text;
    expect(en).toContain("“Load unpacked” and choose Passerelle's <code>extension/dist/chrome-mv3</code> folder.");
    expect(en).toContain("“Load Temporary Add-on” and choose <code>extension/dist/firefox-mv3/manifest.json</code>.");
    expect((await ready.request("/addin/taskpane.html")).status).toBe(200);
  });
});
