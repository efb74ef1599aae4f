import { Hono } from "hono";
import { z } from "zod";
import { StoryIdSchema } from "../../protocol/ids.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { ContentError, loadCatalog } from "../lib/content-store.js";
import { readJsonBody } from "../lib/json-body.js";
import { requireOwnedSession } from "../middleware/auth.js";
import { checkOverrideCode } from "../payments/override-code.js";

/** Wrong codes tolerated per kiosk in the window before it is locked out for the window. */
export const OVERRIDE_MAX_WRONG = 5;
export const OVERRIDE_WINDOW_MS = 15 * 60_000;

const OverrideBody = z.object({
  code: z.string().regex(/^\d{6}$/, "the override code is 6 digits"),
  /** Which premium story to unlock; default: the story of the session's open payment. */
  storyId: StoryIdSchema.optional(),
  /** Who unlocked (staff name or badge), for the log. */
  staff: z.string().trim().min(1).max(80).optional(),
});

/**
 * `POST /v1/sessions/:id/override {code, storyId?, staff?}`: the runbook's staff override when
 * payments are down. The code is the kiosk's code of the day (HOTP from OVERRIDE_SECRET); wrong
 * codes are counted per kiosk and lock it out; every attempt is logged in D1.
 */
export const override = new Hono<AppEnv>().post("/v1/sessions/:id/override", async (c) => {
  const { sessionId, kioskId } = await requireOwnedSession(c.env.DB, c.req.header("authorization"), c.req.param("id"));
  const body = await readJsonBody(c, OverrideBody);
  const now = Date.now();
  // Every attempt is recorded as a wrong code *before* it is checked, and counted with the others:
  // parallel guesses see each other, so the limit holds however many arrive at once.
  const attempt = await c.env.DB.prepare(
    "INSERT INTO overrides (kiosk_id, session_id, story_id, staff, result, created_at) VALUES (?, ?, ?, ?, 'wrong_code', ?) RETURNING id",
  )
    .bind(kioskId, sessionId, body.storyId ?? null, body.staff ?? null, now)
    .first<{ id: number }>();
  const settle = (result: "unlocked" | "locked_out", storyId: string | null) =>
    c.env.DB.prepare("UPDATE overrides SET result = ?, story_id = ? WHERE id = ?")
      .bind(result, storyId, attempt?.id ?? -1)
      .run();
  const wrong = await c.env.DB.prepare(
    "SELECT COUNT(*) AS n FROM overrides WHERE kiosk_id = ? AND result = 'wrong_code' AND created_at > ?",
  )
    .bind(kioskId, now - OVERRIDE_WINDOW_MS)
    .first<{ n: number }>();
  if ((wrong?.n ?? 0) > OVERRIDE_MAX_WRONG) {
    await settle("locked_out", body.storyId ?? null);
    c.var.log.warn("override locked out", { kioskId, sessionId });
    throw new ApiError(429, "rate_limited", "too many wrong codes: overrides are locked for 15 minutes on this kiosk");
  }
  if (!(await checkOverrideCode(c.var.config.OVERRIDE_SECRET, kioskId, body.code, now))) {
    c.var.log.warn("override code wrong", { kioskId, sessionId });
    throw new ApiError(403, "forbidden", "wrong override code");
  }
  // The code was right: whatever happens next, this was not a guess.
  const notAGuess = () =>
    c.env.DB.prepare("DELETE FROM overrides WHERE id = ?")
      .bind(attempt?.id ?? -1)
      .run();
  let storyId = body.storyId;
  try {
    if (storyId === undefined) {
      const open = await c.env.DB.prepare(
        "SELECT story_id FROM payments WHERE session_id = ? ORDER BY created_at DESC LIMIT 1",
      )
        .bind(sessionId)
        .first<{ story_id: string }>();
      if (open === null)
        throw new ApiError(400, "invalid_request", "no payment in this session: say which storyId to unlock");
      storyId = open.story_id;
    }
    try {
      const story = (await loadCatalog(c.env.CONTENT)).stories.find((s) => s.id === storyId);
      if (!story) throw new ApiError(404, "story_not_found", `no story "${storyId}"`);
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      throw new ApiError(503, "content_unavailable", "the story catalog is unavailable");
    }
    const unlocked = await c.env.KIOSK_SESSION.get(c.env.KIOSK_SESSION.idFromName(sessionId)).unlock(
      storyId,
      "override",
    );
    if (!unlocked) throw new ApiError(410, "session_ended", "this session has ended");
  } catch (err) {
    await notAGuess();
    throw err;
  }
  await settle("unlocked", storyId);
  c.var.log.info("story unlocked by staff override", {
    kioskId,
    sessionId,
    storyId,
    staff: body.staff,
  });
  return c.json({ unlocked: storyId, source: "override" });
});
