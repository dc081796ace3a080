/**
 * The benchmark data set: one company with N invoices over three fiscal years (2023–2025), 1–5 lines
 * each at several VAT rates, 5 % credited in full, 90 % paid (one in ten in two instalments), with
 * the record chain, the activity log and the lettering exactly as the API leaves them.
 *
 * The owner, company, customers and products are created through the API itself. The documents come
 * from `simulate` (the services' own domain and hashing functions); each batch is one transaction of
 * prepared INSERTs. Secondary indexes are dropped for the load and rebuilt after it (the rebuild is
 * counted). A worker thread for the simulation was tried and lost on this 2-core machine: moving
 * ~12 rows per invoice between threads cost more than it saved.
 */
import fs from "node:fs";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { configFromEnv } from "../src/config.js";
import { fixedClock } from "../src/clock.js";
import { openDatabase, type Db } from "../src/db/connection.js";
import { addressOf, type CompanyRow } from "../src/db/rows.js";
import { DAYS, FIRST_DAY, simulate, TABLE_COLUMNS, type Batch, type SimulationInput, type TableName } from "./simulate.js";
import { addDays } from "@passerelle/shared";

export interface GenerateOptions {
  file: string;
  invoices: number;
  seed?: number;
  customers?: number;
  batchInvoices?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface Generated {
  file: string;
  companyId: string;
  ownerEmail: string;
  password: string;
  counts: Record<string, number>;
  firstDate: string;
  lastDate: string;
  setupSeconds: number;
  loadSeconds: number;
  /** Of the load: time inside the INSERT transactions (the rest is the simulation: domain functions and hashing). */
  writeSeconds?: number;
  indexSeconds: number;
  totalSeconds: number;
  invoicesPerSecond: number;
  fileBytes: number;
  method: string;
}

export const BENCH_OWNER = { email: "bench@passerelle.example", password: "benchmark passerelle 2026" };

/** Owner, company, customers and products through the API (a few thousand calls on app.request()). */
async function setUp(file: string, customers: number) {
  const config = { ...configFromEnv({ PASSERELLE_DB: file, PASSERELLE_DATA: `${file}.data` }), scryptCost: 2 ** 14 };
  const deps = createDeps(config, { clock: fixedClock("2022-12-15T09:00:00Z") });
  const app = createApp(deps);
  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: any = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = await call("POST", "/auth/signup", null, { ...BENCH_OWNER, name: "Banc d'essai" });
  const company = await call("POST", "/companies", token, {
    name: "Menuiserie Banc d'Essai SAS",
    siren: "853904811",
    vatNumber: "FR26853904811",
    address: { line1: "14 rue des Tanneurs", postalCode: "69002", city: "Lyon", country: "FR" },
    legalForm: "SAS",
    capital: "50 000 €",
    rcsCity: "Lyon",
    fiscalYearStart: "01-01",
    email: "contact@banc-essai.example",
    iban: "FR7630006000011234567890189",
  });
  const cities = ["69002 Lyon", "75011 Paris", "13001 Marseille", "33000 Bordeaux", "59000 Lille"];
  const categories = ["Particuliers", "Professionnels", "Collectivités", "Export"];
  for (let i = 0; i < customers; i++) {
    await call("POST", `/companies/${company.id}/customers`, token, {
      name: `Client ${String(i + 1).padStart(5, "0")} ${["SARL", "SAS", "EURL", "SA"][i % 4]}`,
      email: `client${i + 1}@example.fr`,
      address: `${(i % 120) + 1} rue de la République, ${cities[i % cities.length]}`,
      category: categories[i % categories.length],
    });
  }
  const products: SimulationInput["products"] = [];
  const rates = [2000, 2000, 1000, 550, 210];
  for (let i = 0; i < 60; i++) {
    const kind = i % 3 === 0 ? "services" : "goods";
    const p = await call("POST", `/companies/${company.id}/products`, token, {
      name: `${kind === "services" ? "Prestation" : "Article"} ${i + 1}`,
      unitPriceCents: 500 + ((i * 7919) % 250_000),
      vatRateBp: rates[i % rates.length],
      kind,
      category: ["Mobilier", "Agencement", "Pose", "Conseil"][i % 4],
    });
    products.push({ id: p.id, name: p.name, unitPriceCents: p.unitPriceCents, vatRateBp: p.vatRateBp, kind });
  }
  return { deps, companyId: company.id as string, products };
}

function simulationInput(db: Db, companyId: string, products: SimulationInput["products"], options: GenerateOptions): SimulationInput {
  const company = db.prepare("SELECT * FROM companies WHERE id = ?").get(companyId) as CompanyRow;
  const customers = (db.prepare("SELECT * FROM customers WHERE company_id = ? ORDER BY code").all(companyId) as any[]).map((c) => ({
    id: c.id as string,
    snapshot: { code: c.code, name: c.name, siren: c.siren, vatNumber: c.vat_number, email: c.email, address: addressOf(c) },
  }));
  return {
    invoices: options.invoices,
    seed: options.seed ?? 20_260_101,
    batchInvoices: options.batchInvoices ?? 10_000,
    companyId,
    actorId: db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(BENCH_OWNER.email) as string,
    paymentTermsDays: company.payment_terms_days,
    seller: {
      name: company.name,
      siren: company.siren,
      vatNumber: company.vat_number,
      address: addressOf(company),
      legalForm: company.legal_form,
      capital: company.capital,
      rcsCity: company.rcs_city,
      email: company.email,
      phone: company.phone,
      iban: company.iban,
      latePenaltyRate: company.late_penalty_rate,
      earlyPaymentDiscount: company.early_payment_discount,
    },
    customers,
    products,
    start: {
      seq: company.last_seq,
      activityHash: (db.prepare("SELECT hash FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 1").pluck().get(companyId) as string | undefined) ?? "",
      chainPosition: db.prepare("SELECT COALESCE(MAX(position), 0) FROM record_chain WHERE company_id = ?").pluck().get(companyId) as number,
      chainHash: (db.prepare("SELECT hash FROM record_chain WHERE company_id = ? ORDER BY position DESC LIMIT 1").pluck().get(companyId) as string | undefined) ?? "",
    },
  };
}

/** One prepared INSERT per table, run once per row; one transaction per batch, parents before children (foreign keys stay on). */
function batchWriter(db: Db) {
  const statements = Object.fromEntries(
    Object.entries(TABLE_COLUMNS).map(([table, columns]) => [table, db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)]),
  ) as Record<TableName, ReturnType<Db["prepare"]>>;
  const counts = Object.fromEntries(Object.keys(TABLE_COLUMNS).map((t) => [t, 0])) as Record<TableName, number>;
  const order: TableName[] = ["invoices", "invoice_lines", "invoice_vat", "payments", "record_chain", "activity", "lettering"];
  let seconds = 0;
  const transaction = db.transaction((rows: Batch["rows"]) => {
    for (const table of order) {
      const statement = statements[table];
      for (const row of rows[table]) statement.run(row);
      counts[table] += rows[table].length;
    }
  });
  const write = (rows: Batch["rows"]) => {
    const started = performance.now();
    transaction(rows);
    seconds += (performance.now() - started) / 1000;
  };
  return { write, counts, seconds: () => seconds };
}

