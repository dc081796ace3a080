import type { Db } from "./db/connection.js";
import type { Config } from "./config.js";
import type { Clock } from "./clock.js";
import type { RateLimiter } from "./auth/rate-limit.js";
import type { ChangeNotifier } from "./services/change-notifier.js";
import type { Mailer } from "./mail/mailer.js";
import type { RenderPool } from "./exports/render-pool.js";

/** Everything the app needs from the outside world; tests pass their own. */
export interface Deps {
  db: Db;
  config: Config;
  clock: Clock;
  loginLimiter: RateLimiter;
  changes: ChangeNotifier;
  mailer: Mailer;
  renders: RenderPool;
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

export type AppEnv = { Variables: { principal: Principal | undefined } };

/** What a use-case needs: the database, the time, and who acts. */
export interface UseCaseContext {
  db: Db;
  clock: Clock;
  config: Config;
  actorId: string;
}
