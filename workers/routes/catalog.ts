import { Hono } from "hono";
import type { CatalogResponse } from "../../protocol/catalog.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { ContentError, loadCatalog, publicUrlForKey } from "../lib/content-store.js";

/** `GET /v1/catalog`: the stories a kiosk can offer, with cover URLs on this origin. */
export const catalog = new Hono<AppEnv>().get("/v1/catalog", async (c) => {
  try {
    const data = await loadCatalog(c.env.CONTENT);
    const origin = new URL(c.req.url).origin;
    const stories = data.stories.map((story): CatalogResponse["stories"][number] => ({
      id: story.id,
      title: story.title,
      summary: story.summary,
      premium: story.premium,
      pricePaise: story.pricePaise,
      currency: "INR" as const,
      durationMs: story.durationMs,
      languages: story.languages,
      cover: publicUrlForKey(origin, story.cover),
      ...(story.narration
        ? {
            narration: Object.fromEntries(
              Object.entries(story.narration).map(([lang, key]) => [lang, publicUrlForKey(origin, key)]),
            ),
          }
        : {}),
    }));
    c.header("Cache-Control", "public, max-age=60");
    return c.json({ stories });
  } catch (err) {
    if (!(err instanceof ContentError)) throw err;
    c.var.log.error("catalog unavailable", { key: err.key, reason: err.reason, detail: err.message });
    throw new ApiError(503, "content_unavailable", "the story catalog is unavailable");
  }
});
