import type { Config } from "./config.js";
import type { Deps } from "./context.js";
import { systemClock, type Clock } from "./clock.js";
import { openDatabase, type Db } from "./db/connection.js";
import { groupCommits } from "./db/group-commit.js";
import { followChanges } from "./db/change-feed.js";
import { RateLimiter } from "./auth/rate-limit.js";
import { SignInLimits } from "./auth/sign-in-limits.js";
import { SignupLimits } from "./auth/signup-limits.js";
import { PasswordHasher } from "./auth/passwords.js";
import { UploadLimits } from "./services/upload-limits.js";
import { ChangeNotifier } from "./services/change-notifier.js";
import { createMailer, type Mailer } from "./mail/mailer.js";
import { AbortedConnections } from "./http/aborted-connections.js";
import { RenderPool } from "./exports/render-pool.js";

/** Builds the app's dependencies from configuration (tests may pass their own clock or database). */
export function createDeps(config: Config, options: { clock?: Clock; db?: Db; mailer?: Mailer } = {}): Deps {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now().getTime();
  const db = groupCommits(options.db ?? openDatabase(config.databasePath, { durable: config.durable }));
  const changes = new ChangeNotifier();
  followChanges(db, changes); // the writes of the other processes on the same database (PostgreSQL)
  return {
    config,
    clock,
    db,
    signInLimits: new SignInLimits(config, now),
    signupLimits: new SignupLimits(config, now),
    invitationLimiter: new RateLimiter(config.loginAttemptsPerWindow, config.loginWindowSeconds * 1000, now),
    passwords: new PasswordHasher(config.scryptCost, { atOnce: config.passwordHashesAtOnce, maxWaiting: config.passwordHashQueue }),
    uploads: new UploadLimits(config, now),
    changes,
    mailer: options.mailer ?? createMailer(config),
    abortedConnections: new AbortedConnections(),
    lifecycle: { shuttingDown: false },
    renders: new RenderPool({ threads: config.pdfThreads, timeoutMs: config.pdfTimeoutMs, queueLimit: config.pdfQueue }),
  };
}
