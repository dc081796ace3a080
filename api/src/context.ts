import type { Role } from "@passerelle/shared";
import type { Db } from "./db/connection.js";
import type { Config } from "./config.js";
import type { Clock } from "./clock.js";
import type { RateLimiter } from "./auth/rate-limit.js";
import type { SignInLimits } from "./auth/sign-in-limits.js";
import type { SignupLimits } from "./auth/signup-limits.js";
import type { PasswordHasher } from "./auth/passwords.js";
import type { UploadAdmission, UploadLimits } from "./services/upload-limits.js";
import type { ChangeNotifier } from "./services/change-notifier.js";
import type { Mailer } from "./mail/mailer.js";
import type { AbortedConnections } from "./http/aborted-connections.js";
import type { RenderPool } from "./exports/render-pool.js";

/** Everything the app needs from the outside world; tests pass their own. */
export interface Deps {
  db: Db;
  config: Config;
  clock: Clock;
  signInLimits: SignInLimits;
  signupLimits: SignupLimits;
  /** Guesses of invitation links, per client address. */
  invitationLimiter: RateLimiter;
  passwords: PasswordHasher;
  uploads: UploadLimits;
  changes: ChangeNotifier;
  mailer: Mailer;
  abortedConnections: AbortedConnections;
  lifecycle: Lifecycle;
  renders: RenderPool;
}

/** What the process is doing: shutting down means no longer ready for new work (`/health`). */
export interface Lifecycle {
  shuttingDown: boolean;
}

/** Who is calling: a signed-in user (session) or a script (API key). */
export interface Principal {
  userId: string;
  via: "session" | "api_key";
  credentialHash: string;
  scope: "read" | "write";
  /** API keys may be limited to one company. */
  companyId: string | null;
}

/**
 * `membership` is the caller's role in the company of a `/companies/{id}/…` path, read by the guard
 * in this request. `upload` is set on a document upload once it is admitted, before its body is read. */
export type AppEnv = {
  Variables: { principal: Principal | undefined; upload?: UploadAdmission; membership?: { companyId: string; role: Role } };
};

/** What a use-case needs: the database, the time, and who acts. */
export interface UseCaseContext {
  db: Db;
  clock: Clock;
  config: Config;
  actorId: string;
}
