-- Access: invitations of accountants, API keys for scripts, webhooks and their delivery log.

-- An invitation is a single-use link bound to one e-mail. Only the SHA-256 of its token is kept;
-- the delivery columns are the mail retry queue (the state survives a restart).
CREATE TABLE invitations (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  email TEXT NOT NULL COLLATE NOCASE,
  token_hash TEXT NOT NULL UNIQUE,
  invited_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  consumed_at TEXT,
  accepted_by TEXT REFERENCES users(id),
  revoked_at TEXT,
  delivery_status TEXT NOT NULL CHECK (delivery_status IN ('queued', 'sent', 'retrying', 'failed')),
  delivery_attempts INTEGER NOT NULL DEFAULT 0,
  delivery_error TEXT,
  last_attempt_at TEXT,
  next_attempt_at TEXT,
  sent_at TEXT,
  CHECK ((consumed_at IS NULL) = (accepted_by IS NULL))
);
CREATE INDEX invitations_company ON invitations(company_id, pk);
CREATE INDEX invitations_company_email ON invitations(company_id, email);
CREATE INDEX invitations_delivery_due ON invitations(next_attempt_at) WHERE delivery_status IN ('queued', 'retrying');

-- API keys: `psk_` + 32 random bytes, stored as SHA-256; `prefix` only helps people recognise a key.
CREATE TABLE api_keys (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  company_id TEXT REFERENCES companies(id),
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_keys_user ON api_keys(user_id, pk);
CREATE INDEX api_keys_company ON api_keys(company_id) WHERE company_id IS NOT NULL;

-- Webhooks follow the activity log: `cursor_seq` is the last activity row already turned into
-- deliveries. The signing secret must be usable, so it is sealed (AES-256-GCM) rather than hashed.
CREATE TABLE webhooks (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  deleted_at TEXT,
  cursor_seq INTEGER NOT NULL
);
CREATE INDEX webhooks_company ON webhooks(company_id, pk);

CREATE TABLE webhook_deliveries (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  webhook_id TEXT NOT NULL REFERENCES webhooks(id),
  company_id TEXT NOT NULL REFERENCES companies(id),
  event TEXT NOT NULL,
  activity_seq INTEGER NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'retrying', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  next_attempt_at TEXT,
  last_status_code INTEGER,
  last_error TEXT,
  delivered_at TEXT,
  UNIQUE (webhook_id, activity_seq)
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, pk);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status IN ('pending', 'retrying');