export async function generateCompany(options: GenerateOptions): Promise<Generated> {
  for (const f of [options.file, `${options.file}-wal`, `${options.file}-shm`]) fs.rmSync(f, { force: true });
  const started = performance.now();
  const setup = await setUp(options.file, options.customers ?? 2000);
  const db = setup.deps.db;
  const input = simulationInput(db, setup.companyId, setup.products, options);
  const setupSeconds = (performance.now() - started) / 1000;

  db.pragma("cache_size = -1048576");
  db.pragma("synchronous = OFF");
  const tables = Object.keys(TABLE_COLUMNS);
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(tables)) as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);

  const writer = batchWriter(db);
  let final: Batch["final"];
  const loadStarted = performance.now();
  await simulate(input, (batch) => {
    writer.write(batch.rows);
    final = batch.final ?? final;
    options.onProgress?.(batch.done, options.invoices);
  });
  if (!final) throw new Error("the simulation ended without its final batch");
  const upsert = db.prepare(
    "INSERT INTO number_series (company_id, series_key, last_counter) VALUES (?, ?, ?) ON CONFLICT (company_id, series_key) DO UPDATE SET last_counter = excluded.last_counter",
  );
  db.transaction(() => {
    for (const [key, counter] of final!.series) upsert.run(input.companyId, key, counter);
    db.prepare("UPDATE companies SET last_seq = ? WHERE id = ?").run(final!.lastSeq, input.companyId);
  })();
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  const indexStarted = performance.now();
  for (const i of indexes) db.exec(i.sql);
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  const totalLoad = loadSeconds + indexSeconds;

  db.pragma("synchronous = NORMAL");
  db.exec("ANALYZE");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  // reopen the way the server does: migrations already applied, nothing to do
  openDatabase(options.file).close();
  const counts = { ...writer.counts, customers: input.customers.length, products: input.products.length };
  return {
    file: options.file,
    companyId: input.companyId,
    ownerEmail: BENCH_OWNER.email,
    password: BENCH_OWNER.password,
    counts,
    firstDate: FIRST_DAY,
    lastDate: addDays(FIRST_DAY, DAYS - 1),
    setupSeconds,
    loadSeconds,
    writeSeconds: writer.seconds(),
    indexSeconds,
    totalSeconds: (performance.now() - started) / 1000,
    invoicesPerSecond: options.invoices / totalLoad,
    fileBytes: fs.statSync(options.file).size,
    method:
      "one thread: simulate a day, write it; " +
      `${input.batchInvoices} invoices per transaction, one prepared INSERT per table; ` +
      `${indexes.length} secondary indexes dropped and rebuilt (rebuild counted); foreign keys on; WAL, synchronous=OFF during the load, cache 1 GiB`,
  };
}
