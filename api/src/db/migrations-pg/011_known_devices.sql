-- PostgreSQL translation of migrations/011_known_devices.sql: a device where a user signed in
-- successfully gets a token (only its SHA-256 is kept here); its sign-in attempts are counted apart.
CREATE TABLE known_devices (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at text NOT NULL,
  last_used_at text NOT NULL
);
CREATE INDEX known_devices_user ON known_devices(user_id, last_used_at);
