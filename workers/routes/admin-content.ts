import { Hono } from "hono";
import { cueSheetKey } from "../../protocol/catalog.js";
import { ContentKeySchema, StoryIdSchema } from "../../protocol/ids.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { warmKey } from "../lib/content-cache.js";
import { ContentError, loadCatalog, loadCueSheet } from "../lib/content-store.js";
import { sha256Hex } from "../lib/credentials.js";
import { IMAGE_LIMITS, KIOSK_SAFE_LIMITS, screenImage } from "../lib/image-sniff.js";

/** Largest object the content upload accepts (narration WAVs are the biggest: ~1 MB a story). */
export const MAX_CONTENT_BYTES = 50 * 1024 * 1024;

const IMAGE_NAME = /^([a-z0-9][a-z0-9-]{0,63})(\.(png|jpe?g|webp|avif))?$/;
const CONTENT_TYPES = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp", avif: "image/avif" } as const;

async function readBody(request: Request, limit: number): Promise<ArrayBuffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new ApiError(413, "payload_too_large", `body exceeds ${limit} bytes`);
  const body = await request.arrayBuffer();
  if (body.byteLength > limit) throw new ApiError(413, "payload_too_large", `body exceeds ${limit} bytes`);
  return body;
}

/**
 * Content administration (admin token): the image screener, idempotent content upload and
 * "warm cache" (the runbook's step before a busy day).
 */
export const adminContent = new Hono<AppEnv>()
  .post("/v1/admin/images", async (c) => {
    const name = IMAGE_NAME.exec(c.req.query("name") ?? "");
    if (!name?.[1])
      throw new ApiError(
        400,
        "invalid_request",
        "name must be a lowercase file name like temple-gate.jpg (a-z, 0-9, -)",
      );
    const body = await readBody(c.req.raw, IMAGE_LIMITS.maxBytes);
    const verdict = screenImage(new Uint8Array(body), KIOSK_SAFE_LIMITS);
    if (!verdict.ok) {
      c.var.log.warn("image rejected by screener", { name: name[0], reason: verdict.reason });
      const hint = verdict.reason.includes("larger than 3840") ? " (convert it with npm run images:screen first)" : "";
      return c.json({ error: { code: "invalid_request", message: `image rejected: ${verdict.reason}${hint}` } }, 422);
    }
    const ext = verdict.format === "jpeg" ? "jpg" : verdict.format;
    const key = `images/${name[1]}.${(await sha256Hex(body)).slice(0, 16)}.${ext}`;
    const existing = await c.env.CONTENT.head(key);
    if (existing === null)
      await c.env.CONTENT.put(key, body, { httpMetadata: { contentType: CONTENT_TYPES[verdict.format] } });
    c.var.log.info("image screened and stored", { key, width: verdict.width, height: verdict.height });
    return c.json(
      {
        key,
        type: CONTENT_TYPES[verdict.format],
        width: verdict.width,
        height: verdict.height,
        bytes: body.byteLength,
      },
      201,
    );
  })
  .get("/v1/admin/content/:key{.+}", async (c) => {
    const key = c.req.param("key");
    if (!ContentKeySchema.safeParse(key).success) throw new ApiError(404, "not_found", "no such content");
    const head = await c.env.CONTENT.head(key);
    if (head === null) throw new ApiError(404, "not_found", "no such content");
    return c.json({ key, bytes: head.size, sha256: head.customMetadata?.sha256 ?? null });
  })
  .put("/v1/admin/content/:key{.+}", async (c) => {
    const key = c.req.param("key");
    if (!ContentKeySchema.safeParse(key).success) throw new ApiError(400, "invalid_request", "invalid content key");
    const body = await readBody(c.req.raw, MAX_CONTENT_BYTES);
    const sha256 = await sha256Hex(body);
    const claimed = c.req.header("x-content-sha256");
    if (claimed !== undefined && claimed !== sha256)
      throw new ApiError(400, "invalid_request", "body does not match x-content-sha256 (truncated upload?)");
    const contentType = c.req.header("content-type") ?? "application/octet-stream";
    await c.env.CONTENT.put(key, body, { httpMetadata: { contentType }, customMetadata: { sha256 } });
    return c.json({ key, bytes: body.byteLength, sha256 }, 201);
  })
  .post("/v1/admin/stories/:storyId/warm", async (c) => {
    const storyId = StoryIdSchema.safeParse(c.req.param("storyId"));
    if (!storyId.success) throw new ApiError(404, "story_not_found", "no such story");
    const keys = new Set<string>();
    try {
      const story = (await loadCatalog(c.env.CONTENT)).stories.find((s) => s.id === storyId.data);
      if (!story) throw new ApiError(404, "story_not_found", "no such story");
      keys.add(story.cover);
      for (const lang of story.languages) {
        const sheet = await loadCueSheet(c.env.CONTENT, story.id, lang);
        keys.add(sheet.audio.key);
        for (const cue of sheet.cues) keys.add(cue.image);
        keys.add(cueSheetKey(story.id, lang));
      }
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      throw new ApiError(503, "content_unavailable", `story content unavailable: ${err.key}`);
    }
    const origin = new URL(c.req.url).origin;
    const servable = [...keys].filter((k) => k.startsWith("images/") || k.startsWith("audio/"));
    const results = await Promise.all(servable.map((k) => warmKey(c.env.CONTENT, caches.default, origin, k)));
    const missing = servable.filter((_, i) => !results[i]);
    c.var.log.info("edge cache warmed", { storyId: storyId.data, warmed: servable.length - missing.length, missing });
    return c.json({ storyId: storyId.data, warmed: servable.length - missing.length, missing });
  });
