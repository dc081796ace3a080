/**
 * The company's logo: checked (logo.ts, svg-logo.ts), then drawn once on a page in a render worker
 * before it is kept, so a logo that is stored is a logo every document can print. Each logo is kept
 * for good under its SHA-256 (migration 018): documents issued with it name it in their frozen
 * identity and print it unchanged after the company changes or removes its logo.
 */
import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";
import { inspectLogo, type Company, type LogoFacts, type LogoMediaType } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { invalid, ProblemError } from "../http/problem.js";
import { recordActivity } from "./activity.js";
import { getCompany } from "./companies.js";

/** A logo as a document draws it (plain data: it crosses to the render workers). */
export interface LogoImage {
  sha256: string;
  mediaType: LogoMediaType;
  width: number;
  height: number;
  bytes: Uint8Array;
}

const FIELD = "contentBase64";

/** The logo `bytes` make, or 422 naming what is wrong with them. */
export function checkedLogo(bytes: Uint8Array): LogoImage {
  const inspection = inspectLogo(bytes);
  if (!inspection.ok) throw invalid(FIELD, inspection.message);
  if (inspection.logo.png) checkPngData(inspection.logo.png);
  const { mediaType, width, height } = inspection.logo;
  return { sha256: createHash("sha256").update(bytes).digest("hex"), mediaType, width, height, bytes };
}

/** A PNG's pixel data inflates, to no more than its size says (no decompression bomb). */
function checkPngData(png: NonNullable<LogoFacts["png"]>): void {
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.concat(png.idat), { maxOutputLength: png.maxInflatedBytes });
  } catch (error) {
    const tooBig = (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
    throw invalid(FIELD, tooBig ? "is a damaged PNG: its pixel data inflates beyond its size" : "is a damaged PNG: its pixel data cannot be inflated");
  }
  if (inflated.length === 0) throw invalid(FIELD, "is a damaged PNG: its pixel data is empty");
}

/** The render worker could not draw it: refused as the client's file, never a 500 (a time-out stays a 503). */
export function undrawableLogo(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  return invalid(FIELD, "could not be drawn on a document: save it again as a plain PNG, JPEG or SVG");
}

/** Keeps `logo` (once per company and SHA-256) and makes it the company's. */
export function setLogo(ctx: UseCaseContext, companyId: string, logo: LogoImage): Company {
  return inTransaction(ctx.db, () => {
    const before = ctx.db.prepare("SELECT logo_sha256 FROM companies WHERE id = ?").pluck().get(companyId) as string | null;
    ctx.db
      .prepare(
        `INSERT INTO company_logos (company_id, sha256, media_type, width, height, size_bytes, bytes, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, sha256) DO NOTHING`,
      )
      .run(companyId, logo.sha256, logo.mediaType, logo.width, logo.height, logo.bytes.byteLength, Buffer.from(logo.bytes), ctx.clock.now().toISOString());
    ctx.db.prepare("UPDATE companies SET logo_sha256 = ? WHERE id = ?").run(logo.sha256, companyId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "company.logo_changed",
      recordKind: "company",
      recordId: companyId,
      before: { logoSha256: before },
      after: { logoSha256: logo.sha256 },
    });
    return getCompany(ctx.db, companyId, "owner");
  });
}

/** Documents printed from now on have no logo; those issued with one keep it. */
export function removeLogo(ctx: UseCaseContext, companyId: string): Company {
  return inTransaction(ctx.db, () => {
    const before = ctx.db.prepare("SELECT logo_sha256 FROM companies WHERE id = ?").pluck().get(companyId) as string | null;
    if (before) {
      ctx.db.prepare("UPDATE companies SET logo_sha256 = NULL WHERE id = ?").run(companyId);
      recordActivity(ctx.db, ctx.clock.now(), {
        companyId,
        actorId: ctx.actorId,
        action: "company.logo_changed",
        recordKind: "company",
        recordId: companyId,
        before: { logoSha256: before },
        after: { logoSha256: null },
      });
    }
    return getCompany(ctx.db, companyId, "owner");
  });
}

/** One of the company's logos, current or past, by its SHA-256. */
export function logoImage(db: Db, companyId: string, sha256: string): LogoImage | null {
  const row = db
    .prepare("SELECT sha256, media_type, width, height, bytes FROM company_logos WHERE company_id = ? AND sha256 = ?")
    .get(companyId, sha256) as { sha256: string; media_type: LogoMediaType; width: number; height: number; bytes: Buffer } | undefined;
  return row ? { sha256: row.sha256, mediaType: row.media_type, width: row.width, height: row.height, bytes: new Uint8Array(row.bytes) } : null;
}

/** The logo a seller's identity names (frozen on an issued document, or the company's now), or null. */
export function sellerLogo(db: Db, companyId: string, seller: { logoSha256?: string }): LogoImage | null {
  return seller.logoSha256 ? logoImage(db, companyId, seller.logoSha256) : null;
}

/** The logo the company uses now, or null. */
export function currentLogo(db: Db, companyId: string): LogoImage | null {
  const sha256 = db.prepare("SELECT logo_sha256 FROM companies WHERE id = ?").pluck().get(companyId) as string | null;
  return sha256 ? logoImage(db, companyId, sha256) : null;
}
