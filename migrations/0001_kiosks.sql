-- Kiosk registry: one row per kiosk; only SHA-256 of the credential secret is stored.
CREATE TABLE IF NOT EXISTS kiosks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_seen_at INTEGER
);

-- Sessions opened, for ops (which kiosk, when). The live state is in the KioskSession DO.
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_kiosk ON sessions (kiosk_id, created_at);
