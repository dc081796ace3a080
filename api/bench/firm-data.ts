/**
 * The multi-company data set: a host with N client companies (default 2,000), each with its own
 * owner, customers, products and three fiscal years of sales (2023–2025) of a size drawn from a
 * log-normal distribution (median 800 invoices a year, σ 0.75) clipped to 200–5,000 invoices a year,
 * times `scale` (1 = realistic sizes; a smaller scale keeps the distribution's shape at a fraction of
 * the volume, for hosts too large for this machine). One accountant follows 500 of them (all of them
 * below 500), picked by the seed; some of those are locked (soft or hard, at different dates), so the
 * portfolio's lock state varies.
 *
 * Everything but the documents goes through the services (companies, customers, products, locks);
 * the documents come from the same simulation as the one-company data set (generate.ts), one company
 * after the other on a worker thread while this one writes, all of it in one transaction without a
 * journal, foreign keys checked after. Sizes, names and documents follow the seed; ids are UUIDv7 as
 * the API makes them.
 */
import fs from "node:fs";
import { createDeps } from "../src/deps.js";
import { configFromEnv } from "../src/config.js";
import { fixedClock } from "../src/clock.js";
import { newId } from "../src/db/ids.js";
import { openDatabase } from "../src/db/connection.js";
import { insertUser } from "../src/services/users.js";
import { createCompany } from "../src/services/companies.js";
import { createCustomer } from "../src/services/customers.js";
import { createProduct } from "../src/services/products.js";
import { lockPeriod } from "../src/services/locks.js";
import { rebuildJournalAggregates } from "../src/db/journal-aggregates.js";
import { batchWriter, bulkLoadMode, simulateInWorker, simulationInput } from "./generate.js";
import { constantColumns, type Batch, type SimulationInput } from "./simulate.js";
import { since, threadTimes, type ThreadTimes } from "./thread-times.js";

export interface FirmOptions {
  file: string;
  companies: number;
  /** Invoices a year are drawn at realistic sizes, then multiplied by this (default 1). */
  scale?: number;
  /** Companies the accountant follows (default 500, at most `companies`). */
  followed?: number;
  seed?: number;
  customersPerCompany?: number;
  /** scrypt cost of the stored password hashes (default 2^17, the server's; tests lower it). */
  scryptCost?: number;
  onProgress?: (companiesDone: number, invoicesDone: number) => void;
}

export interface FirmCompany {
  id: string;
  name: string;
  invoices: number;
  followed: boolean;
  lock: { until: string; kind: "soft" | "hard" } | null;
}

export interface FirmGenerated {
  file: string;
  companies: FirmCompany[];
  accountant: { email: string; password: string; id: string };
  owner: { email: string; password: string };
  scale: number;
  invoices: number;
  counts: Record<string, number>;
  setupSeconds: number;
  loadSeconds: number;
  lockSeconds: number;
  checkSeconds: number;
  totalSeconds: number;
  invoicesPerSecond: number;
  fileBytes: number;
  main?: ThreadTimes;
  worker?: ThreadTimes;
}

export const FIRM_ACCOUNTANT = { email: "comptable@cabinet.example", password: "benchmark cabinet 2026", name: "Cabinet Banc d'Essai" };
/** The owner of every company but the first, sharing one password hash (one scrypt for them all). */
export const FIRM_OWNER = { password: "benchmark owner 2026" };

const YEARS = 3;
const MEDIAN_PER_YEAR = 800;
const SIGMA = 0.75;
const MIN_PER_YEAR = 200;
const MAX_PER_YEAR = 5000;

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 2 ** 32;
  };
  return { next, normal: () => Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next()) };
}

/** Invoices over the three years of each company: log-normal a year, clipped to 200–5,000, times `scale`. */
export function firmSizes(companies: number, seed: number, scale: number): number[] {
  const r = rng(seed);
  return Array.from({ length: companies }, () => {
    const perYear = Math.min(MAX_PER_YEAR, Math.max(MIN_PER_YEAR, Math.exp(Math.log(MEDIAN_PER_YEAR) + SIGMA * r.normal())));
    return Math.max(1, Math.round(perYear * YEARS * scale));
  });
}

