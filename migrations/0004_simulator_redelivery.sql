-- The simulator keeps the last webhook it built per QR, so a "lost" delivery can be re-sent later
-- (Razorpay retries for 24 h) with the same event id and bytes.
ALTER TABLE simulator_qr_codes ADD COLUMN last_webhook TEXT;
ALTER TABLE simulator_qr_codes ADD COLUMN last_event_id TEXT;
