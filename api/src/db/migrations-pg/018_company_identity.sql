-- PostgreSQL translation of migrations/018_company_identity.sql: the département of the company's
-- registration at the répertoire des métiers, its APE code, and its logo.

ALTER TABLE companies ADD COLUMN rm_department text;
ALTER TABLE companies ADD COLUMN ape_code text;
-- The logo in use (its SHA-256), or none.
ALTER TABLE companies ADD COLUMN logo_sha256 text;

-- Every logo a company has used, by the SHA-256 of its bytes, kept for good.
CREATE TABLE company_logos (
  company_id text NOT NULL REFERENCES companies(id),
  sha256 text NOT NULL,
  media_type text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/svg+xml')),
  width integer NOT NULL,
  height integer NOT NULL,
  size_bytes bigint NOT NULL,
  bytes bytea NOT NULL,
  created_at text NOT NULL,
  PRIMARY KEY (company_id, sha256)
);
CREATE TRIGGER company_logos_no_update BEFORE UPDATE ON company_logos FOR EACH ROW EXECUTE FUNCTION refuse_change('stored logos never change');
CREATE TRIGGER company_logos_no_delete BEFORE DELETE ON company_logos FOR EACH ROW EXECUTE FUNCTION refuse_change('stored logos never change');
