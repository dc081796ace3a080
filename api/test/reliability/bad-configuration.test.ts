/**
 * Bad configuration stops the server at start with one line — French, then English — naming the
 * setting and what to fix, exit code 78 (EX_CONFIG: systemd can be told not to restart on it), no
 * stack trace, nothing listening. One real server process per row.
 */
import { spawn, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { API_DIR, freePort, tempDir, tsxArgs } from "./support.js";

const root = tempDir("bad-config");
afterAll(() => {
  fs.chmodSync(path.join(root, "locked"), 0o755);
  fs.rmSync(root, { recursive: true, force: true });
});

fs.chmodSync(root, 0o755); // the row run as another user must reach its folder
const at = (...parts: string[]) => path.join(root, ...parts);
const LATEST_SCHEMA = Math.max(...fs.readdirSync(path.join(API_DIR, "src", "db", "migrations")).map((f) => Number(f.slice(0, 3))).filter(Number.isFinite));

// the places the rows point at
fs.writeFileSync(at("a-file"), "not a folder\n");
fs.mkdirSync(at("db-is-a-folder"));
fs.writeFileSync(at("garbage.db"), "SQLite? no: a text file that is not a database at all, long enough to have a header.\n".repeat(20));
{
  const newer = new Database(at("newer.db"));
  newer.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  newer.prepare("INSERT INTO schema_version VALUES (?, 'from a later release', '2027-01-01T00:00:00Z')").run(LATEST_SCHEMA + 1);
  newer.close();
}
fs.mkdirSync(at("no-fonts"));
fs.mkdirSync(at("bad-key-data"));
fs.writeFileSync(at("bad-key-data", "secret.key"), "c2hvcnQ=\n");
// a folder the server's user cannot write in: owned by root, read-only, and the server run as nobody when the tests run as root
fs.mkdirSync(at("locked"));
fs.chmodSync(at("locked"), 0o555);
// and a database file it may read but not write, in a folder open to all
fs.mkdirSync(at("open"));
fs.chmodSync(at("open"), 0o777);
new Database(at("open", "read-only.db")).close();
fs.chmodSync(at("open", "read-only.db"), 0o444);
const otherUser: SpawnOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

interface Row {
  name: string;
  env: Record<string, string>;
  line: string;
  spawn?: SpawnOptions;
}

const rows: Row[] = [
  {
    name: "a number setting that is not a number",
    env: { PORT: "80a" },
    line: `PORT : « 80a » n'est pas un nombre entier de 1 à 65535. / PORT: "80a" is not a whole number from 1 to 65535.`,
  },
  {
    name: "a number below its minimum",
    env: { SESSION_TTL_HOURS: "0" },
    line: `SESSION_TTL_HOURS : « 0 » n'est pas un nombre entier de 1 à 87600. / SESSION_TTL_HOURS: "0" is not a whole number from 1 to 87600.`,
  },
  {
    name: "a scrypt cost scrypt refuses",
    env: { SCRYPT_COST: "100000" },
    line: `SCRYPT_COST : « 100000 » n'est pas une puissance de 2 de 1024 à 16777216 (131072 par défaut). / SCRYPT_COST: "100000" is not a power of 2 from 1024 to 16777216 (default 131072).`,
  },
  {
    name: "an http PUBLIC_URL on a real host",
    env: { PUBLIC_URL: "http://factures.example.fr" },
    line:
      "PUBLIC_URL : http://factures.example.fr est en http, or Excel ne charge un complément qu'en https : mettez l'adresse https du serveur (http n'est admis que pour localhost). / " +
      "PUBLIC_URL: http://factures.example.fr is http, but Excel loads add-ins over https only: set the server's https address (http is accepted for localhost only).",
  },
  {
    name: "an http address made from HOST when PUBLIC_URL is unset",
    env: { HOST: "192.168.1.20", PORT: "8787" },
    line:
      "PUBLIC_URL : http://192.168.1.20:8787 (déduite de HOST et PORT) est en http, or Excel ne charge un complément qu'en https : mettez l'adresse https du serveur (http n'est admis que pour localhost). / " +
      "PUBLIC_URL: http://192.168.1.20:8787 (made from HOST and PORT) is http, but Excel loads add-ins over https only: set the server's https address (http is accepted for localhost only).",
  },
  {
    name: "a PUBLIC_URL that is not an address",
    env: { PUBLIC_URL: "factures.example.fr" },
    line: `PUBLIC_URL : « factures.example.fr » n'est pas une adresse http(s) complète (ex. https://factures.example.fr). / PUBLIC_URL: "factures.example.fr" is not a full http(s) address (e.g. https://factures.example.fr).`,
  },
  {
    name: "a time zone that does not exist",
    env: { PASSERELLE_TZ: "Europe/Lyon" },
    line: `PASSERELLE_TZ : « Europe/Lyon » n'est pas un fuseau horaire IANA (ex. Europe/Paris). / PASSERELLE_TZ: "Europe/Lyon" is not an IANA time zone (e.g. Europe/Paris).`,
  },
  {
    name: "an SMTP_URL that is not an smtp address (its value is not echoed: it holds a password)",
    env: { SMTP_URL: "mail.example.fr:465" },
    line: `SMTP_URL : attendu smtp://… ou smtps://… (ex. smtps://utilisateur:motdepasse@smtp.example.fr:465). / SMTP_URL: expected smtp://… or smtps://… (e.g. smtps://user:password@smtp.example.fr:465).`,
  },
  {
    name: "a secret key that is not 32 bytes of base64 (not echoed)",
    env: { PASSERELLE_SECRET_KEY: "bm90IHRoaXJ0eS10d28gYnl0ZXM=" },
    line: `PASSERELLE_SECRET_KEY : il faut 32 octets en base64 (openssl rand -base64 32). / PASSERELLE_SECRET_KEY: must be 32 bytes in base64 (openssl rand -base64 32).`,
  },
  {
    name: "a damaged secret.key file in the data folder",
    env: { PASSERELLE_DATA: at("bad-key-data") },
    line:
      `${at("bad-key-data", "secret.key")} : ne contient pas une clé de 32 octets en base64 ; remettez la clé d'origine (sans elle, les secrets des webhooks sont perdus). / ` +
      `${at("bad-key-data", "secret.key")}: does not hold a 32-byte base64 key; put the original key back (without it, webhook secrets are lost).`,
  },
  {
    name: "a data folder that is a file",
    env: { PASSERELLE_DATA: at("a-file") },
    line: `PASSERELLE_DATA : ${at("a-file")} n'est pas un dossier. / PASSERELLE_DATA: ${at("a-file")} is not a folder.`,
  },
  {
    name: "a data folder that cannot be created",
    env: { PASSERELLE_DATA: at("a-file", "data") },
    line: `PASSERELLE_DATA : impossible de créer ${at("a-file", "data")} (ENOTDIR). / PASSERELLE_DATA: cannot create ${at("a-file", "data")} (ENOTDIR).`,
  },
  {
    name: "a data folder the server's user cannot write in",
    env: { PASSERELLE_DATA: at("locked") },
    spawn: otherUser,
    line:
      `PASSERELLE_DATA : impossible d'écrire dans ${at("locked")} (EACCES) ; donnez ce dossier à l'utilisateur du serveur (chown). / ` +
      `PASSERELLE_DATA: cannot write in ${at("locked")} (EACCES); give this folder to the server's user (chown).`,
  },
  {
    name: "a database path that is a folder",
    env: { PASSERELLE_DB: at("db-is-a-folder") },
    line: `PASSERELLE_DB : ${at("db-is-a-folder")} est un dossier, pas un fichier de base de données. / PASSERELLE_DB: ${at("db-is-a-folder")} is a folder, not a database file.`,
  },
  {
    name: "a database file that is not a database",
    env: { PASSERELLE_DB: at("garbage.db") },
    line: `PASSERELLE_DB : ${at("garbage.db")} n'est pas une base SQLite (fichier endommagé, ou un autre fichier ?). / PASSERELLE_DB: ${at("garbage.db")} is not a SQLite database (damaged, or another file?).`,
  },
  {
    name: "a database whose folder cannot be created",
    env: { PASSERELLE_DB: at("a-file", "passerelle.db") },
    line: `PASSERELLE_DB : ${at("a-file")} n'est pas un dossier. / PASSERELLE_DB: ${at("a-file")} is not a folder.`,
  },
  {
    name: "a database file the server's user cannot write",
    env: { PASSERELLE_DB: at("open", "read-only.db") },
    spawn: otherUser,
    line:
      `PASSERELLE_DB : impossible d'écrire dans ${at("open", "read-only.db")} (SQLITE_READONLY) ; donnez ce fichier et son dossier à l'utilisateur du serveur (chown). / ` +
      `PASSERELLE_DB: cannot write to ${at("open", "read-only.db")} (SQLITE_READONLY); give this file and its folder to the server's user (chown).`,
  },
  {
    name: "a database written by a newer release",
    env: { PASSERELLE_DB: at("newer.db") },
    line:
      `PASSERELLE_DB : ${at("newer.db")} vient d'une version plus récente de Passerelle (schéma ${LATEST_SCHEMA + 1}, celle-ci connaît ${LATEST_SCHEMA}) ; installez cette version, ou restaurez une sauvegarde. / ` +
      `PASSERELLE_DB: ${at("newer.db")} comes from a newer Passerelle (schema ${LATEST_SCHEMA + 1}; this one knows ${LATEST_SCHEMA}); install that release, or restore a backup.`,
  },
  {
    name: "a fonts folder without the fonts",
    env: { PASSERELLE_PDF_FONTS: at("no-fonts") },
    line:
      `PASSERELLE_PDF_FONTS : ${at("no-fonts")} ne contient pas DejaVuSans.ttf et DejaVuSans-Bold.ttf (paquet Debian fonts-dejavu-core : /usr/share/fonts/truetype/dejavu). / ` +
      `PASSERELLE_PDF_FONTS: ${at("no-fonts")} does not hold DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian package fonts-dejavu-core: /usr/share/fonts/truetype/dejavu).`,
  },
  {
    name: "a backup folder that cannot be created",
    env: { BACKUP_DIR: at("a-file", "backups") },
    line: `BACKUP_DIR : impossible de créer ${at("a-file", "backups")} (ENOTDIR). / BACKUP_DIR: cannot create ${at("a-file", "backups")} (ENOTDIR).`,
  },
  {
    name: "a retention of no backup",
    env: { BACKUP_KEEP: "0" },
    line: `BACKUP_KEEP : « 0 » n'est pas un nombre entier de 1 à 10000. / BACKUP_KEEP: "0" is not a whole number from 1 to 10000.`,
  },
];

/** Starts the server as `npm start` would and waits for it to exit (a server that does not stop is killed after 60 s: the machine may be busy). */
async function start(env: Record<string, string>, options: SpawnOptions = {}) {
  const dataDir = fs.mkdtempSync(at("data-"));
  fs.chmodSync(dataDir, 0o777);
  const child = spawn(process.execPath, tsxArgs("src/server.ts"), {
    cwd: API_DIR,
    env: { ...process.env, PASSERELLE_DATA: dataDir, PASSERELLE_DEMO: "0", PORT: String(await freePort()), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...options,
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe.concurrent("bad configuration stops the server at start with one line", () => {
  for (const row of rows) {
    it(row.name, { timeout: 120_000 }, async () => {
      const run = await start(row.env, row.spawn);
      expect(run.stderr).toBe(`${row.line}\n`);
      expect(run.stdout).toBe("");
      expect(run.code).toBe(78);
    });
  }
});
