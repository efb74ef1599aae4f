/**
 * Offline tolerance: the catalog, images and narration this kiosk fetched are kept in Cache Storage,
 * so a network drop mid-story (or a restart while offline) still finds them. Content-hashed keys
 * never change, so they are served cache-first; the catalog is network-first with the cache as
 * fallback. The cache is pruned oldest-first past MAX_ENTRIES.
 */
import { log } from "./log.js";

const CACHE_NAME = "katha-content-v1";
const MAX_ENTRIES = 300;
const PRUNE_EVERY = 25;
let writesSincePrune = 0;

function cacheAvailable(): boolean {
  return typeof caches !== "undefined";
}

async function store(request: string, response: Response): Promise<void> {
  if (!cacheAvailable() || !response.ok || response.status !== 200) return;
  try {
    const cache = await caches.open(CACHE_NAME);
    await cache.put(request, response);
    // Listing every key is the expensive part: prune once per PRUNE_EVERY writes, not per image.
    if (++writesSincePrune >= PRUNE_EVERY) {
      writesSincePrune = 0;
      const keys = await cache.keys();
      for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) await cache.delete(old);
    }
  } catch (err) {
    // A full disk must not break playback: the kiosk still has the bytes in memory.
    log.warn("content cache write failed", { url: request, error: String(err) });
  }
}

async function cached(url: string): Promise<Response | null> {
  if (!cacheAvailable()) return null;
  try {
    return (await (await caches.open(CACHE_NAME)).match(url)) ?? null;
  } catch {
    return null;
  }
}

export class ContentUnavailable extends Error {
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`${url}: ${detail}`);
  }
}

/** Immutable content (hashed image/audio keys): cache first, then the network (and cache it). */
export async function fetchImmutable(url: string): Promise<{ response: Response; fromCache: boolean }> {
  const hit = await cached(url);
  if (hit) return { response: hit, fromCache: true };
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new ContentUnavailable(url, `network: ${String(err)}`);
  }
  if (!response.ok) throw new ContentUnavailable(url, `HTTP ${response.status}`);
  // Stored in the background: playback must not wait for the disk.
  void store(url, response.clone());
  return { response, fromCache: false };
}

/** Changing content (the catalog): the network first, the last good copy when offline. */
export async function fetchFresh(url: string): Promise<{ response: Response; fromCache: boolean }> {
  try {
    const response = await fetch(url, { cache: "no-store" });
    if (response.ok) {
      await store(url, response.clone());
      return { response, fromCache: false };
    }
    const hit = await cached(url);
    if (hit) return { response: hit, fromCache: true };
    throw new ContentUnavailable(url, `HTTP ${response.status}`);
  } catch (err) {
    if (err instanceof ContentUnavailable) throw err;
    const hit = await cached(url);
    if (hit) return { response: hit, fromCache: true };
    throw new ContentUnavailable(url, `network: ${String(err)}`);
  }
}
