/**
 * Serves the built Excel add-in (excel-addin/dist) under /addin/, so the task pane and the API
 * share one origin (no CORS). Hashed assets are cached for good; the rest is revalidated.
 * /addin/manifest.xml is the project's manifest pointed at this server's public URL.
 */
import fs from "node:fs";
import path from "node:path";
import { REPO_DIR } from "../paths.js";
import { Hono } from "hono";
import type { AppEnv, Deps } from "../context.js";
import { ProblemError } from "../http/problem.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/**
 * The task pane's policy. Office.js and the host scripts it loads come from Microsoft's CDN (and
 * MicrosoftAjax from ajax.aspnetcdn.com on some hosts) and add inline styles; the pane talks to
 * this origin only; Excel on the web frames it from Microsoft's domains (the desktop apps do not
 * frame it at all).
 */
export const TASK_PANE_CSP = [
  "default-src 'self'",
  "script-src 'self' https://appsforoffice.microsoft.com https://ajax.aspnetcdn.com",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self' https://*.officeapps.live.com https://*.office.com https://*.office365.com https://*.sharepoint.com https://onedrive.live.com https://*.microsoft365.com https://*.cloud.microsoft",
].join("; ");

/** Vite names bundled assets name-<hash>.ext: their content never changes under that name. */
const HASHED = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.(js|css|woff2)$/;

export interface AddinOptions {
  distDir?: string;
  manifestPath?: string;
}

export function addinRoutes(deps: Deps, options: AddinOptions = {}) {
  const dist = path.resolve(options.distDir ?? path.join(REPO_DIR, "excel-addin", "dist"));
  const manifestPath = options.manifestPath ?? path.join(REPO_DIR, "manifest.xml");
  const app = new Hono<AppEnv>();

  app.get("/addin", (c) => c.redirect("/addin/taskpane.html"));
  app.get("/addin/", (c) => c.redirect("/addin/taskpane.html"));

  app.get("/addin/manifest.xml", (c) => {
    const refusal = manifestRefusal(deps.config.publicUrl);
    if (refusal) {
      console.error(`GET /addin/manifest.xml refused: ${refusal}`);
      throw new ProblemError(409, "Conflict", refusal);
    }
    const xml = fs.readFileSync(manifestPath, "utf8");
    const base = /<DefaultSettings>\s*<SourceLocation DefaultValue="([^"]+)taskpane\.html"/.exec(xml)?.[1];
    const here = `${deps.config.publicUrl}/addin/`;
    c.header("content-type", "application/xml; charset=utf-8");
    c.header("cache-control", "no-cache");
    c.header("content-disposition", 'attachment; filename="passerelle-manifest.xml"');
    return c.body(base ? xml.split(`"${base}`).join(`"${here}`) : xml);
  });

  app.get("/addin/*", (c) => {
    let relative: string;
    try {
      relative = decodeURIComponent(c.req.path.slice("/addin/".length));
    } catch {
      throw missing(c.req.path);
    }
    const file = path.resolve(dist, relative);
    if (relative.includes("\0") || !file.startsWith(dist + path.sep)) throw missing(c.req.path);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      if (!fs.existsSync(dist)) {
        throw new ProblemError(404, "Not Found", "The Excel add-in is not built on this server: run `npm run build -w excel-addin`.");
      }
      throw missing(c.req.path);
    }
    if (!stat.isFile()) throw missing(c.req.path);
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    c.header("etag", etag);
    c.header("cache-control", HASHED.test(relative.split(path.sep).join("/")) ? "public, max-age=31536000, immutable" : "no-cache");
    const extension = path.extname(file).toLowerCase();
    c.header("content-type", CONTENT_TYPES[extension] ?? "application/octet-stream");
    if (extension === ".html") c.header("content-security-policy", TASK_PANE_CSP);
    if (c.req.header("if-none-match") === etag) return c.body(null, 304);
    return c.body(fs.readFileSync(file));
  });

  return app;
}

/**
 * Office loads an add-in over HTTPS only: a manifest pointing at http:// would be accepted by the
 * upload dialog and then show a blank pane. Handing it out is refused, saying what to set.
 */
export function manifestRefusal(publicUrl: string): string | null {
  if (publicUrl.startsWith("https://")) return null;
  return (
    `PUBLIC_URL is ${publicUrl}, but Office loads add-ins over HTTPS only: a manifest pointing there would show a blank pane. ` +
    `Set PUBLIC_URL to this server's https:// address (behind a TLS proxy), or run \`npm run addin:https\` to try it on this machine. ` +
    `Office ne charge un complément qu'en HTTPS : mettez dans PUBLIC_URL l'adresse https:// du serveur, ou lancez \`npm run addin:https\` pour l'essayer sur ce poste.`
  );
}

function missing(pathname: string): ProblemError {
  return new ProblemError(404, "Not Found", `No add-in file at ${pathname}.`);
}
