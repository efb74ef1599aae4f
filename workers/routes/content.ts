import { Hono } from "hono";
import { ContentKeySchema } from "../../protocol/ids.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { cacheControlFor, cacheRequestFor, fullResponse, HASHED_KEY } from "../lib/content-cache.js";

/**
 * `GET /images/:key` and `GET /audio/:key`: R2 content with ETag/If-None-Match (304), Range (206)
 * and long-lived caching for content-hashed keys, which are also kept in the edge cache
 * (`X-Katha-Cache: hit|miss` says which answered).
 */
export const content = new Hono<AppEnv>().get("/:prefix{images|audio}/:rest{.+}", async (c) => {
  const key = `${c.req.param("prefix")}/${c.req.param("rest")}`;
  if (!ContentKeySchema.safeParse(key).success) throw new ApiError(404, "not_found", "no such content");
  const cacheable = HASHED_KEY.test(key);
  const cache = caches.default;
  const cacheRequest = cacheRequestFor(c.req.url);

  if (cacheable) {
    const lookup = new Request(cacheRequest, { headers: c.req.raw.headers });
    const hit = await cache.match(lookup);
    if (hit) {
      const response = new Response(hit.body, hit);
      response.headers.set("X-Katha-Cache", "hit");
      return response;
    }
  }

  const conditional = c.req.header("range") !== undefined || c.req.header("if-none-match") !== undefined;
  if (cacheable && !conditional) {
    const object = await c.env.CONTENT.get(key);
    if (object === null) throw new ApiError(404, "not_found", "no such content");
    const response = fullResponse(object, key);
    c.executionCtx.waitUntil(cache.put(cacheRequest, response.clone()));
    response.headers.set("X-Katha-Cache", "miss");
    return response;
  }

  let object: R2Object | R2ObjectBody | null;
  try {
    object = await c.env.CONTENT.get(key, { onlyIf: c.req.raw.headers, range: c.req.raw.headers });
  } catch {
    throw new ApiError(416, "invalid_request", "unsatisfiable range");
  }
  if (object === null) throw new ApiError(404, "not_found", "no such content");
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("ETag", object.httpEtag);
  headers.set("Cache-Control", cacheControlFor(key));
  headers.set("Accept-Ranges", "bytes");
  headers.set("X-Katha-Cache", "miss");
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  const range = object.range;
  if (c.req.header("range") && range && "offset" in range) {
    const offset = range.offset ?? 0;
    const length = range.length ?? object.size - offset;
    headers.set("Content-Range", `bytes ${offset}-${offset + length - 1}/${object.size}`);
    headers.set("Content-Length", String(length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
});
