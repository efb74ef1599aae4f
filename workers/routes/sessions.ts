import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { SessionSnapshot } from "../../durable-objects/kiosk-session/kiosk-session.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { hashSecret, randomSecret } from "../lib/credentials.js";
import { readJsonBody } from "../lib/json-body.js";
import { recordSession } from "../lib/kiosk-registry.js";
import { mintKioskToken } from "../lib/livekit.js";
import { isAdminToken, knownSession, requireKiosk, requireOwnedSession } from "../middleware/auth.js";

const CreateSessionBody = z.object({}).loose();

function sessionStub(c: Context<AppEnv>, sessionId: string) {
  return c.env.KIOSK_SESSION.get(c.env.KIOSK_SESSION.idFromName(sessionId));
}

/**
 * The session a caller may act on: the admin token sees any; a kiosk credential only its own.
 * Unknown sessions and other kiosks' sessions both answer 404 (ids are not confirmed to outsiders).
 */
async function authorizedSnapshot(c: Context<AppEnv>, rawId: string): Promise<SessionSnapshot> {
  const header = c.req.header("authorization");
  const session = (await isAdminToken(header, c.var.config.ADMIN_TOKEN))
    ? await knownSession(c.env.DB, rawId)
    : await requireOwnedSession(c.env.DB, header, rawId);
  const snapshot = await sessionStub(c, session.sessionId).snapshot();
  if (snapshot === null) throw new ApiError(404, "session_not_found", "no such session");
  return snapshot;
}

function webSocketUrl(requestUrl: string, sessionId: string, token: string): string {
  const url = new URL(`/v1/sessions/${sessionId}/ws`, requestUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("t", token);
  return url.toString();
}

export const sessions = new Hono<AppEnv>()
  .post("/v1/kiosks/:kioskId/sessions", requireKiosk, async (c) => {
    await readJsonBody(c, CreateSessionBody);
    const kioskId = c.var.kioskId;
    const sessionId = crypto.randomUUID();
    const sessionToken = randomSecret(32);
    const created = await sessionStub(c, sessionId).init({
      sessionId,
      kioskId,
      tokenHash: await hashSecret(sessionToken),
      publicBaseUrl: new URL(c.req.url).origin,
    });
    if (created === null) throw new ApiError(409, "invalid_request", "session id collision; retry");
    await recordSession(c.env.DB, { sessionId, kioskId, createdAt: Date.now(), expiresAt: created.expiresAt });
    const livekit = await mintKioskToken(c.var.config, { sessionId, kioskId });
    c.var.log.info("session opened; LiveKit token minted", { sessionId, kioskId, room: livekit.room });
    return c.json(
      {
        sessionId,
        ws: webSocketUrl(c.req.url, sessionId, sessionToken),
        sessionToken,
        livekit,
        expiresAt: created.expiresAt,
      },
      201,
    );
  })
  .get("/v1/sessions/:id/ws", async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
      throw new ApiError(426, "invalid_request", "this endpoint needs a WebSocket upgrade");
    const { sessionId } = await knownSession(c.env.DB, c.req.param("id"));
    return sessionStub(c, sessionId).fetch(c.req.raw);
  })
  .get("/v1/sessions/:id", async (c) => {
    const snapshot = await authorizedSnapshot(c, c.req.param("id"));
    return c.json(snapshot);
  })
  .post("/v1/sessions/:id/end", async (c) => {
    const { sessionId } = await authorizedSnapshot(c, c.req.param("id"));
    await sessionStub(c, sessionId).end();
    c.var.log.info("session ended by request", { sessionId });
    return c.json({ sessionId, status: "ended" });
  })
  .post("/v1/sessions/:id/token", async (c) => {
    const snapshot = await authorizedSnapshot(c, c.req.param("id"));
    const sessionId = snapshot.sessionId;
    if (snapshot.status === "ended") throw new ApiError(410, "session_ended", "this session has ended");
    const livekit = await mintKioskToken(c.var.config, { sessionId, kioskId: snapshot.kioskId });
    c.var.log.info("LiveKit token refreshed", { sessionId, kioskId: snapshot.kioskId });
    return c.json({ livekit }, 201);
  });
