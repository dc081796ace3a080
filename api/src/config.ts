import { freshDatabase } from "./db/postgres/fresh.js";
import path from "node:path";
import { TrustedProxies } from "./http/client-address.js";
import { availableParallelism } from "node:os";

export interface Config {
  dataDir: string;
  databasePath: string; // ":memory:" for tests
  port: number;
  host: string;
  publicUrl: string; // how users reach the server (links in e-mails, manifest)
  timeZone: string; // the business day of French companies
  sessionTtlHours: number;
  maxUploadBytes: number;
  maxJsonBytes: number;
  /** scrypt cost parameter N (2^17 in production; tests may lower it for speed). */
  scryptCost: number;
  durable: boolean; // synchronous=FULL
  /** Failed sign-ins per (e-mail, client address), and per known device (see auth/sign-in-limits.ts). */
  loginAttemptsPerWindow: number;
  /** Failed sign-ins per client address, whatever the e-mail. */
  loginAttemptsPerAddress: number;
  /** Failed sign-ins per e-mail from devices it was never signed in from, whatever the address. */
  loginAttemptsPerEmail: number;
  loginWindowSeconds: number;
  /** Password hashes computed at once (each takes 128 × SCRYPT_COST × 8 bytes), and how many may wait for one. */
  passwordHashesAtOnce: number;
  passwordHashQueue: number;
  /** Bytes of documents a company may store. */
  companyStorageQuotaBytes: number;
  /** Uploads a company may start per hour. */
  uploadsPerHour: number;
  /** Upload bodies read at once (each is held in memory until stored), and how many may wait for one. */
  uploadsAtOnce: number;
  uploadQueue: number;
  /** Outgoing mail: `smtp://user:pass@host:587` (nodemailer URL); null = write to $PASSERELLE_DATA/outbox. */
  smtpUrl: string | null;
  mailFrom: string;
  invitationTtlHours: number;
  /** How long a sign-up's confirmation link stays valid. */
  signupTtlHours: number;
  /** Sign-up e-mails an address may receive in an hour, and sign-ups a client address may ask for. */
  signupsPerEmailPerHour: number;
  signupsPerAddressPerHour: number;
  /** Base64 of 32 bytes sealing webhook secrets at rest; null = a key file in the data directory. */
  secretKey: string | null;
  /** Rows an XLSX export may hold (all sheets); beyond it the export is refused in favour of CSV / FEC. The writer streams (the benchmark's 803,728-row workbook: server peak 223 MB, idle 98 MB); the default keeps each sheet under Excel's 1,048,576 rows. */
  xlsxMaxRows: number;
  /** Lets webhooks reach loopback, private and link-local addresses: only for development and tests (WEBHOOKS_ALLOW_PRIVATE_TARGETS=1). */
  webhooksAllowPrivateTargets: boolean;
  /** Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (TRUSTED_PROXIES); none by default. */
  trustedProxies: TrustedProxies;
  /** Worker threads rendering PDFs (invoices, Factur-X, the PDFs of archives): by default every core but one, left to the event loop. */
  pdfThreads: number;
  /** How long one PDF may take to render; beyond it the render is stopped and the request answers 503. */
  pdfTimeoutMs: number;
  /** PDFs waiting for a render thread; one more answers 503. */
  pdfQueue: number;
  /** Backups the server takes itself: every `intervalSeconds` (0: none), the last `keep` in `dir`, gzipped or not. */
  backups: { intervalSeconds: number; keep: number; dir: string; gzip: boolean };
}

/** A setting the operator must fix, said in French then in English: the server prints it as one line and stops. */
export class ConfigError extends Error {
  constructor(
    readonly fr: string,
    readonly en: string,
  ) {
    super(`${fr} / ${en}`);
  }
}

const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/;

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} : « ${raw} » n'est pas un nombre entier de ${min} à ${max}.`, `${name}: "${raw}" is not a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** scrypt takes a power of two; below 2^10 a hash is cheap to guess, above 2^24 it needs gigabytes. */
function scryptCost(env: NodeJS.ProcessEnv): number {
  const raw = env.SCRYPT_COST?.trim();
  if (!raw) return 2 ** 17;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 2 ** 10 || value > 2 ** 24 || (value & (value - 1)) !== 0) {
    throw new ConfigError(
      `SCRYPT_COST : « ${raw} » n'est pas une puissance de 2 de 1024 à 16777216 (131072 par défaut).`,
      `SCRYPT_COST: "${raw}" is not a power of 2 from 1024 to 16777216 (default 131072).`,
    );
  }
  return value;
}

