/**
 * Offline restart: registers the service worker (`kiosk/public/sw.js`) and stores the app shell (this
 * page and the built assets it loaded) so the kiosk can start again without the network. Story
 * content is cached separately as it is used (content-cache.ts).
 */
import { log } from "./log.js";

const SHELL = "katha-shell-v1";

export async function enableOfflineRestart(): Promise<void> {
  if (!("serviceWorker" in navigator) || typeof caches === "undefined") return;
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const assets = performance
      .getEntriesByType("resource")
      .map((entry) => new URL(entry.name))
      .filter((url) => url.origin === location.origin && url.pathname.startsWith("/assets/"))
      .map((url) => url.pathname);
    const cache = await caches.open(SHELL);
    await cache.addAll(["/", ...new Set(assets)]);
  } catch (err) {
    // Not fatal: the kiosk works online; it just cannot restart offline.
    log.warn("offline restart unavailable", { error: String(err) });
  }
}
