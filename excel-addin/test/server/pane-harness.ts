/**
 * The task pane in Debian's Chromium against a real API server (demo data, temporary database),
 * office.js replaced by the fake runtime over a FakeWorkbook; and an accountant's portfolio of
 * many companies, made through the API's own use-cases.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { Hono } from "hono";
import { serve, type ServerType } from "@hono/node-server";
import { build } from "vite";
import { frenchVatNumber } from "@passerelle/shared";
import { createApp } from "../../../api/src/app.js";
import { createDeps } from "../../../api/src/deps.js";
import { testConfig } from "../../../api/src/config.js";
import { addinRoutes } from "../../../api/src/routes/addin.js";
import { seedDemo, DEMO_ACCOUNTANT, type DemoInfo } from "../../../api/src/demo/seed.js";
import { createCompany } from "../../../api/src/services/companies.js";
import { createCustomer } from "../../../api/src/services/customers.js";
import { findUserByEmail } from "../../../api/src/services/users.js";
import { sirenFrom } from "../../../api/src/demo/random.js";
import type { Deps } from "../../../api/src/context.js";
import { buildAddin, ADDIN_DIR } from "../build.js";

export const OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

export interface Pane {
  deps: Deps;
  base: string;
  demo: DemoInfo;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** `locale` is the browser's own language (Office's comes from ?lang=, French by default). */
export async function startPane(options: { invoices: number; locale?: string; viewport?: { width: number; height: number } }): Promise<Pane> {
  const [dist, runtime] = await Promise.all([buildAddin(), bundleFakeOffice()]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-"));
  const deps = createDeps(testConfig({ dataDir, databasePath: path.join(dataDir, "passerelle.db") }));
  const demo = await seedDemo(deps, { invoices: options.invoices });
  const outer = new Hono();
  outer.route("/", addinRoutes(deps, { distDir: dist }));
  outer.route("/", createApp(deps));
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: outer.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 380, height: 900 }, locale: options.locale ?? "fr-FR" });
  await context.route(OFFICE_JS, (route) => route.fulfill({ contentType: "text/javascript; charset=utf-8", body: runtime }));
  await context.route((url) => url.hostname !== "127.0.0.1" && url.href !== OFFICE_JS, (route) => route.abort());
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  return {
    deps,
    base,
    demo,
    browser,
    page,
    async close() {
      await browser.close();
      server.close();
      deps.db.close();
    },
  };
}

/**
 * `count` more companies of the demo owner, named "Société 001", "Société 002"…, each with one
 * customer, the demo accountant a member of each (as after accepting an invitation).
 */
export function addPortfolio(deps: Deps, demo: DemoInfo, count: number): { id: string; name: string; siren: string; customerId: string }[] {
  const owner = findUserByEmail(deps.db, demo.owner.email)!;
  const accountant = findUserByEmail(deps.db, DEMO_ACCOUNTANT.email)!;
  const ctx = { db: deps.db, clock: deps.clock, config: deps.config, actorId: owner.id };
  const made = [];
  for (let i = 1; i <= count; i++) {
    const siren = sirenFrom(String(40_000_000 + i * 1_234_567).slice(0, 8));
    const name = `Société ${String(i).padStart(3, "0")}`;
    const company = createCompany(ctx, {
      name,
      siren,
      vatNumber: frenchVatNumber(siren),
      address: { line1: `${i} rue Mercière`, postalCode: "69002", city: "Lyon", country: "FR" },
      legalForm: "SARL",
      capital: "10 000 €",
      rcsCity: "Lyon",
      fiscalYearStart: "01-01",
      paymentTermsDays: 30,
    });
    const customer = createCustomer(ctx, company.id, { name: `Client de la ${name}`, address: "1 place Bellecour, 69002 Lyon" });
    deps.db
      .prepare("INSERT INTO memberships (company_id, user_id, role, invited_by, created_at) VALUES (?, ?, 'accountant', ?, ?)")
      .run(company.id, accountant.id, owner.id, deps.clock.now().toISOString());
    made.push({ id: company.id, name, siren, customerId: customer.id });
  }
  return made;
}

async function bundleFakeOffice(): Promise<string> {
  const output = await build({
    configFile: false,
    root: ADDIN_DIR,
    logLevel: "silent",
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(ADDIN_DIR, "src/fake-excel/office-runtime.ts"), formats: ["iife"], name: "PasserelleFakeOffice", fileName: () => "office.js" },
    },
  });
  const result = Array.isArray(output) ? output[0]! : output;
  if (!("output" in result)) throw new Error("unexpected vite build result");
  const chunk = result.output.find((o) => o.type === "chunk");
  if (!chunk || chunk.type !== "chunk") throw new Error("no bundle for the fake office.js");
  return chunk.code;
}
