import { Hono } from "hono";
import { ContentKeySchema } from "../../protocol/ids.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { cacheRequestFor, contentHeaders, fullResponse, HASHED_KEY } from "../lib/content-cache.js";

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

  // Only cache validators take part: If-Match/If-Unmodified-Since must not turn into a 304.
  const onlyIf = new Headers();
  for (const name of ["if-none-match", "if-modified-since"]) {
    const value = c.req.header(name);
    if (value !== undefined) onlyIf.set(name, value);
  }
  let object: R2Object | R2ObjectBody | null;
  try {
    object = await c.env.CONTENT.get(key, { onlyIf, range: c.req.raw.headers });
  } catch (err) {
    if (!(err instanceof Error) || !/range/i.test(err.message)) throw err;
    const head = await c.env.CONTENT.head(key);
    if (head === null) throw new ApiError(404, "not_found", "no such content");
    return c.json({ error: { code: "invalid_request", message: "unsatisfiable range" } }, 416, {
      "Content-Range": `bytes */${head.size}`,
    });
  }
  if (object === null) throw new ApiError(404, "not_found", "no such content");
  const headers = contentHeaders(object, key);
  headers.set("X-Katha-Cache", "miss");
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  const range = object.range;
  if (c.req.header("range") && range) {
    // Runtimes differ in which keys they set (workerd sets `suffix: undefined`): test the values.
    const suffix = "suffix" in range && typeof range.suffix === "number" ? range.suffix : null;
    const offset = suffix !== null ? Math.max(0, object.size - suffix) : "offset" in range ? (range.offset ?? 0) : 0;
    const length =
      suffix !== null
        ? object.size - offset
        : "length" in range
          ? (range.length ?? object.size - offset)
          : object.size - offset;
    if (offset > 0 || length < object.size) {
      headers.set("Content-Range", `bytes ${offset}-${offset + length - 1}/${object.size}`);
      headers.set("Content-Length", String(length));
      return new Response(object.body, { status: 206, headers });
    }
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
});
