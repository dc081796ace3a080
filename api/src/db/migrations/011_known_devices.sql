-- A device where a user signed in successfully gets a token (only its SHA-256 is kept here). Sign-in
-- attempts from a known device are counted per device, so failures from anywhere else never lock
-- the owner out of it.
CREATE TABLE known_devices (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX known_devices_user ON known_devices(user_id, last_used_at);
