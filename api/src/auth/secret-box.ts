/**
 * Seals secrets the server must be able to use again (webhook signing secrets) with AES-256-GCM.
 * The key lives outside the database — `PASSERELLE_SECRET_KEY` or `<data dir>/secret.key` (0600) —
 * so a copied database file or backup does not hand out the secrets.
 */
import fs from "node:fs";
import path from "node:path";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Config } from "../config.js";

const keys = new Map<string, Buffer>();

function keyFor(config: Config): Buffer {
  if (config.secretKey) {
    const key = Buffer.from(config.secretKey, "base64");
    if (key.length !== 32) throw new Error("PASSERELLE_SECRET_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`).");
    return key;
  }
  const file = path.join(config.dataDir, "secret.key");
  const cached = keys.get(file);
  if (cached) return cached;
  let key: Buffer;
  try {
    key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const fresh = randomBytes(32);
    try {
      fs.writeFileSync(file, fresh.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
      key = fresh;
    } catch {
      // another process created it first
      key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
    }
  }
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key.`);
  keys.set(file, key);
  return key;
}

export function seal(config: Config, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(config), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function unseal(config: Config, sealed: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(config), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
