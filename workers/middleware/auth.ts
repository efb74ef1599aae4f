import { SessionIdSchema } from "../../protocol/ids.js";
import { factory } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { bearerToken, hashSecret, timingSafeEqualStrings } from "../lib/credentials.js";
import { verifyKioskCredential } from "../lib/kiosk-registry.js";

/**
 * Requires the bearer credential of the kiosk named in the `:kioskId` path parameter (or, without
 * one, of any registered kiosk). Sets `kioskId`.
 */
export const requireKiosk = factory.createMiddleware(async function requireKiosk(c, next) {
  const kioskId = await authenticateKiosk(c.env.DB, c.req.header("authorization"));
  const pathKiosk = c.req.param("kioskId");
  if (pathKiosk !== undefined && pathKiosk !== kioskId)
    throw new ApiError(403, "forbidden", "credential belongs to another kiosk");
  c.set("kioskId", kioskId);
  await next();
});

/** The kiosk id behind an Authorization header, or an ApiError (401 / 403 kiosk_revoked). */
export async function authenticateKiosk(db: D1Database, header: string | undefined): Promise<string> {
  const token = bearerToken(header);
  if (token === null) throw new ApiError(401, "unauthorized", "missing bearer kiosk credential");
  const result = await verifyKioskCredential(db, token);
  if (result.ok) return result.kioskId;
  if (result.reason === "revoked") throw new ApiError(403, "kiosk_revoked", "this kiosk's credential was revoked");
  throw new ApiError(401, "unauthorized", "unknown kiosk or wrong credential");
}

/**
 * True when the request carries the admin bearer token. Digests are compared (in constant time),
 * so neither the content nor the length of the token leaks through timing.
 */
export async function isAdminToken(header: string | undefined, adminToken: string): Promise<boolean> {
  const token = bearerToken(header);
  if (token === null) return false;
  const [presented, expected] = await Promise.all([hashSecret(token), hashSecret(adminToken)]);
  return timingSafeEqualStrings(presented, expected);
}

/** Requires `Authorization: Bearer <ADMIN_TOKEN>`; kiosk credentials never pass. */
export const requireAdmin = factory.createMiddleware(async function requireAdmin(c, next) {
  if (!(await isAdminToken(c.req.header("authorization"), c.var.config.ADMIN_TOKEN)))
    throw new ApiError(401, "unauthorized", "admin endpoints need the admin bearer token");
  await next();
});

/**
 * A session id that exists in the D1 sessions table, with its kiosk. Checked before any Durable
 * Object is addressed, so requests for made-up ids never create objects (or storage).
 */
export async function knownSession(db: D1Database, rawId: string): Promise<{ sessionId: string; kioskId: string }> {
  const sessionId = SessionIdSchema.safeParse(rawId);
  const row = sessionId.success
    ? await db.prepare("SELECT kiosk_id FROM sessions WHERE id = ?").bind(sessionId.data).first<{ kiosk_id: string }>()
    : null;
  if (!sessionId.success || row === null) throw new ApiError(404, "session_not_found", "no such session");
  return { sessionId: sessionId.data, kioskId: row.kiosk_id };
}

/**
 * The session `rawId` if the request's kiosk credential owns it, else 404 — other kiosks' sessions
 * and unknown ids look the same, and no Durable Object is touched.
 */
export async function requireOwnedSession(
  db: D1Database,
  header: string | undefined,
  rawId: string,
): Promise<{ sessionId: string; kioskId: string }> {
  const kioskId = await authenticateKiosk(db, header);
  const session = await knownSession(db, rawId);
  if (session.kioskId !== kioskId) throw new ApiError(404, "session_not_found", "no such session");
  return session;
}
