import path from "node:path";
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
  loginAttemptsPerWindow: number;
  loginWindowSeconds: number;
  /** Outgoing mail: `smtp://user:pass@host:587` (nodemailer URL); null = write to $PASSERELLE_DATA/outbox. */
  smtpUrl: string | null;
  mailFrom: string;
  invitationTtlHours: number;
  /** Base64 of 32 bytes sealing webhook secrets at rest; null = a key file in the data directory. */
  secretKey: string | null;
  /** Rows an XLSX export may hold (all sheets); beyond it the export is refused in favour of CSV / FEC. The writer streams (the benchmark's 803,728-row workbook: server peak 223 MB, idle 98 MB); the default keeps each sheet under Excel's 1,048,576 rows. */
  xlsxMaxRows: number;
  /** Lets webhooks reach loopback, private and link-local addresses: only for development and tests (WEBHOOKS_ALLOW_PRIVATE_TARGETS=1). */
  webhooksAllowPrivateTargets: boolean;
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
    loginWindowSeconds: Number(env.LOGIN_WINDOW_SECONDS ?? 15 * 60),
    smtpUrl: env.SMTP_URL?.trim() || null,
    mailFrom: env.MAIL_FROM ?? "Passerelle <no-reply@passerelle.localhost>",
    invitationTtlHours: Number(env.INVITATION_TTL_HOURS ?? 7 * 24),
    secretKey: env.PASSERELLE_SECRET_KEY?.trim() || null,
    xlsxMaxRows: Number(env.XLSX_MAX_ROWS ?? 1_000_000),
    webhooksAllowPrivateTargets: env.WEBHOOKS_ALLOW_PRIVATE_TARGETS === "1",
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
    ...overrides,
  };
}
