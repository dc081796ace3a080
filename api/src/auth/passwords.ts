/**
 * Password hashing with scrypt from node:crypto; the parameters travel with the hash. Each hash
 * takes 128 × N × r bytes (128 MB at the default cost), so hashes run in a few slots and queue.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { ProblemError } from "../http/problem.js";
import { WorkSlots } from "../work-slots.js";

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function scrypt(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  const options: ScryptOptions = { N: cost, r: BLOCK_SIZE, p: PARALLELISM, maxmem: 256 * cost * BLOCK_SIZE };
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export class PasswordHasher {
  readonly slots: WorkSlots;
  private decoy: Promise<string> | undefined;
  /** How long a hash took lately, to tell a refused client when to come back. */
  private recentMs = 0;

  constructor(
    private readonly cost: number,
    options: { atOnce: number; maxWaiting: number },
  ) {
    this.slots = new WorkSlots(options.atOnce, options.maxWaiting);
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.scrypt(password, salt, this.cost);
    return `scrypt$${this.cost}$${salt.toString("base64url")}$${key.toString("base64url")}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, cost, salt, key] = stored.split("$");
    if (scheme !== "scrypt" || !cost || !salt || !key) return false;
    const expected = Buffer.from(key, "base64url");
    const actual = await this.scrypt(password, Buffer.from(salt, "base64url"), Number(cost));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Checks a password against a hash that matches nothing, so an unknown e-mail takes as long as a known one. */
  async verifyDecoy(password: string): Promise<false> {
    this.decoy ??= this.hash("decoy password that matches nothing").catch((error: unknown) => {
      this.decoy = undefined; // refused while busy: the next caller makes it
      throw error;
    });
    await this.verify(password, await this.decoy);
    return false;
  }

  private scrypt(password: string, salt: Buffer, cost: number): Promise<Buffer> {
    return this.slots.run(async () => {
      const started = performance.now();
      const key = await scrypt(password, salt, cost);
      this.recentMs = performance.now() - started;
      return key;
    }, () => this.busy());
  }

  private busy(): ProblemError {
    // the line ahead drains `size` hashes at a time
    const wait = Math.max(1, Math.ceil(((this.slots.waiting / this.slots.size + 1) * this.recentMs) / 1000));
    return new ProblemError(503, "Service Unavailable", `Too many passwords are being checked at once. Try again in ${wait} seconds.`, undefined, {
      "retry-after": String(wait),
    });
  }
}