/** Excel loads an add-in over https only, so an http address is for the machine itself. */
function publicUrl(env: NodeJS.ProcessEnv, host: string, port: number): string {
  const given = env.PUBLIC_URL?.trim();
  const raw = (given || `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`).replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(
      `PUBLIC_URL : « ${raw} » n'est pas une adresse http(s) complète (ex. https://factures.example.fr).`,
      `PUBLIC_URL: "${raw}" is not a full http(s) address (e.g. https://factures.example.fr).`,
    );
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
    const [fr, en] = given ? [raw, raw] : [`${raw} (déduite de HOST et PORT)`, `${raw} (made from HOST and PORT)`];
    throw new ConfigError(
      `PUBLIC_URL : ${fr} est en http, or Excel ne charge un complément qu'en https : mettez l'adresse https du serveur (http n'est admis que pour localhost).`,
      `PUBLIC_URL: ${en} is http, but Excel loads add-ins over https only: set the server's https address (http is accepted for localhost only).`,
    );
  }
  return raw;
}

function timeZone(env: NodeJS.ProcessEnv): string {
  const zone = env.PASSERELLE_TZ?.trim() || "Europe/Paris";
  try {
    new Intl.DateTimeFormat("fr-FR", { timeZone: zone });
  } catch {
    throw new ConfigError(`PASSERELLE_TZ : « ${zone} » n'est pas un fuseau horaire IANA (ex. Europe/Paris).`, `PASSERELLE_TZ: "${zone}" is not an IANA time zone (e.g. Europe/Paris).`);
  }
  return zone;
}

/** The value holds a password: the message does not repeat it. */
function smtpUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  if (!URL.canParse(raw) || !["smtp:", "smtps:"].includes(new URL(raw).protocol)) {
    throw new ConfigError(
      "SMTP_URL : attendu smtp://… ou smtps://… (ex. smtps://utilisateur:motdepasse@smtp.example.fr:465).",
      "SMTP_URL: expected smtp://… or smtps://… (e.g. smtps://user:password@smtp.example.fr:465).",
    );
  }
  return raw;
}

/** The key is a secret: the message does not repeat it. */
function secretKey(env: NodeJS.ProcessEnv): string | null {
  const raw = env.PASSERELLE_SECRET_KEY?.trim();
  if (!raw) return null;
  if (!isBase64Key(raw)) {
    throw new ConfigError(
      "PASSERELLE_SECRET_KEY : il faut 32 octets en base64 (openssl rand -base64 32).",
      "PASSERELLE_SECRET_KEY: must be 32 bytes in base64 (openssl rand -base64 32).",
    );
  }
  return raw;
}

/** Proxies whose forwarding headers are believed; an entry that is no address stops the server. */
function trustedProxies(env: NodeJS.ProcessEnv): TrustedProxies {
  try {
    return TrustedProxies.parse(env.TRUSTED_PROXIES);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const entry = /"(.*)"/.exec(reason)?.[1] ?? env.TRUSTED_PROXIES ?? "";
    throw new ConfigError(`TRUSTED_PROXIES : « ${entry} » n'est ni une adresse IP ni une plage CIDR (ex. 127.0.0.1, ::1, 10.0.0.0/8).`, reason);
  }
}

/** 32 bytes written in standard base64 (Node's decoder would silently skip anything else). */
export function isBase64Key(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(text) && Buffer.from(text, "base64").length === 32;
}

/**
 * PASSERELLE_DATABASE_URL (`postgres://…`) selects PostgreSQL; unset, the SQLite file PASSERELLE_DB
 * (`data/passerelle.db` by default, `:memory:` for a database that lives as long as the process).
 */
