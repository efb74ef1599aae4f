import { Hono } from "hono";
import { z } from "zod";
import { KioskIdSchema } from "../../protocol/ids.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { readJsonBody } from "../lib/json-body.js";
import { listKiosks, registerKiosk, revokeKiosk } from "../lib/kiosk-registry.js";

const RegisterBody = z.object({ name: z.string().trim().min(1).max(100) });

/** Kiosk registry administration under `/v1/admin/kiosks` (admin token only). */
export const adminKiosks = new Hono<AppEnv>()
  .post("/v1/admin/kiosks", async (c) => {
    const body = await readJsonBody(c, RegisterBody);
    const kiosk = await registerKiosk(c.env.DB, body.name, Date.now());
    c.var.log.info("kiosk registered", { kioskId: kiosk.kioskId, name: body.name });
    return c.json({ kioskId: kiosk.kioskId, name: body.name, credential: kiosk.credential }, 201);
  })
  .get("/v1/admin/kiosks", async (c) => {
    const kiosks = await listKiosks(c.env.DB);
    return c.json({
      kiosks: kiosks.map((k) => ({
        kioskId: k.id,
        name: k.name,
        createdAt: k.created_at,
        revokedAt: k.revoked_at,
        lastSeenAt: k.last_seen_at,
      })),
    });
  })
  .post("/v1/admin/kiosks/:kioskId/revoke", async (c) => {
    const parsed = KioskIdSchema.safeParse(c.req.param("kioskId"));
    if (!parsed.success || !(await revokeKiosk(c.env.DB, parsed.data, Date.now())))
      throw new ApiError(404, "not_found", "no such kiosk");
    c.var.log.warn("kiosk credential revoked", { kioskId: parsed.data });
    return c.json({ kioskId: parsed.data, revoked: true });
  });
