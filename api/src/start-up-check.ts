/**
 * What the server checks before it starts: the settings parse (config.ts), and the places they name
 * are usable — the data folder, the database, the fonts, the secret key file, the backup folder. A
 * problem is one line, French then English, saying what to fix; the process exits with 78
 * (EX_CONFIG), which a service manager can be told not to restart on.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ConfigError, configFromEnv, isBase64Key, type Config } from "./config.js";
import { isPostgresUrl, knownSchemaVersion, openDatabase, schemaVersionOf, type Db } from "./db/connection.js";
import { PostgresDatabase } from "./db/postgres/database.js";
import { redactedUrl } from "./db/postgres/urls.js";

export const EX_CONFIG = 78;

/** The configuration, or one line on stderr and exit 78. */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    const config = configFromEnv(env);
    checkStartUp(config, env);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(EX_CONFIG);
  }
}

export function checkStartUp(config: Config, env: NodeJS.ProcessEnv = process.env): void {
  usableFolder("PASSERELLE_DATA", config.dataDir);
  checkDatabase(config.databasePath);
  if (env.PASSERELLE_PDF_FONTS) checkFonts(env.PASSERELLE_PDF_FONTS);
  if (!config.secretKey) checkSecretKeyFile(path.join(config.dataDir, "secret.key"));
  if (config.backups.intervalSeconds > 0) usableFolder("BACKUP_DIR", config.backups.dir);
}

const code = (error: unknown) => (error as { code?: string }).code ?? String(error);

/** Exists or can be made, and the server's user can list and write in it. */
export function usableFolder(setting: string, dir: string): void {
  creatable(setting, dir);
  try {
    fs.readdirSync(dir);
  } catch (error) {
    throw new ConfigError(
      `${setting} : impossible de lire ${dir} (${code(error)}) ; donnez ce dossier à l'utilisateur du serveur (chown).`,
      `${setting}: cannot read ${dir} (${code(error)}); give this folder to the server's user (chown).`,
    );
  }
  const probe = path.join(dir, `.passerelle-write-check-${process.pid}`);
  try {
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (error) {
    throw new ConfigError(
      `${setting} : impossible d'écrire dans ${dir} (${code(error)}) ; donnez ce dossier à l'utilisateur du serveur (chown).`,
      `${setting}: cannot write in ${dir} (${code(error)}); give this folder to the server's user (chown).`,
    );
  }
}

function creatable(setting: string, dir: string): void {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new ConfigError(`${setting} : ${dir} n'est pas un dossier.`, `${setting}: ${dir} is not a folder.`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new ConfigError(`${setting} : impossible de créer ${dir} (${code(error)}).`, `${setting}: cannot create ${dir} (${code(error)}).`);
  }
}

/** Reads the database's schema version, then opens (or creates) it as the server will. */
function checkDatabase(file: string): void {
  if (file === ":memory:") return;
  if (isPostgresUrl(file)) return checkPostgres(file);
  creatable("PASSERELLE_DB", path.dirname(file));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new ConfigError(`PASSERELLE_DB : ${file} est un dossier, pas un fichier de base de données.`, `PASSERELLE_DB: ${file} is a folder, not a database file.`);
  }
  let version: number | null = null;
  try {
    if (fs.existsSync(file)) version = withDatabase(() => new Database(file, { readonly: true, timeout: 5000 }), schemaVersionOf);
  } catch (error) {
    throw databaseProblem(file, error);
  }
  refuseNewerSchema("PASSERELLE_DB", file, version);
  // as the server will open it: WAL, migrations (a file it may read but not write fails here)
  try {
    withDatabase(() => openDatabase(file), () => undefined);
  } catch (error) {
    throw databaseProblem(file, error);
  }
}

