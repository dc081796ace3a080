/**
 * What a company may upload: `UPLOADS_PER_HOUR` uploads started per hour, and
 * `COMPANY_STORAGE_QUOTA_BYTES` stored, counting the bytes of uploads still arriving (reserved when
 * they start, so concurrent uploads cannot overrun the quota together). And how many upload
 * bodies the server reads at once: each is held in memory until it is stored.
 */
import type { Config } from "../config.js";
import type { Db } from "../db/connection.js";
import { RateLimiter } from "../auth/rate-limit.js";
import { ProblemError } from "../http/problem.js";
import { WorkSlots } from "../work-slots.js";

/** An admitted upload: its bytes stay reserved until it is stored or refused. */
export interface UploadAdmission {
  /** Once the file is read: checks its real size against the quota and reserves that instead of the announced size. */
  settle(bytes: number): void;
  release(): void;
}

export function storedBytes(db: Db, companyId: string): number {
  return db.prepare("SELECT COALESCE(SUM(size_bytes), 0) FROM documents WHERE company_id = ?").pluck().get(companyId) as number;
}

export class UploadLimits {
  readonly slots: WorkSlots;
  private readonly perHour: RateLimiter;
  private readonly quota: number;
  private readonly maxUploadBytes: number;
  private readonly reserved = new Map<string, number>();

  constructor(config: Config, now: () => number) {
    this.slots = new WorkSlots(config.uploadsAtOnce, config.uploadQueue);
    this.perHour = new RateLimiter(config.uploadsPerHour, 3600_000, now);
    this.quota = config.companyStorageQuotaBytes;
    this.maxUploadBytes = config.maxUploadBytes;
  }

  /**
   * Admits an upload announcing `announced` bytes (its request's Content-Length; null when it is
   * sent in chunks, which reserves what is left): 429 past the hourly rate, 413 when it cannot fit.
   */
  admit(db: Db, companyId: string, announced: number | null): UploadAdmission {
    const wait = this.perHour.retryAfter(companyId);
    if (wait > 0) {
      throw new ProblemError(
        429,
        "Too Many Requests",
        `Too many uploads: a company may start ${this.perHour.limit} per hour. Try again in ${wait} seconds.`,
        undefined,
        { "retry-after": String(wait) },
      );
    }
    const bytes = announced === null ? Math.min(this.maxUploadBytes, Math.max(0, this.quota - this.taken(db, companyId))) : Math.min(announced, this.maxUploadBytes);
    this.ensureFits(db, companyId, Math.max(bytes, 1), 0);
    this.perHour.record(companyId);
    this.reserve(companyId, bytes);
    let held = bytes;
    return {
      settle: (actual) => {
        this.ensureFits(db, companyId, actual, held);
        this.reserve(companyId, actual - held);
        held = actual;
      },
      release: () => {
        this.reserve(companyId, -held);
        held = 0;
      },
    };
  }

  /** The line for reading upload bodies is full: 503, come back shortly. */
  busy(): ProblemError {
    return new ProblemError(503, "Service Unavailable", "Too many uploads are being received at once. Try again in 5 seconds.", undefined, {
      "retry-after": "5",
    });
  }

  /** Bytes stored and reserved by the company's uploads in progress. */
  private taken(db: Db, companyId: string): number {
    return storedBytes(db, companyId) + (this.reserved.get(companyId) ?? 0);
  }

  private ensureFits(db: Db, companyId: string, bytes: number, ownReservation: number): void {
    const taken = this.taken(db, companyId) - ownReservation;
    if (taken + bytes <= this.quota) return;
    const what = taken >= this.quota ? "no room is left for this upload" : `this upload of ${bytes} bytes does not fit`;
    throw new ProblemError(
      413,
      "Payload Too Large",
      `file: the company's documents take ${taken} of its ${this.quota} bytes of storage; ${what}.`,
      [{ path: "file", message: `does not fit in the storage quota (${taken} of ${this.quota} bytes used)` }],
    );
  }

  private reserve(companyId: string, bytes: number): void {
    const total = (this.reserved.get(companyId) ?? 0) + bytes;
    if (total > 0) this.reserved.set(companyId, total);
    else this.reserved.delete(companyId);
  }
}
