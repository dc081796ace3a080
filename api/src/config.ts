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
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.PASSERELLE_DATA ?? "./data");
  const port = Number(env.PORT ?? 8787);
  const host = env.HOST ?? "localhost";
  return {
    dataDir,
    databasePath: env.PASSERELLE_DB === ":memory:" ? ":memory:" : path.resolve(env.PASSERELLE_DB ?? path.join(dataDir, "passerelle.db")),
    port,
    host,
    publicUrl: (env.PUBLIC_URL ?? `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`).replace(/\/+$/, ""),
    timeZone: env.PASSERELLE_TZ ?? "Europe/Paris",
    sessionTtlHours: Number(env.SESSION_TTL_HOURS ?? 24 * 14),
    maxUploadBytes: Number(env.MAX_UPLOAD_BYTES ?? 20 * 1024 * 1024),
    maxJsonBytes: 1024 * 1024,
    scryptCost: Number(env.SCRYPT_COST ?? 2 ** 17),
    durable: env.PASSERELLE_DURABLE === "1",
    loginAttemptsPerWindow: Number(env.LOGIN_ATTEMPTS ?? 10),
    loginAttemptsPerAddress: Number(env.LOGIN_ATTEMPTS_PER_ADDRESS ?? 50),
    loginAttemptsPerEmail: Number(env.LOGIN_ATTEMPTS_PER_EMAIL ?? 100),
    loginWindowSeconds: Number(env.LOGIN_WINDOW_SECONDS ?? 15 * 60),
    passwordHashesAtOnce: Number(env.PASSWORD_HASHES_AT_ONCE ?? 2),
    passwordHashQueue: Number(env.PASSWORD_HASH_QUEUE ?? 32),
    companyStorageQuotaBytes: Number(env.COMPANY_STORAGE_QUOTA_BYTES ?? 2 ** 30),
    uploadsPerHour: Number(env.UPLOADS_PER_HOUR ?? 120),
    uploadsAtOnce: Number(env.UPLOADS_AT_ONCE ?? 2),
    uploadQueue: Number(env.UPLOAD_QUEUE ?? 16),
    smtpUrl: env.SMTP_URL?.trim() || null,
    mailFrom: env.MAIL_FROM ?? "Passerelle <no-reply@passerelle.localhost>",
    invitationTtlHours: Number(env.INVITATION_TTL_HOURS ?? 7 * 24),
    signupTtlHours: Number(env.SIGNUP_TTL_HOURS ?? 24),
    signupsPerEmailPerHour: Number(env.SIGNUPS_PER_EMAIL ?? 3),
    signupsPerAddressPerHour: Number(env.SIGNUPS_PER_ADDRESS ?? 20),
    secretKey: env.PASSERELLE_SECRET_KEY?.trim() || null,
    xlsxMaxRows: Number(env.XLSX_MAX_ROWS ?? 1_000_000),
    webhooksAllowPrivateTargets: env.WEBHOOKS_ALLOW_PRIVATE_TARGETS === "1",
    trustedProxies: TrustedProxies.parse(env.TRUSTED_PROXIES),
    pdfThreads: Math.max(1, Number(env.PDF_THREADS ?? availableParallelism() - 1)),
    pdfTimeoutMs: Number(env.PDF_TIMEOUT_MS ?? 30_000),
    pdfQueue: Number(env.PDF_QUEUE ?? 32),
  };
}

/** Defaults for tests: in-memory database, cheap password hashing. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...configFromEnv({ PASSERELLE_DB: ":memory:", PASSERELLE_DATA: overrides.dataDir ?? "./data-test" }),
    scryptCost: 2 ** 12,
    // a test app signs many owners up from one client address (`app.request()` has no socket)
    signupsPerAddressPerHour: 1000,
    ...overrides,
  };
}
