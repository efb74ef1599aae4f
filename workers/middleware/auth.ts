import { factory } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { bearerToken, timingSafeEqualStrings } from "../lib/credentials.js";
import { verifyKioskCredential } from "../lib/kiosk-registry.js";

/**
 * Requires the bearer credential of the kiosk named in the `:kioskId` path parameter (or, without
 * one, of any registered kiosk). Sets `kioskId`.
 */
export const requireKiosk = factory.createMiddleware(async function requireKiosk(c, next) {
  const token = bearerToken(c.req.header("authorization"));
  if (token === null) throw new ApiError(401, "unauthorized", "missing bearer kiosk credential");
  const result = await verifyKioskCredential(c.env.DB, token);
  if (!result.ok) {
    if (result.reason === "revoked") throw new ApiError(403, "kiosk_revoked", "this kiosk's credential was revoked");
    throw new ApiError(401, "unauthorized", "unknown kiosk or wrong credential");
  }
  const pathKiosk = c.req.param("kioskId");
  if (pathKiosk !== undefined && pathKiosk !== result.kioskId)
    throw new ApiError(403, "forbidden", "credential belongs to another kiosk");
  c.set("kioskId", result.kioskId);
  await next();
});

/** True when the request carries the admin bearer token (compared in constant time). */
export function isAdminToken(header: string | undefined, adminToken: string): boolean {
  const token = bearerToken(header);
  return token !== null && timingSafeEqualStrings(token, adminToken);
}

/** Requires `Authorization: Bearer <ADMIN_TOKEN>`; kiosk credentials never pass. */
export const requireAdmin = factory.createMiddleware(async function requireAdmin(c, next) {
  if (!isAdminToken(c.req.header("authorization"), c.var.config.ADMIN_TOKEN))
    throw new ApiError(401, "unauthorized", "admin endpoints need the admin bearer token");
  await next();
});