const TRADES = ["Boulangerie", "Menuiserie", "Garage", "Cabinet", "Atelier", "Pharmacie", "Librairie", "Plomberie", "Imprimerie", "Fromagerie", "Studio", "Transports"];
const NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David"];
const FORMS = ["SARL", "SAS", "EURL", "SA", "SASU"];
const CITIES = [
  { postalCode: "69002", city: "Lyon" },
  { postalCode: "75011", city: "Paris" },
  { postalCode: "13001", city: "Marseille" },
  { postalCode: "33000", city: "Bordeaux" },
  { postalCode: "59000", city: "Lille" },
  { postalCode: "44000", city: "Nantes" },
];
const RATES = [2000, 2000, 1000, 550, 210];

/** Which companies the accountant follows (a seeded pick), and the locks some of them carry. */
function portfolio(companies: number, followed: number, seed: number): Map<number, FirmCompany["lock"]> {
  const r = rng(seed ^ 0x5eed);
  const order = Array.from({ length: companies }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const picked = new Map<number, FirmCompany["lock"]>();
  for (const [k, index] of order.slice(0, followed).entries()) {
    // about half locked: fiscal years closed for good, soft locks at the last year's end or a recent month's
    const lock: FirmCompany["lock"] =
      k % 10 === 1 ? { until: "2023-12-31", kind: "hard" } : k % 3 === 0 ? { until: "2024-12-31", kind: "soft" } : k % 7 === 2 ? { until: "2025-10-31", kind: "soft" } : null;
    picked.set(index, lock);
  }
  return picked;
}

export async function generateFirm(options: FirmOptions): Promise<FirmGenerated> {
  for (const f of [options.file, `${options.file}-wal`, `${options.file}-shm`]) fs.rmSync(f, { force: true });
  const started = performance.now();
  const seed = options.seed ?? 20_260_202;
  const scale = options.scale ?? 1;
  const sizes = firmSizes(options.companies, seed, scale);
  const followed = portfolio(options.companies, Math.min(options.followed ?? 500, options.companies), seed);
  const config = { ...configFromEnv({ PASSERELLE_DB: options.file, PASSERELLE_DATA: `${options.file}.data` }), scryptCost: options.scryptCost ?? 2 ** 17 };
  const clock = fixedClock("2022-12-15T09:00:00Z");
  const deps = createDeps(config, { clock });
  const db = deps.db;

  // the accountant and the owners: real scrypt hashes at the default cost (sign-in is measured on them)
  const accountantId = newId();
  insertUser(db, { id: accountantId, email: FIRM_ACCOUNTANT.email, name: FIRM_ACCOUNTANT.name }, await deps.passwords.hash(FIRM_ACCOUNTANT.password), clock.now());
  const ownerHash = await deps.passwords.hash(FIRM_OWNER.password);

  const companies: FirmCompany[] = [];
  const inputs: SimulationInput[] = [];
  const r = rng(seed ^ 0xc0ffee);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r.next() * xs.length)]!;
  const addMembership = db.prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'accountant', ?)");
  for (let n = 0; n < options.companies; n++) {
    db.transaction(() => {
      const ownerEmail = `gerant${String(n + 1).padStart(5, "0")}@client.example`;
      const ownerId = newId();
      insertUser(db, { id: ownerId, email: ownerEmail, name: `Gérant ${n + 1}` }, ownerHash, clock.now());
      const ctx = { db, clock, config, actorId: ownerId };
      const place = pick(CITIES);
      const name = `${pick(TRADES)} ${pick(NAMES)} ${pick(FORMS)} ${String(n + 1).padStart(5, "0")}`;
      const company = createCompany(ctx, {
        name,
        siren: "853904811",
        address: { line1: `${1 + (n % 180)} rue de la République`, ...place, country: "FR" },
        fiscalYearStart: "01-01",
        paymentTermsDays: 30,
      });
      for (let c = 0; c < (options.customersPerCompany ?? 30); c++) {
        createCustomer(ctx, company.id, {
          name: `Client ${c + 1} ${pick(NAMES)} ${pick(FORMS)}`,
          address: `${1 + ((n + c) % 120)} avenue Jean Jaurès, ${pick(CITIES).postalCode} ${place.city}`,
          category: ["Particuliers", "Professionnels", "Collectivités"][c % 3],
        });
      }
      const products: SimulationInput["products"] = [];
      for (let p = 0; p < 12; p++) {
        const kind = p % 3 === 0 ? "services" : "goods";
        const made = createProduct(ctx, company.id, {
          name: `${kind === "services" ? "Prestation" : "Article"} ${p + 1}`,
          unitPriceCents: 500 + (((n + 1) * (p + 7) * 7919) % 150_000),
          vatRateBp: RATES[p % RATES.length]!,
          kind,
        });
        products.push({ id: made.id, name: made.name, unitPriceCents: made.unitPriceCents, vatRateBp: made.vatRateBp, kind });
      }
      const isFollowed = followed.has(n);
      if (isFollowed) addMembership.run(company.id, accountantId, clock.now().toISOString());
      companies.push({ id: company.id, name, invoices: sizes[n]!, followed: isFollowed, lock: followed.get(n) ?? null });
      inputs.push(simulationInput(db, company.id, products, { invoices: sizes[n]!, seed: seed + n, batchInvoices: 1_000 }, ownerEmail));
    })();
  }
  // the first company's owner signs in with its own password
  db.prepare("UPDATE users SET password_hash = ? WHERE email = ?").run(await deps.passwords.hash(FIRM_OWNER.password), "gerant00001@client.example");
  const setupSeconds = (performance.now() - started) / 1000;

  // the documents, company after company, in one transaction without a journal
  const endBulkLoad = bulkLoadMode(db, options.file);
  const loadStarted = performance.now();
  const loadCpu = threadTimes();
  const counts: Record<string, number> = {};
  const upsert = db.prepare(
    "INSERT INTO number_series (company_id, series_key, last_counter) VALUES (?, ?, ?) ON CONFLICT (company_id, series_key) DO UPDATE SET last_counter = excluded.last_counter",
  );
  const setLastSeq = db.prepare("UPDATE companies SET last_seq = ? WHERE id = ?");
  let current = -1;
  let writer: ReturnType<typeof batchWriter> | null = null;
  let invoicesDone = 0;
  db.exec("BEGIN");
  const onBatch = (batch: Batch & { company: number }) => {
    if (batch.company !== current) {
      current = batch.company;
      writer = batchWriter(db, constantColumns(inputs[current]!), { ownTransaction: false });
    }
    writer!.write(batch.rows);
    if (batch.final) {
      const companyId = inputs[current]!.companyId;
      for (const [key, counter] of batch.final.series) upsert.run(companyId, key, counter);
      setLastSeq.run(batch.final.lastSeq, companyId);
      for (const [table, n] of Object.entries(writer!.counts)) counts[table] = (counts[table] ?? 0) + n;
      invoicesDone += inputs[current]!.invoices;
      options.onProgress?.(current + 1, invoicesDone);
    }
  };
  const worker = await simulateInWorker(inputs, onBatch);
  // the journal's sums per day (migration 022), added up from the documents loaded
  rebuildJournalAggregates(db);
  db.exec("COMMIT");
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const checkStarted = performance.now();
  await endBulkLoad();
  const checkSeconds = (performance.now() - checkStarted) / 1000;
  const main = since(loadCpu);

  // the accountant's locks, through the service (entries frozen as a lock freezes them)
  const lockStarted = performance.now();
  const lockClock = fixedClock("2026-01-20T10:00:00Z");
  for (const c of companies) {
    if (c.lock) lockPeriod({ db, clock: lockClock, config, actorId: accountantId }, c.id, c.lock);
  }
  const lockSeconds = (performance.now() - lockStarted) / 1000;

  db.exec("ANALYZE");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  openDatabase(options.file).close();
  const invoices = sizes.reduce((a, b) => a + b, 0);
  return {
    file: options.file,
    companies,
    accountant: { email: FIRM_ACCOUNTANT.email, password: FIRM_ACCOUNTANT.password, id: accountantId },
    owner: { email: "gerant00001@client.example", password: FIRM_OWNER.password },
    scale,
    invoices,
    counts,
    setupSeconds,
    loadSeconds,
    lockSeconds,
    checkSeconds,
    totalSeconds: (performance.now() - started) / 1000,
    invoicesPerSecond: invoices / (loadSeconds + checkSeconds),
    fileBytes: fs.statSync(options.file).size,
    ...(main ? { main } : {}),
    ...(worker ? { worker } : {}),
  };
}
