/**
 * How many passwords may be tried, counted when an attempt arrives — before its password is
 * hashed — so parallel attempts cannot get past the limit. From a known device an attempt counts
 * against that device only. From anywhere else it counts per (e-mail, client address), per client
 * address across e-mails, and per e-mail across addresses: guessing from elsewhere can exhaust the
 * e-mail's budget for unknown devices, never the owner's known devices.
 */
import type { Config } from "../config.js";
import { ProblemError } from "../http/problem.js";
import { RateLimiter } from "./rate-limit.js";

export interface SignInAttempt {
  email: string;
  clientAddress: string;
  /** The SHA-256 of a known device's token for this e-mail's account, or null. */
  knownDevice: string | null;
}

/** An attempt counted in advance: a successful sign-in (or one the server could not check) gives it back. */
export interface Reservation {
  giveBack(): void;
}

export class SignInLimits {
  private readonly perDevice: RateLimiter;
  private readonly perEmailAndAddress: RateLimiter;
  private readonly perAddress: RateLimiter;
  private readonly perEmail: RateLimiter;

  constructor(config: Config, now: () => number) {
    const windowMs = config.loginWindowSeconds * 1000;
    this.perDevice = new RateLimiter(config.loginAttemptsPerWindow, windowMs, now);
    this.perEmailAndAddress = new RateLimiter(config.loginAttemptsPerWindow, windowMs, now);
    this.perAddress = new RateLimiter(config.loginAttemptsPerAddress, windowMs, now);
    this.perEmail = new RateLimiter(config.loginAttemptsPerEmail, windowMs, now);
  }

  /** Counts the attempt under each of its keys, or throws 429 with Retry-After (counting nothing) when one is used up. */
  reserve(attempt: SignInAttempt): Reservation {
    const counted: [RateLimiter, string][] = attempt.knownDevice
      ? [[this.perDevice, attempt.knownDevice]]
      : [
          [this.perEmailAndAddress, `${attempt.email}\n${attempt.clientAddress}`],
          [this.perAddress, attempt.clientAddress],
          [this.perEmail, attempt.email],
        ];
    const wait = Math.max(...counted.map(([limiter, key]) => limiter.retryAfter(key)));
    if (wait > 0) {
      throw new ProblemError(429, "Too Many Requests", `Too many sign-in attempts. Try again in ${wait} seconds.`, undefined, {
        "retry-after": String(wait),
      });
    }
    const windows = counted.map(([limiter, key]) => limiter.record(key));
    let given = false;
    return {
      giveBack() {
        if (given) return;
        given = true;
        counted.forEach(([limiter, key], i) => limiter.giveBack(key, windows[i]!));
      },
    };
  }
}
