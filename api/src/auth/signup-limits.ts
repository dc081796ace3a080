/**
 * Sign-up sends an e-mail to whatever address it is given, so it is limited like a sign-in: per
 * address written to (a mailbox is not flooded) and per client address (nobody sends mail in bulk
 * through us). Counted before the password is hashed; known and unknown e-mails count alike, so the
 * limit tells nothing about which e-mails have an account.
 */
import type { Config } from "../config.js";
import { ProblemError } from "../http/problem.js";
import { RateLimiter } from "./rate-limit.js";

const HOUR_MS = 3600_000;

export class SignupLimits {
  private readonly perEmail: RateLimiter;
  private readonly perClient: RateLimiter;

  constructor(config: Pick<Config, "signupsPerEmailPerHour" | "signupsPerAddressPerHour">, now: () => number) {
    this.perEmail = new RateLimiter(config.signupsPerEmailPerHour, HOUR_MS, now);
    this.perClient = new RateLimiter(config.signupsPerAddressPerHour, HOUR_MS, now);
  }

  /** Counts one sign-up, or answers 429 with Retry-After when the e-mail or the client has used its hour. */
  admit(email: string, clientAddress: string): void {
    const wait = Math.max(this.perEmail.retryAfter(email), this.perClient.retryAfter(clientAddress));
    if (wait > 0) {
      throw new ProblemError(429, "Too Many Requests", `Too many sign-ups from this address or for this e-mail. Try again in ${wait} seconds.`, undefined, {
        "retry-after": String(wait),
      });
    }
    this.perEmail.record(email);
    this.perClient.record(clientAddress);
  }
}
