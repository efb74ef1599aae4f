-- Staff overrides: every attempt (the runbook's "log override in spreadsheet" becomes this table).
CREATE TABLE IF NOT EXISTS overrides (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kiosk_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  story_id TEXT,
  staff TEXT,
  result TEXT NOT NULL CHECK (result IN ('unlocked', 'wrong_code', 'locked_out')),
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS overrides_by_kiosk ON overrides (kiosk_id, created_at);
