-- Payments: one row per QR/order the edge created (maps the PSP reference back to its session).
CREATE TABLE IF NOT EXISTS payments (
  payment_id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  provider_ref TEXT NOT NULL,
  session_id TEXT NOT NULL,
  kiosk_id TEXT NOT NULL,
  story_id TEXT NOT NULL,
  amount_paise INTEGER NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  psp_payment_id TEXT,
  refund_reason TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  paid_at INTEGER,
  UNIQUE (provider, provider_ref)
);
CREATE INDEX IF NOT EXISTS payments_by_session ON payments (session_id);

-- The ledger: every verified PSP event, stored once (idempotent by provider + event id). Events for
-- unknown QRs/orders are kept too (payment_id NULL) for reconciliation.
CREATE TABLE IF NOT EXISTS payment_events (
  provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  provider_ref TEXT,
  psp_payment_id TEXT,
  payment_id TEXT,
  amount_paise INTEGER,
  currency TEXT,
  psp_created_at INTEGER,
  received_at INTEGER NOT NULL,
  body_sha256 TEXT NOT NULL,
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX IF NOT EXISTS payment_events_by_payment ON payment_events (psp_payment_id);

-- The local PSP simulator's QR codes (PSP_PROVIDER=simulator only).
CREATE TABLE IF NOT EXISTS simulator_qr_codes (
  id TEXT PRIMARY KEY,
  amount_paise INTEGER NOT NULL,
  notes TEXT NOT NULL,
  status TEXT NOT NULL,
  close_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
