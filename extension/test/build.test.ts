// @vitest-environment node
/**
 * The built extension, as stores and browsers receive it (`npm run zip`): permissions pinned
 * (widening them must be a deliberate change of this file), packages complete and within the
 * stores' limits, Firefox's linter clean on the package it receives, sources that rebuild that
 * package, the popup small, no remote code.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kb, pageWeight } from "../scripts/bundle-size";
import { zipFiles } from "./zip-files";
import { pngSize } from "./png-size";
import { readListing } from "./store-listing";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string) => path.resolve(root, "..", "node_modules", ".bin", name);
const out = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-extension-build-"));
const chrome = path.join(out, "chrome-mv3");
const firefox = path.join(out, "firefox-mv3");
const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
const zipOf = (what: "chrome" | "firefox" | "sources") => path.join(out, `passerelle-${version}-${what}.zip`);
// Built as `npm run build` builds it, not in the test runner's mode.
const env = { ...process.env, NODE_ENV: "production", PASSERELLE_EXTENSION_OUT: out };
const scratch: string[] = [];
const scratchDir = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `passerelle-${name}-`));
  scratch.push(dir);
  return dir;
};

function unpack(files: Map<string, Buffer>, dir: string): string {
  for (const [name, bytes] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), bytes);
  }
  return dir;
}

beforeAll(async () => {
  await run("npm", ["run", "zip"], { cwd: root, env });
}, 240_000);

afterAll(() => {
  for (const dir of [out, ...scratch]) fs.rmSync(dir, { recursive: true, force: true });
});

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

  it("keeps the popup's JavaScript under 60 KB gzipped", () => {
    const popup = pageWeight(chrome, "popup.html");
    console.log(`popup JavaScript: ${kb(popup.gzipBytes)} gzipped, ${kb(popup.bytes)} raw — ${popup.files.map((f) => f.file).join(", ")}`);
    expect(popup.files.length).toBeGreaterThan(0);
    expect(popup.gzipBytes).toBeLessThan(60 * 1024);
  });

  it("keeps the invoicing view's JavaScript under 56 KB gzipped", () => {
    const app = pageWeight(chrome, "app.html");
    console.log(`invoicing view JavaScript: ${kb(app.gzipBytes)} gzipped, ${kb(app.bytes)} raw — ${app.files.map((f) => f.file).join(", ")}`);
    expect(app.files.length).toBeGreaterThan(0);
    // 14.7 KB of it is the API's rule catalogue in French, shared with the API (shared/src/problem-i18n.ts)
    expect(app.gzipBytes).toBeLessThan(56 * 1024);
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

describe("store packages", () => {
  it("npm run zip makes the Chrome and Firefox packages and the Firefox sources, named by the version", () => {
    expect(fs.readdirSync(out).filter((f) => f.endsWith(".zip")).sort()).toEqual([
      `passerelle-${version}-chrome.zip`,
      `passerelle-${version}-firefox.zip`,
      `passerelle-${version}-sources.zip`,
    ]);
  });

  it("holds its manifest at the root, with the package's version, and every file the manifest and the pages name", async () => {
    for (const browser of ["chrome", "firefox"] as const) {
      const files = await zipFiles(zipOf(browser));
      const m = JSON.parse(files.get("manifest.json")!.toString("utf8"));
      expect([browser, m.version]).toEqual([browser, version]);
      const named = new Set<string>();
      JSON.stringify(m, (_key, value) => (typeof value === "string" && /\.(html|js|png|css)$/.test(value) && named.add(value.replace(/^\//, "")), value));
      for (const page of [...named].filter((f) => f.endsWith(".html"))) {
        for (const [, ref] of files.get(page)!.toString("utf8").matchAll(/(?:src|href)="\/?([^":]+\.(?:js|css|png))"/g)) named.add(ref!);
      }
      expect(named.size).toBeGreaterThan(8);
      expect([browser, [...named].filter((f) => !files.has(f))]).toEqual([browser, []]);
    }
  });

  it("fits the stores' limits in French and English: name 75 characters, description 132, a 128 × 128 icon", async () => {
    const files = await zipFiles(zipOf("chrome"));
    const m = JSON.parse(files.get("manifest.json")!.toString("utf8"));
    expect(m.default_locale).toBe("fr");
    for (const locale of ["fr", "en"]) {
      const messages = JSON.parse(files.get(`_locales/${locale}/messages.json`)!.toString("utf8"));
      const resolve = (text: string) => text.replace(/^__MSG_(\w+)__$/, (_, key: string) => messages[key].message);
      const name = resolve(m.name);
      const description = resolve(m.description);
      expect([locale, name.length <= 75, description.length <= 132]).toEqual([locale, true, true]);
      expect(name).toBe("Passerelle");
    }
    expect(pngSize(files.get(m.icons["128"])!)).toEqual({ width: 128, height: 128 });
  });

  it("passes Firefox's add-on linter as addons.mozilla.org receives it: no error, one accepted warning", async () => {
    const unpacked = unpack(await zipFiles(zipOf("firefox")), scratchDir("firefox-package"));
    const { stdout } = await run(bin("web-ext"), ["lint", "--source-dir", unpacked, "--output", "json", "--no-config-discovery"], { cwd: root }).catch((e) => e);
    const report = JSON.parse(stdout);
    console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.notices} notices`);
    expect(report.errors).toEqual([]);
    expect(report.notices).toEqual([]);
    // Accepted: Preact's renderer supports dangerouslySetInnerHTML (an innerHTML assignment), which no view uses (see "sources" below).
    expect(report.warnings.map((w: { code: string; message: string }) => [w.code, w.message])).toEqual([["UNSAFE_VAR_ASSIGNMENT", "Unsafe assignment to innerHTML"]]);
  }, 120_000);

  it("ships sources that rebuild the same Firefox package, for the add-on's reviewers", async () => {
    const sources = await zipFiles(zipOf("sources"));
    const names = [...sources.keys()];
    expect(names.filter((n) => /^(api|excel-addin|data|test-output)\/|^extension\/store\/screenshots\/|\.db/.test(n))).toEqual([]);
    expect(["package.json", "package-lock.json", "extension/package.json", "extension/store/README.md", "shared/package.json"].filter((n) => !sources.has(n))).toEqual([]);

    const tree = unpack(sources, scratchDir("sources"));
    // The repository's installed packages stand in for `npm ci`; the two workspaces are the unpacked ones.
    const modules = path.join(root, "..", "node_modules");
    fs.mkdirSync(path.join(tree, "node_modules", "@passerelle"), { recursive: true });
    for (const entry of fs.readdirSync(modules).filter((e) => !e.startsWith(".") && e !== "@passerelle")) {
      fs.symlinkSync(fs.realpathSync(path.join(modules, entry)), path.join(tree, "node_modules", entry));
    }
    for (const workspace of ["shared", "extension"]) fs.symlinkSync(path.join(tree, workspace), path.join(tree, "node_modules", "@passerelle", workspace));

    const rebuilt = scratchDir("rebuilt");
    await run(bin("wxt"), ["zip", "-b", "firefox"], { cwd: path.join(tree, "extension"), env: { ...env, PASSERELLE_EXTENSION_OUT: rebuilt } });
    const [original, again] = await Promise.all([zipFiles(zipOf("firefox")), zipFiles(path.join(rebuilt, `passerelle-${version}-firefox.zip`))]);
    expect([...again.keys()].sort()).toEqual([...original.keys()].sort());
    expect([...original].filter(([name, bytes]) => !again.get(name)!.equals(bytes)).map(([name]) => name)).toEqual([]);
  }, 240_000);
});

describe("store listing against the package", () => {
  it("justifies every permission the packages ask for, and only those, in French and English", () => {
    const asked = new Set<string>();
    for (const dir of [chrome, firefox]) {
      const m = manifest(dir);
      for (const list of [m.permissions, m.host_permissions, m.optional_host_permissions]) for (const p of list ?? []) asked.add(p);
    }
    for (const language of ["fr", "en"] as const) {
      expect([language, [...readListing(language).permissions.keys()].sort()]).toEqual([language, [...asked].sort()]);
    }
  });

  it("declares to Firefox the data the listing says it sends: sign-in, people's names and addresses, invoices, documents from pages", () => {
    const declared = manifest(firefox).browser_specific_settings.gecko.data_collection_permissions;
    expect(declared).toEqual({ required: ["authenticationInfo", "personallyIdentifyingInfo", "financialAndPaymentInfo", "websiteContent"] });
    for (const language of ["fr", "en"] as const) expect([language, readListing(language).firefoxData]).toEqual([language, declared.required]);
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
