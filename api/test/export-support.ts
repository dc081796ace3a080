/** Test helpers for exports: binary downloads, an accountant member, reading ZIPs back. */
import { createHash } from "node:crypto";
import yauzl from "yauzl";
import { apiUrl, signupOwner, type TestApp } from "./helpers.js";

export interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
  json: any;
}

/** GETs a file and reads every byte (the way a client downloads it). */
export async function download(t: TestApp, url: string, token?: string): Promise<Download> {
  // the rules are asserted in the API's own words (English), as the test harness asks for them
  const response = await t.app.request(apiUrl(url), { headers: { "accept-language": "en", ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString("utf8");
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, text, json };
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Signs up an accountant and makes them a member of the company (as an accepted invitation would). */
export async function accountantOf(t: TestApp, companyId: string) {
  const accountant = await signupOwner(t, "Cabinet Expert");
  t.deps.db
    .prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'accountant', ?)")
    .run(companyId, accountant.user.id, "2026-11-01T09:00:00.000Z");
  return accountant;
}

/** Every file of a ZIP: name → bytes, in archive order. */
export function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on("error", reject);
        });
      });
      zip.on("end", () => resolve(files));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

export function exportLog(t: TestApp, companyId: string) {
  return t.deps.db.prepare("SELECT kind, file_name, filters_json, row_count, byte_count, sha256, actor_id, locked_until FROM exports WHERE company_id = ? ORDER BY pk").all(companyId) as {
    kind: string;
    file_name: string;
    filters_json: string;
    row_count: number;
    byte_count: number;
    sha256: string;
    actor_id: string;
    locked_until: string | null;
  }[];
}
