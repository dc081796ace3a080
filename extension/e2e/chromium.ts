/** The built extension in Debian's Chromium, as the end-to-end tests and the store screenshots run it. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Worker } from "playwright-core";

export const extensionRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(extensionRoot, "..");

/** `wxt build` as `npm run build` runs it, into a temporary folder; returns the Chrome build's folder. */
export async function buildExtension(): Promise<{ dist: string; remove: () => void }> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-extension-"));
  const bin = path.join(repoRoot, "node_modules", ".bin", "wxt");
  await promisify(execFile)(bin, ["build"], { cwd: extensionRoot, env: { ...process.env, NODE_ENV: "production", PASSERELLE_EXTENSION_OUT: out } });
  return { dist: path.join(out, "chrome-mv3"), remove: () => fs.rmSync(out, { recursive: true, force: true }) };
}

/** Chromium in the given language with the extension loaded: Debian ships languages other than English in `chromium-l10n`. */
export function launchWithExtension(dist: string, options: { language: "fr" | "en"; userDataDir: string; args?: string[]; timeout: number }) {
  const { language } = options;
  return chromium.launchPersistentContext(options.userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    ignoreDefaultArgs: ["--disable-extensions"],
    env: { ...process.env, LANGUAGE: language, LANG: language === "fr" ? "fr_FR.UTF-8" : "en_US.UTF-8" },
    args: [
      `--lang=${language === "fr" ? "fr-FR" : "en-US"}`,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
      ...(options.args ?? []),
    ],
    timeout: options.timeout,
  });
}

export async function extensionWorker(context: BrowserContext, timeout: number): Promise<Worker> {
  return context.serviceWorkers().find((w) => w.url().endsWith("/background.js")) ?? (await context.waitForEvent("serviceworker", { timeout }));
}
