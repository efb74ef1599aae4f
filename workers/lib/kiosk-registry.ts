import { parseKioskCredential } from "../../protocol/ids.js";
import { hashSecret, newKioskId, randomSecret, timingSafeEqualStrings } from "./credentials.js";

export interface KioskRow {
  id: string;
  name: string;
  created_at: number;
  revoked_at: number | null;
  last_seen_at: number | null;
}

/** Outcome of checking a kiosk credential. */
export type KioskAuthResult =
  | { ok: true; kioskId: string }
  | { ok: false; reason: "malformed" | "unknown_or_wrong" | "revoked" };

/** Verifies `<kioskId>.<secret>` against the registry (constant-time on the hash). */
export async function verifyKioskCredential(db: D1Database, credential: string): Promise<KioskAuthResult> {
  const parsed = parseKioskCredential(credential);
  if (parsed === null) return { ok: false, reason: "malformed" };
  const row = await db
    .prepare("SELECT token_hash, revoked_at FROM kiosks WHERE id = ?")
    .bind(parsed.kioskId)
    .first<{ token_hash: string; revoked_at: number | null }>();
  const presented = await hashSecret(parsed.secret);
  // Compare even when the kiosk is unknown, so timing does not reveal which ids exist.
  const matches = timingSafeEqualStrings(presented, row?.token_hash ?? "0".repeat(64));
  if (row === null || !matches) return { ok: false, reason: "unknown_or_wrong" };
  if (row.revoked_at !== null) return { ok: false, reason: "revoked" };
  return { ok: true, kioskId: parsed.kioskId };
}

/** A new kiosk id and credential, and the hash that is all the registry stores of it. */
export async function mintKioskCredential(): Promise<{ kioskId: string; credential: string; tokenHash: string }> {
  const kioskId = newKioskId();
  const secret = randomSecret(32);
  return { kioskId, credential: `${kioskId}.${secret}`, tokenHash: await hashSecret(secret) };
}

/** Registers a kiosk; returns its id and the credential (shown once, stored only hashed). */
export async function registerKiosk(
  db: D1Database,
  name: string,
  now: number,
): Promise<{ kioskId: string; credential: string }> {
  const { kioskId, credential, tokenHash } = await mintKioskCredential();
  await db
    .prepare("INSERT INTO kiosks (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)")
    .bind(kioskId, name, tokenHash, now)
    .run();
  return { kioskId, credential };
}

/** Revokes a kiosk's credential; false when the kiosk does not exist. */
export async function revokeKiosk(db: D1Database, kioskId: string, now: number): Promise<boolean> {
  const result = await db
    .prepare("UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
    .bind(now, kioskId)
    .run();
  return (result.meta.changes ?? 0) > 0;
}

export async function listKiosks(db: D1Database): Promise<KioskRow[]> {
  const result = await db
    .prepare("SELECT id, name, created_at, revoked_at, last_seen_at FROM kiosks ORDER BY created_at")
    .all<KioskRow>();
  return result.results;
}

/** Records a new session for ops and marks the kiosk as seen. */
export async function recordSession(
  db: D1Database,
  session: { sessionId: string; kioskId: string; createdAt: number; expiresAt: number },
): Promise<void> {
  await db.batch([
    db
      .prepare("INSERT INTO sessions (id, kiosk_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .bind(session.sessionId, session.kioskId, session.createdAt, session.expiresAt),
    db.prepare("UPDATE kiosks SET last_seen_at = ? WHERE id = ?").bind(session.createdAt, session.kioskId),
  ]);
}
