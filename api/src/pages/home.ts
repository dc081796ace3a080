/**
 * `GET /`: the address `npm start` prints, and what a firm's IT person opens on their server — what
 * runs here, its version, and the way to everything else: the API docs, the Excel add-in's manifest
 * and how to sideload it, the browser extension's build and how to load it, the health check.
 * French by default, English when the browser prefers it (or `?lang=en`).
 */
import fs from "node:fs";
import path from "node:path";
import { Hono } from "hono";
import type { AppEnv, Deps } from "../context.js";
import { REPO_DIR } from "../paths.js";
import { VERSION } from "../version.js";
import { html, page, type Html } from "./layout.js";

export type Language = "fr" | "en";

/** The language the client prefers among French and English (by `q`, then by order); French when it says neither. */
export function preferredLanguage(acceptLanguage: string | undefined): Language {
  let best: { lang: Language; q: number } | null = null;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const [tag = "", ...params] = part.trim().toLowerCase().split(";");
    const lang = tag === "fr" || tag.startsWith("fr-") ? "fr" : tag === "en" || tag.startsWith("en-") ? "en" : null;
    const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith("q="))?.slice(2) ?? 1);
    if (lang && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? "fr";
}

export interface HomeOptions {
  /** The built add-in (excel-addin/dist) and extension (extension/dist): the page says whether they are there. */
  addinDist?: string;
  extensionDist?: string;
}

export function homePage(deps: Deps, options: HomeOptions = {}) {
  const addinDist = options.addinDist ?? path.join(REPO_DIR, "excel-addin", "dist");
  const extensionDist = options.extensionDist ?? path.join(REPO_DIR, "extension", "dist");
  const app = new Hono<AppEnv>();
  app.get("/", (c) => {
    const asked = c.req.query("lang");
    const lang: Language = asked === "en" || asked === "fr" ? asked : preferredLanguage(c.req.header("accept-language"));
    const built = {
      addin: fs.existsSync(path.join(addinDist, "taskpane.html")),
      chrome: fs.existsSync(path.join(extensionDist, "chrome-mv3", "manifest.json")),
      firefox: fs.existsSync(path.join(extensionDist, "firefox-mv3", "manifest.json")),
    };
    const body = (lang === "fr" ? french : english)(deps.config.publicUrl, built);
    return page(200, lang === "fr" ? "Serveur Passerelle" : "Passerelle server", body, { vary: "accept-language", "content-language": lang }, lang);
  });
  return app;
}

interface Built {
  addin: boolean;
  chrome: boolean;
  firefox: boolean;
}

function french(base: string, built: Built): Html {
  return html`<h1>Passerelle est en service</h1>
<p>Ce serveur fait tourner Passerelle ${VERSION} : l'API des factures, du journal des ventes et des exports, le complément Excel des comptables et les pages d'invitation. Adresse publique : <code>${base}</code>.</p>
<p><a href="/?lang=en" hreflang="en" lang="en">English</a></p>
<h2>API</h2>
<ul><li><a href="/docs">Documentation de l'API</a> (<a href="/openapi.json">OpenAPI</a>) ; l'API répond sous <code>${base}/api/v1</code>.</li></ul>
<h2>Excel (comptables)</h2>
<ul>
<li>Manifeste du complément pour ce serveur : <a href="/addin/manifest.xml">manifest.xml</a>.</li>
<li>Excel sur le web : Insertion › Compléments › Charger mon complément, puis choisissez ce manifeste.</li>
<li>Excel pour Windows : la même commande dans Microsoft 365 ; sinon, déposez le manifeste dans un dossier partagé déclaré dans Fichier › Options › Centre de gestion de la confidentialité › Catalogues de compléments approuvés.</li>
<li>Excel pour Mac : copiez le manifeste dans <code>~/Library/Containers/com.microsoft.Excel/Data/Documents/wef</code>, puis redémarrez Excel.</li>
<li>${built.addin ? html`Le volet est servi ici : <a href="/addin/taskpane.html">volet Passerelle</a>.` : html`Le complément n'est pas encore construit sur ce serveur : <code>npm run build -w excel-addin</code>.`}</li>
</ul>
<h2>Extension du navigateur (dirigeants)</h2>
<ul>
${
  built.chrome || built.firefox
    ? html`<li>Chrome, Edge : ouvrez <code>chrome://extensions</code>, activez le mode développeur, « Charger l'extension non empaquetée » et choisissez le dossier <code>extension/dist/chrome-mv3</code> de Passerelle.</li>
<li>Firefox : ouvrez <code>about:debugging#/runtime/this-firefox</code>, « Charger un module complémentaire temporaire » et choisissez <code>extension/dist/firefox-mv3/manifest.json</code>.</li>
<li>Dans ses options, indiquez l'adresse de ce serveur : <code>${base}</code>.</li>`
    : html`<li>L'extension n'est pas encore construite : <code>npm run build -w extension</code> crée <code>extension/dist/chrome-mv3</code> (Chrome, Edge) et <code>extension/dist/firefox-mv3</code> (Firefox).</li>`
}
</ul>
<h2>État</h2>
<p><a href="/health">/health</a> répond <code>{"ok":true,"version":"${VERSION}"}</code> quand le serveur est prêt : c'est l'adresse à surveiller.</p>`;
}

function english(base: string, built: Built): Html {
  return html`<h1>Passerelle is running</h1>
<p>This server runs Passerelle ${VERSION}: the API of invoices, the sales journal and exports, the accountants' Excel add-in and the invitation pages. Public address: <code>${base}</code>.</p>
<p><a href="/?lang=fr" hreflang="fr" lang="fr">Français</a></p>
<h2>API</h2>
<ul><li><a href="/docs">API documentation</a> (<a href="/openapi.json">OpenAPI</a>); the API answers under <code>${base}/api/v1</code>.</li></ul>
<h2>Excel (accountants)</h2>
<ul>
<li>The add-in's manifest for this server: <a href="/addin/manifest.xml">manifest.xml</a>.</li>
<li>Excel on the web: Insert › Add-ins › Upload My Add-in, then choose this manifest.</li>
<li>Excel for Windows: the same command in Microsoft 365; otherwise put the manifest in a shared folder listed under File › Options › Trust Center › Trusted Add-in Catalogs.</li>
<li>Excel for Mac: copy the manifest into <code>~/Library/Containers/com.microsoft.Excel/Data/Documents/wef</code>, then restart Excel.</li>
<li>${built.addin ? html`The task pane is served here: <a href="/addin/taskpane.html">Passerelle pane</a>.` : html`The add-in is not built on this server yet: <code>npm run build -w excel-addin</code>.`}</li>
</ul>
<h2>Browser extension (owners)</h2>
<ul>
${
  built.chrome || built.firefox
    ? html`<li>Chrome, Edge: open <code>chrome://extensions</code>, turn on developer mode, “Load unpacked” and choose Passerelle's <code>extension/dist/chrome-mv3</code> folder.</li>
<li>Firefox: open <code>about:debugging#/runtime/this-firefox</code>, “Load Temporary Add-on” and choose <code>extension/dist/firefox-mv3/manifest.json</code>.</li>
<li>In its options, enter this server's address: <code>${base}</code>.</li>`
    : html`<li>The extension is not built yet: <code>npm run build -w extension</code> makes <code>extension/dist/chrome-mv3</code> (Chrome, Edge) and <code>extension/dist/firefox-mv3</code> (Firefox).</li>`
}
</ul>
<h2>Health</h2>
<p><a href="/health">/health</a> answers <code>{"ok":true,"version":"${VERSION}"}</code> when the server is ready: the address to monitor.</p>`;
}