/** A database a newer Passerelle has migrated: this one must not open it. */
function refuseNewerSchema(setting: string, where: string, version: number | null): void {
  const known = knownSchemaVersion();
  if (version !== null && version > known) {
    throw new ConfigError(
      `${setting} : ${where} vient d'une version plus récente de Passerelle (schéma ${version}, celle-ci connaît ${known}) ; installez cette version, ou restaurez une sauvegarde.`,
      `${setting}: ${where} comes from a newer Passerelle (schema ${version}; this one knows ${known}); install that release, or restore a backup.`,
    );
  }
}

/** Reaches the PostgreSQL database, refuses a newer schema, then migrates it as the server will. */
function checkPostgres(url: string): void {
  const where = redactedUrl(url);
  let version: number | null;
  try {
    version = withDatabase(() => PostgresDatabase.connect(url) as unknown as Db, schemaVersionOf);
  } catch (error) {
    throw new ConfigError(`PASSERELLE_DATABASE_URL : impossible de joindre ${where} (${code(error)} : ${String(error)}).`, `PASSERELLE_DATABASE_URL: cannot reach ${where} (${code(error)}: ${String(error)}).`);
  }
  refuseNewerSchema("PASSERELLE_DATABASE_URL", where, version);
  try {
    withDatabase(() => openDatabase(url), () => undefined);
  } catch (error) {
    throw new ConfigError(`PASSERELLE_DATABASE_URL : impossible de mettre à jour ${where} (${code(error)} : ${String(error)}).`, `PASSERELLE_DATABASE_URL: cannot bring ${where} up to date (${code(error)}: ${String(error)}).`);
  }
}

function withDatabase<T>(open: () => Db, use: (db: Db) => T): T {
  const db = open();
  try {
    return use(db);
  } finally {
    db.close();
  }
}

function databaseProblem(file: string, error: unknown): ConfigError {
  switch (code(error)) {
    case "SQLITE_NOTADB":
      return new ConfigError(`PASSERELLE_DB : ${file} n'est pas une base SQLite (fichier endommagé, ou un autre fichier ?).`, `PASSERELLE_DB: ${file} is not a SQLite database (damaged, or another file?).`);
    case "SQLITE_READONLY":
      return new ConfigError(
        `PASSERELLE_DB : impossible d'écrire dans ${file} (SQLITE_READONLY) ; donnez ce fichier et son dossier à l'utilisateur du serveur (chown).`,
        `PASSERELLE_DB: cannot write to ${file} (SQLITE_READONLY); give this file and its folder to the server's user (chown).`,
      );
    default:
      return new ConfigError(`PASSERELLE_DB : impossible d'ouvrir ${file} (${code(error)} : ${String(error)}).`, `PASSERELLE_DB: cannot open ${file} (${code(error)}: ${String(error)}).`);
  }
}

/** A folder named on purpose must hold the fonts: otherwise PDFs would quietly use other ones. */
function checkFonts(dir: string): void {
  try {
    for (const font of ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]) fs.accessSync(path.join(dir, font), fs.constants.R_OK);
  } catch {
    throw new ConfigError(
      `PASSERELLE_PDF_FONTS : ${dir} ne contient pas DejaVuSans.ttf et DejaVuSans-Bold.ttf (paquet Debian fonts-dejavu-core : /usr/share/fonts/truetype/dejavu).`,
      `PASSERELLE_PDF_FONTS: ${dir} does not hold DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian package fonts-dejavu-core: /usr/share/fonts/truetype/dejavu).`,
    );
  }
}

/** A key file that exists must be the key: a new one would leave every sealed webhook secret unreadable. */
function checkSecretKeyFile(file: string): void {
  if (!fs.existsSync(file)) return;
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8").trim();
  } catch {
    // unreadable: said below like a damaged one
  }
  if (!isBase64Key(text)) {
    throw new ConfigError(
      `${file} : ne contient pas une clé de 32 octets en base64 ; remettez la clé d'origine (sans elle, les secrets des webhooks sont perdus).`,
      `${file}: does not hold a 32-byte base64 key; put the original key back (without it, webhook secrets are lost).`,
    );
  }
}
