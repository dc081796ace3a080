/**
 * `npx tsx bench/month-end.ts [--companies 500] [--requests 40]`
 *
 * Month-end across a portfolio: `GET /accountant/month-end` (one statement for every company)
 * through `app.request()`, against the same figures read one company at a time (the lock, the last
 * export, the invoice counts: three statements per company), on the same fresh database. Both must
 * agree company by company. Printed and written to bench/results/month-end.md. Not part of `npm test`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { testConfig } from "../src/config.js";
import { fixedClock } from "../src/clock.js";
import { createUser } from "../src/services/users.js";
import { createCompany } from "../src/services/companies.js";
import { createCustomer } from "../src/services/customers.js";
import { createDraft, issueInvoice } from "../src/services/invoices.js";
import { lockPeriod } from "../src/services/locks.js";
import { ACCOUNTING_EXPORTS, monthEndView } from "../src/services/month-end.js";
import { machine, ms, stats } from "./support.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COMPANIES = arg("companies", 500);
const REQUESTS = arg("requests", 40);
const DATE = "2026-10-31";
const LINES = [{ description: "Étude", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const }];

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-bench-month-end-"));
const clock = fixedClock("2026-11-20T10:00:00Z");
const deps = createDeps(testConfig({ dataDir }), { clock });
const app = createApp(deps);
const owner = await createUser(deps, { email: "owner@bench.passerelle.fr", password: "correct horse battery", name: "Propriétaire" });
const accountant = await createUser(deps, { email: "comptable@bench.passerelle.fr", password: "correct horse battery", name: "Comptable" });
const ctx = { db: deps.db, clock, config: deps.config, actorId: owner.id };
const built = performance.now();
for (let n = 1; n <= COMPANIES; n++) {
  const c = createCompany(ctx, {
    name: `Société ${String(n).padStart(4, "0")}`,
    siren: "853904811",
    address: { line1: "14 rue des Tanneurs", postalCode: "69002", city: "Lyon", country: "FR" },
    fiscalYearStart: "01-01",
    paymentTermsDays: 30,
  });
  deps.db.prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'accountant', ?)").run(c.id, accountant.id, clock.now().toISOString());
  const customer = createCustomer(ctx, c.id, { name: "Client", address: "1 place Bellecour, 69002 Lyon" });
  for (let i = 0; i < n % 3; i++) issueInvoice(ctx, c.id, createDraft(ctx, c.id, { customerId: customer.id, lines: LINES }).id, { issueDate: "2026-10-12" });
  for (let i = 0; i < n % 4; i++) createDraft(ctx, c.id, { customerId: customer.id, issueDate: "2026-10-15", lines: LINES });
  if (n % 5 === 0) lockPeriod({ ...ctx, actorId: accountant.id }, c.id, { until: "2026-09-30", kind: "soft" });
}
const buildSeconds = (performance.now() - built) / 1000;

const login = await app.request("/api/v1/auth/login", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email: "comptable@bench.passerelle.fr", password: "correct horse battery" }),
});
const token = ((await login.json()) as { token: string }).token;

interface Figures {
  companyId: string;
  lockedUntil: string | null;
  drafts: number;
  issuedSinceExport: number;
  unpaidCount: number;
  unpaidCents: number;
}

async function viaRoute(): Promise<Figures[]> {
  const res = await app.request(`/api/v1/accountant/month-end?date=${DATE}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`month-end answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { items: Figures[] }).items;
}

/** The same figures one company at a time: the lock, the last export, the counts. */
function oneByOne(): Figures[] {
  const ids = deps.db.prepare("SELECT c.id FROM memberships m JOIN companies c ON c.id = m.company_id WHERE m.user_id = ? ORDER BY c.name").pluck().all(accountant.id) as string[];
  const lock = deps.db.prepare("SELECT until FROM period_locks WHERE company_id = ? ORDER BY pk DESC LIMIT 1").pluck();
  const exported = deps.db.prepare(`SELECT MAX(completed_at) FROM exports WHERE company_id = ? AND kind IN (${ACCOUNTING_EXPORTS.map((k) => `'${k}'`).join(", ")})`).pluck();
  const counts = deps.db.prepare(
    `SELECT COALESCE(SUM(CASE WHEN status = 'draft' AND (@lock IS NULL OR issue_date > @lock) THEN 1 ELSE 0 END), 0) AS drafts,
            COALESCE(SUM(CASE WHEN status != 'draft' AND (@seen IS NULL OR issued_at > @seen) THEN 1 ELSE 0 END), 0) AS issuedSinceExport,
            COALESCE(SUM(CASE WHEN type = 'invoice' AND status IN ('issued', 'partially_paid') AND ttc_cents - credited_cents - paid_cents > 0 THEN 1 ELSE 0 END), 0) AS unpaidCount,
            COALESCE(SUM(CASE WHEN type = 'invoice' AND status IN ('issued', 'partially_paid') AND ttc_cents - credited_cents - paid_cents > 0 THEN ttc_cents - credited_cents - paid_cents ELSE 0 END), 0) AS unpaidCents
     FROM invoices WHERE company_id = @companyId AND issue_date <= @date`,
  );
  return ids.map((companyId) => {
    const lockedUntil = (lock.get(companyId) as string | null | undefined) ?? null;
    const seen = (exported.get(companyId) as string | null) ?? null;
    return { companyId, lockedUntil, ...(counts.get({ companyId, lock: lockedUntil, seen, date: DATE }) as Omit<Figures, "companyId" | "lockedUntil">) };
  });
}

