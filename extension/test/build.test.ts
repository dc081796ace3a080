// @vitest-environment node
/**
 * The built extension, as stores and browsers receive it: permissions pinned (widening them must be
 * a deliberate change of this file), Firefox's linter clean, the popup small, no remote code.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kb, pageWeight } from "../scripts/bundle-size";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string) => path.resolve(root, "..", "node_modules", ".bin", name);
const out = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-extension-build-"));
const chrome = path.join(out, "chrome-mv3");
const firefox = path.join(out, "firefox-mv3");
const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));

beforeAll(async () => {
  // Built as `npm run build` builds it, not in the test runner's mode.
  const env = { ...process.env, NODE_ENV: "production", PASSERELLE_EXTENSION_OUT: out };
  await run(bin("wxt"), ["build"], { cwd: root, env });
  await run(bin("wxt"), ["build", "-b", "firefox"], { cwd: root, env });
}, 240_000);

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe("built extension", () => {
  it("asks for exactly these permissions, in Chrome and in Firefox", () => {
    for (const dir of [chrome, firefox]) {
      const m = manifest(dir);
      // Chrome's side panel (the invoicing view next to a page) needs `sidePanel`; Firefox's sidebar needs nothing.
      const sidePanel = dir === chrome ? ["sidePanel"] : [];
      expect({
        manifest_version: m.manifest_version,
        permissions: m.permissions,
        host_permissions: m.host_permissions,
        optional_permissions: m.optional_permissions,
        optional_host_permissions: m.optional_host_permissions,
        content_scripts: m.content_scripts,
        web_accessible_resources: m.web_accessible_resources,
        externally_connectable: m.externally_connectable,
        content_security_policy: m.content_security_policy,
      }).toEqual({
        manifest_version: 3,
        permissions: ["storage", "activeTab", "scripting", "contextMenus", "alarms", ...sidePanel],
        host_permissions: ["http://localhost/*", "http://127.0.0.1/*"],
        optional_permissions: undefined,
        optional_host_permissions: ["https://*/*"],
        content_scripts: undefined,
        web_accessible_resources: undefined,
        externally_connectable: undefined,
        content_security_policy: undefined,
      });
    }
  });

  it("opens the invoicing view in Chrome's side panel and in Firefox's sidebar", () => {
    expect(manifest(chrome).side_panel).toEqual({ default_path: "app.html" });
    expect(manifest(chrome).sidebar_action).toBeUndefined();
    expect(manifest(firefox).sidebar_action).toMatchObject({ default_panel: "app.html", default_title: "__MSG_appTitle__", open_at_install: false });
    expect(manifest(firefox).side_panel).toBeUndefined();
    expect(fs.existsSync(path.join(chrome, "app.html"))).toBe(true);
  });

  it("runs its background as a service worker in Chrome and as an event page in Firefox", () => {
    expect(manifest(chrome).background).toEqual({ service_worker: "background.js" });
    expect(manifest(firefox).background).toEqual({ scripts: ["background.js"] });
    expect(manifest(firefox).browser_specific_settings.gecko).toMatchObject({ id: "extension@passerelle.fr", strict_min_version: "140.0" });
    expect(manifest(chrome).default_locale).toBe("fr");
  });

  it("passes Firefox's add-on linter without errors", async () => {
    const { stdout } = await run(bin("web-ext"), ["lint", "--source-dir", firefox, "--output", "json", "--no-config-discovery"], { cwd: root }).catch((e) => e);
    const report = JSON.parse(stdout);
    console.log(
      `web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings (${report.warnings.map((w: { code: string }) => w.code).join(", ")})`,
    );
    expect(report.errors).toEqual([]);
    // The one warning is Preact's own renderer supporting dangerouslySetInnerHTML, which no view uses.
    expect(report.warnings.map((w: { code: string }) => w.code)).toEqual(["UNSAFE_VAR_ASSIGNMENT"]);
  }, 120_000);

  it("keeps the popup's JavaScript under 60 KB gzipped", () => {
    const popup = pageWeight(chrome, "popup.html");
    console.log(`popup JavaScript: ${kb(popup.gzipBytes)} gzipped, ${kb(popup.bytes)} raw — ${popup.files.map((f) => f.file).join(", ")}`);
    expect(popup.files.length).toBeGreaterThan(0);
    expect(popup.gzipBytes).toBeLessThan(60 * 1024);
  });

  it("keeps the invoicing view's JavaScript under 40 KB gzipped", () => {
    const app = pageWeight(chrome, "app.html");
    console.log(`invoicing view JavaScript: ${kb(app.gzipBytes)} gzipped, ${kb(app.bytes)} raw — ${app.files.map((f) => f.file).join(", ")}`);
    expect(app.files.length).toBeGreaterThan(0);
    expect(app.gzipBytes).toBeLessThan(40 * 1024);
  });

  it("loads no remote code: every script is a file of the package", () => {
    for (const page of ["popup.html", "options.html", "invoice-pdf.html", "app.html"]) {
      const html = fs.readFileSync(path.join(chrome, page), "utf8");
      expect(html).not.toMatch(/<script[^>]+src="(https?:)?\/\//);
      for (const src of [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!)) {
        expect(fs.existsSync(path.join(chrome, src))).toBe(true);
      }
    }
  });
});

describe("sources", () => {
  it("never write HTML from data: no innerHTML, no dangerouslySetInnerHTML, no eval", () => {
    const files = ["lib", "components", "entrypoints"].flatMap((dir) =>
      fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" }).filter((f) => /\.(ts|tsx)$/.test(f)).map((f) => path.join(root, dir, f)),
    );
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const code = fs.readFileSync(file, "utf8");
      expect([file, /innerHTML|dangerouslySetInnerHTML|\beval\(|new Function\(/.test(code)]).toEqual([file, false]);
    }
  });
});
