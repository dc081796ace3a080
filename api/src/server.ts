/** Starts Passerelle: opens (or creates) the database, loads the demo on first start, listens, prints where everything is. */
import { redactedUrl } from "./db/postgres/urls.js";
import { serve } from "@hono/node-server";
import { configOrExit } from "./start-up-check.js";
import { createDeps } from "./deps.js";
import { createApp } from "./app.js";
import { ensureDemo } from "./demo/seed.js";
import { startWorkers } from "./workers.js";
import { existsSync } from "node:fs";
import path from "node:path";
import { REPO_DIR } from "./paths.js";
import { keepServingOnStrayErrors } from "./last-resort.js";
import { runningClockFrom, systemClock } from "./clock.js";

const extensionDir = path.join(REPO_DIR, "extension", "dist") + path.sep;

const config = configOrExit();
const shownNow = process.env.PASSERELLE_NOW?.trim();
if (shownNow && Number.isNaN(Date.parse(shownNow))) {
  console.error(`PASSERELLE_NOW must be an ISO 8601 instant such as 2027-01-15T09:00:00Z, not "${shownNow}"`);
  process.exit(1);
}
if (shownNow) console.warn(`PASSERELLE_NOW: the server's clock starts at ${new Date(shownNow).toISOString()}, not at today's date — documents and reminders are dated from it (never in production)`);
const deps = createDeps(config, { clock: shownNow ? runningClockFrom(new Date(shownNow)) : systemClock });
const demo = process.env.PASSERELLE_DEMO === "0" ? null : await ensureDemo(deps);
const app = createApp(deps);
const workers = startWorkers(deps);

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const base = config.publicUrl;
  const lines = [
    "",
    `Passerelle is running — ${base}`,
    `  API        ${base}/api/v1   (health: ${base}/health)`,
    `  API docs   ${base}/docs     (OpenAPI: ${base}/openapi.json)`,
    `  Database   ${redactedUrl(config.databasePath)}`,
    base.startsWith("https://")
      ? `  Excel      ${base}/addin/taskpane.html   (manifest for this server: ${base}/addin/manifest.xml)`
      : `  Excel      ${base}/addin/taskpane.html   (no manifest: Office loads add-ins over HTTPS only; set PUBLIC_URL to an https:// address, or npm run addin:https)`,
    `  Extension  ${existsSync(extensionDir + "chrome-mv3") ? `load unpacked: ${extensionDir}chrome-mv3 (Chrome) · ${extensionDir}firefox-mv3/manifest.json (Firefox)` : "not built yet: npm run build -w extension"}`,
    `  Mail       ${config.smtpUrl ? `SMTP ${new URL(config.smtpUrl).host}` : `no SMTP_URL: messages go to ${config.dataDir}/outbox (links also printed here)`}`,
  ];
  if (demo) {
    lines.push(`  Demo owner       ${demo.owner.email} / ${demo.owner.password}`);
    lines.push(`  Demo accountant  ${demo.accountant.email} / ${demo.accountant.password}`);
    lines.push(`  Demo company     ${demo.companyName} (${demo.companyId})`);
  }
  lines.push("", `Try it:  curl -s ${base}/api/v1/auth/login -H 'content-type: application/json' -d '{"email":"${demo?.owner.email ?? "you@example.fr"}","password":"${demo?.owner.password ?? "…"}"}'`, "");
  console.log(lines.join("\n"));
  void info;
  // installed once listening: a failure to start still ends the process
  keepServingOnStrayErrors();
});

async function shutdown() {
  deps.lifecycle.shuttingDown = true;
  deps.abortedConnections.flush();
  server.close();
  await Promise.all([workers.stop(), deps.renders.close()]);
  deps.db.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