const pick = (x: Figures): Figures => ({ companyId: x.companyId, lockedUntil: x.lockedUntil, drafts: x.drafts, issuedSinceExport: x.issuedSinceExport, unpaidCount: x.unpaidCount, unpaidCents: x.unpaidCents });
const a = (await viaRoute()).map(pick);
const b = oneByOne().map(pick);
if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("the route and the company-by-company reading disagree");

const principal = { userId: accountant.id, via: "session" as const, credentialHash: "", scope: "read" as const, companyId: null };
const statementMs: number[] = [];
const routeMs: number[] = [];
const loopMs: number[] = [];
for (let r = 0; r < REQUESTS; r++) {
  // taking turns, so that what else the machine does weighs on both alike
  let t0 = performance.now();
  await viaRoute();
  routeMs.push(performance.now() - t0);
  t0 = performance.now();
  oneByOne();
  loopMs.push(performance.now() - t0);
  t0 = performance.now();
  monthEndView(deps, principal, DATE);
  statementMs.push(performance.now() - t0);
}
const route = stats(routeMs);
const loop = stats(loopMs);
const statement = stats(statementMs);
const invoices = deps.db.prepare("SELECT COUNT(*) FROM invoices").pluck().get() as number;
const m = machine();
const row =
  `| Month-end across ${COMPANIES} companies (GET /accountant/month-end) | app.request p50 ${ms(route.p50)} / p99 ${ms(route.p99)} | ` +
  `one company at a time, 3 statements each (${3 * COMPANIES + 1} statements, no HTTP): p50 ${ms(loop.p50)} / p99 ${ms(loop.p99)} | ` +
  `${(loop.p50 / route.p50).toFixed(1)}× | the statement alone (monthEndView, no HTTP): p50 ${ms(statement.p50)} / p99 ${ms(statement.p99)}; ${REQUESTS} requests each, taking turns; ${invoices.toLocaleString("en-US")} invoices and drafts; same figures for every company; portfolio built in ${buildSeconds.toFixed(1)} s |`;
const report = [
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${m.cpu}, ${m.memory} RAM, ${m.os}, node ${m.node}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} at the end.`,
  "",
  "| Benchmark | Passerelle | Compared with | Ratio | Notes |",
  "|---|---|---|---|---|",
  row,
  "",
].join("\n");
console.log(report);
fs.mkdirSync(path.join(HERE, "results"), { recursive: true });
fs.writeFileSync(path.join(HERE, "results", "month-end.md"), report);
deps.db.close();
fs.rmSync(dataDir, { recursive: true, force: true });
