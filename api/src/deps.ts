import type { Config } from "./config.js";
import type { Deps } from "./context.js";
import { systemClock, type Clock } from "./clock.js";
import { openDatabase, type Db } from "./db/connection.js";
import { RateLimiter } from "./auth/rate-limit.js";
import { ChangeNotifier } from "./services/change-notifier.js";
import { createMailer, type Mailer } from "./mail/mailer.js";
import { RenderPool } from "./exports/render-pool.js";

/** Builds the app's dependencies from configuration (tests may pass their own clock or database). */
export function createDeps(config: Config, options: { clock?: Clock; db?: Db; mailer?: Mailer } = {}): Deps {
  const clock = options.clock ?? systemClock;
  return {
    config,
    clock,
    db: options.db ?? openDatabase(config.databasePath, { durable: config.durable }),
    loginLimiter: new RateLimiter(config.loginAttemptsPerWindow, config.loginWindowSeconds * 1000, () => clock.now().getTime()),
    changes: new ChangeNotifier(),
    mailer: options.mailer ?? createMailer(config),
    renders: new RenderPool({ threads: config.pdfThreads, timeoutMs: config.pdfTimeoutMs, queueLimit: config.pdfQueue }),
  };
}