function databaseLocation(env: NodeJS.ProcessEnv, dataDir: string): string {
  const url = env.PASSERELLE_DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\/[^/]/.test(url) && url !== "pglite:") throw new ConfigError("PASSERELLE_DATABASE_URL : attendu une adresse postgres://utilisateur:motdepasse@hôte:port/base.", "PASSERELLE_DATABASE_URL: expected a postgres://user:password@host:port/database address.");
    return url;
  }
  return env.PASSERELLE_DB === ":memory:" ? ":memory:" : path.resolve(env.PASSERELLE_DB ?? path.join(dataDir, "passerelle.db"));
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.PASSERELLE_DATA ?? "./data");
  const port = wholeNumber(env, "PORT", 8787, 1, 65535);
  const host = env.HOST ?? "localhost";
  return {
    dataDir,
    databasePath: databaseLocation(env, dataDir),
    port,
    host,
    publicUrl: publicUrl(env, host, port),
    timeZone: timeZone(env),
    sessionTtlHours: wholeNumber(env, "SESSION_TTL_HOURS", 24 * 14, 1, 24 * 3650),
    maxUploadBytes: wholeNumber(env, "MAX_UPLOAD_BYTES", 20 * 1024 * 1024, 1, 2 ** 31),
    maxJsonBytes: 1024 * 1024,
    scryptCost: scryptCost(env),
    durable: env.PASSERELLE_DURABLE === "1",
    loginAttemptsPerWindow: wholeNumber(env, "LOGIN_ATTEMPTS", 10, 1, 1_000_000),
    loginAttemptsPerAddress: wholeNumber(env, "LOGIN_ATTEMPTS_PER_ADDRESS", 50, 1, 1_000_000),
    loginAttemptsPerEmail: wholeNumber(env, "LOGIN_ATTEMPTS_PER_EMAIL", 100, 1, 1_000_000),
    loginWindowSeconds: wholeNumber(env, "LOGIN_WINDOW_SECONDS", 15 * 60, 1, 366 * 86_400),
    passwordHashesAtOnce: wholeNumber(env, "PASSWORD_HASHES_AT_ONCE", 2, 1, 1_000),
    passwordHashQueue: wholeNumber(env, "PASSWORD_HASH_QUEUE", 64, 0, 100_000),
    companyStorageQuotaBytes: wholeNumber(env, "COMPANY_STORAGE_QUOTA_BYTES", 2 ** 30, 0, Number.MAX_SAFE_INTEGER),
    uploadsPerHour: wholeNumber(env, "UPLOADS_PER_HOUR", 120, 1, 1_000_000),
    uploadsAtOnce: wholeNumber(env, "UPLOADS_AT_ONCE", 2, 1, 1_000),
    uploadQueue: wholeNumber(env, "UPLOAD_QUEUE", 16, 0, 100_000),
    smtpUrl: smtpUrl(env),
    mailFrom: env.MAIL_FROM ?? "Passerelle <no-reply@passerelle.localhost>",
    invitationTtlHours: wholeNumber(env, "INVITATION_TTL_HOURS", 7 * 24, 1, 24 * 366),
    signupTtlHours: wholeNumber(env, "SIGNUP_TTL_HOURS", 24, 1, 24 * 366),
    signupsPerEmailPerHour: wholeNumber(env, "SIGNUPS_PER_EMAIL", 3, 1, 1_000_000),
    signupsPerAddressPerHour: wholeNumber(env, "SIGNUPS_PER_ADDRESS", 20, 1, 1_000_000),
    secretKey: secretKey(env),
    xlsxMaxRows: wholeNumber(env, "XLSX_MAX_ROWS", 1_000_000, 1, 100_000_000),
    webhooksAllowPrivateTargets: env.WEBHOOKS_ALLOW_PRIVATE_TARGETS === "1",
    trustedProxies: trustedProxies(env),
    pdfThreads: wholeNumber(env, "PDF_THREADS", Math.max(1, availableParallelism() - 1), 1, 1_000),
    pdfTimeoutMs: wholeNumber(env, "PDF_TIMEOUT_MS", 30_000, 1, 3_600_000),
    pdfQueue: wholeNumber(env, "PDF_QUEUE", 32, 0, 100_000),
    backups: {
      intervalSeconds: env.PASSERELLE_DB === ":memory:" || env.PASSERELLE_DATABASE_URL ? 0 : wholeNumber(env, "BACKUP_INTERVAL_SECONDS", 3600, 0, 366 * 86_400),
      keep: wholeNumber(env, "BACKUP_KEEP", 24, 1, 10_000),
      dir: path.resolve(env.BACKUP_DIR?.trim() || path.join(dataDir, "backups")),
      gzip: env.BACKUP_GZIP === "1",
    },
  };
}

/** The tests' database on PostgreSQL: `pglite` (in memory, no server), or a new database of the server at that URL for each app. */
function testDatabase(engine: string): string {
  return engine === "pglite" ? "pglite:" : freshDatabase(engine);
}

/** Defaults for tests: in-memory database, cheap password hashing. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...configFromEnv({ PASSERELLE_DB: ":memory:", PASSERELLE_DATA: overrides.dataDir ?? "./data-test" }),
    // PASSERELLE_TEST_DATABASE=pglite: runs the tests' apps on PostgreSQL (test/engine.ts)
    ...(process.env.PASSERELLE_TEST_DATABASE ? { databasePath: testDatabase(process.env.PASSERELLE_TEST_DATABASE) } : {}),
    scryptCost: 2 ** 12,
    // a test app signs many owners up from one client address (`app.request()` has no socket)
    signupsPerAddressPerHour: 1000,
    ...overrides,
  };
}
