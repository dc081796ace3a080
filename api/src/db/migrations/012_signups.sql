-- Sign-ups waiting for their e-mail to be confirmed. Signing up answers the same whether or not the
-- e-mail has an account, so the account is created only from the link sent to that mailbox. Only
-- the SHA-256 of the link's token is kept; the password is kept as its hash, until confirmation
-- moves it to the new user. Rows are deleted once expired.
CREATE TABLE signups (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL,
  password_hash TEXT,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  password_attempts INTEGER NOT NULL DEFAULT 0,
  confirmed_at TEXT,
  user_id TEXT REFERENCES users(id),
  CHECK ((confirmed_at IS NULL) = (user_id IS NULL)),
  CHECK ((confirmed_at IS NULL) = (password_hash IS NOT NULL))
);
CREATE INDEX signups_expiry ON signups(expires_at);
