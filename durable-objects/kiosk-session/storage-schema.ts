/**
 * SQLite schema of one KioskSession, versioned in one place. Migrations are idempotent and run in
 * the constructor under blockConcurrencyWhile, before any event is delivered.
 */
export const SCHEMA_VERSION = 4;

const MIGRATIONS: Record<number, string[]> = {
  1: [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE IF NOT EXISTS outbox (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       run_id TEXT NOT NULL,
       send_at INTEGER NOT NULL,
       type TEXT NOT NULL,
       body TEXT NOT NULL,
       sent_at INTEGER
     )`,
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sent_at, send_at)",
    `CREATE TABLE IF NOT EXISTS img_reports (
       run_id TEXT NOT NULL,
       cue_id TEXT NOT NULL,
       shown_at INTEGER NOT NULL,
       error_ms REAL NOT NULL,
       received_at INTEGER NOT NULL,
       PRIMARY KEY (run_id, cue_id)
     )`,
  ],
  2: [
    `CREATE TABLE IF NOT EXISTS payments (
       payment_id TEXT PRIMARY KEY,
       provider TEXT NOT NULL,
       provider_ref TEXT NOT NULL,
       story_id TEXT NOT NULL,
       status TEXT NOT NULL,
       expires_at INTEGER NOT NULL,
       record TEXT NOT NULL,
       upi_uri TEXT NOT NULL,
       confirmation TEXT
     )`,
  ],
  // Migrations are append-only: objects already at an older version upgrade in place.
  3: ["ALTER TABLE payments ADD COLUMN next_poll_at INTEGER"],
  // Effects of a payment transition not yet carried out (durable outbox: survives a failure).
  4: ["ALTER TABLE payments ADD COLUMN effects_pending TEXT"],
};

/** Brings storage up to SCHEMA_VERSION. */
export function migrate(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = sql.exec<{ version: number }>("SELECT version FROM schema_version LIMIT 1").toArray()[0];
  const current = row?.version ?? 0;
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    for (const statement of MIGRATIONS[version] ?? []) sql.exec(statement);
  }
  if (current === 0) sql.exec("INSERT INTO schema_version (version) VALUES (?)", SCHEMA_VERSION);
  else if (current < SCHEMA_VERSION) sql.exec("UPDATE schema_version SET version = ?", SCHEMA_VERSION);
}
