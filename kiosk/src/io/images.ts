/**
 * Image preloading: fetch (through the offline cache) and `decode()` before the cue's instant, so
 * showing it costs nothing on the frame it is due. Each URL is loaded once.
 */
import { fetchImmutable } from "./content-cache.js";
import { log } from "./log.js";

const loaded = new Map<string, Promise<string>>();
/** Decoded images kept at once (a few stories' worth); older object URLs are released. */
const MAX_LOADED = 48;

async function load(url: string): Promise<string> {
  const { response } = await fetchImmutable(url);
  const objectUrl = URL.createObjectURL(await response.blob());
  const image = new Image();
  image.src = objectUrl;
  try {
    await image.decode();
  } catch (err) {
    URL.revokeObjectURL(objectUrl);
    throw err;
  }
  return objectUrl;
}

function evictOldest(): void {
  while (loaded.size > MAX_LOADED) {
    const [oldest, pending] = loaded.entries().next().value ?? [];
    if (oldest === undefined || pending === undefined) return;
    loaded.delete(oldest);
    pending.then(
      (objectUrl) => URL.revokeObjectURL(objectUrl),
      () => undefined,
    );
  }
}

/** Resolves with a decoded, displayable (object) URL for `url`. */
export function preloadImage(url: string): Promise<string> {
  let pending = loaded.get(url);
  if (!pending) {
    log.info(`Preloading image: ${url}`);
    pending = load(url);
    // A failed load may be retried later (the network may come back).
    pending.catch(() => loaded.delete(url));
    loaded.set(url, pending);
    evictOldest();
  } else {
    // Recently used: move to the back of the eviction order.
    loaded.delete(url);
    loaded.set(url, pending);
  }
  return pending;
}
