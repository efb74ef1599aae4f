/**
 * The edge cache in front of R2 for content-hashed keys (immutable, so a cached copy is never
 * stale). Keys are cached by URL alone; `Range` and `If-None-Match` are answered from the cached
 * full response by the Cache API.
 */

/** Keys with a content hash (`name.<8+ hex>.ext`) never change: cache them for a year. */
export const HASHED_KEY = /\.[0-9a-f]{8,64}\.[a-z0-9]+$/;

export function cacheControlFor(key: string): string {
  return HASHED_KEY.test(key) ? "public, max-age=31536000, immutable" : "public, max-age=300";
}

/** The cache entry's request: the URL only, so every header variant shares one entry. */
export function cacheRequestFor(url: string): Request {
  const clean = new URL(url);
  clean.search = "";
  return new Request(clean.toString(), { method: "GET" });
}

/** The headers every content response carries: type from R2 metadata, ETag, caching, ranges. */
export function contentHeaders(object: R2Object, key: string): Headers {
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("ETag", object.httpEtag);
  headers.set("Cache-Control", cacheControlFor(key));
  headers.set("Accept-Ranges", "bytes");
  return headers;
}

/** A full 200 response for an R2 object, as stored in (and served from) the cache. */
export function fullResponse(object: R2ObjectBody, key: string): Response {
  const headers = contentHeaders(object, key);
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}

/** Loads one object from R2 into the edge cache; false when it is not in R2. */
export async function warmKey(bucket: R2Bucket, cache: Cache, origin: string, key: string): Promise<boolean> {
  const object = await bucket.get(key);
  if (object === null) return false;
  await cache.put(cacheRequestFor(`${origin}/${key}`), fullResponse(object, key));
  return true;
}
