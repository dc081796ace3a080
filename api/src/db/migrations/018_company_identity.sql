-- The company's identity as its documents print it: the département of its registration at the
-- répertoire des métiers (artisans), its APE code, and its logo.

ALTER TABLE companies ADD COLUMN rm_department TEXT;
ALTER TABLE companies ADD COLUMN ape_code TEXT;
-- The logo in use (its SHA-256), or none.
ALTER TABLE companies ADD COLUMN logo_sha256 TEXT;

-- Every logo a company has used, by the SHA-256 of its bytes, kept for good: an issued document's
-- frozen identity names the logo it was issued with, and prints it for as long as it is kept.
CREATE TABLE company_logos (
  company_id TEXT NOT NULL REFERENCES companies(id),
  sha256 TEXT NOT NULL,
  media_type TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/svg+xml')),
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (company_id, sha256)
) WITHOUT ROWID;
CREATE TRIGGER company_logos_no_update BEFORE UPDATE ON company_logos BEGIN SELECT RAISE(ABORT, 'stored logos never change'); END;
CREATE TRIGGER company_logos_no_delete BEFORE DELETE ON company_logos BEGIN SELECT RAISE(ABORT, 'stored logos never change'); END;
