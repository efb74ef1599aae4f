/*
 * Katha kiosk service worker: lets a kiosk that restarts while offline come back up. The page itself
 * fills two caches (kiosk/src/io/offline-shell.ts): the app shell (`katha-shell-v1`: the page and its
 * built assets) and the content cache (`katha-content-v1`: catalog, covers, images, narration).
 * This worker answers from them when the network cannot: navigations and the catalog try the network
 * first; hashed assets (fonts included) and images are immutable, so a cached copy is served at once
 * and anything fetched is kept.
 */
const SHELL = "katha-shell-v1";
const CONTENT = "katha-content-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function fromCache(cacheName, request) {
  const cache = await caches.open(cacheName);
  return cache.match(request, { ignoreSearch: cacheName === SHELL });
}

async function networkFirst(request, cacheName, fallbackKey) {
  try {
    return await fetch(request);
  } catch (err) {
    const hit = await fromCache(cacheName, fallbackKey ?? request);
    if (hit) return hit;
    throw err;
  }
}

/** Immutable (content-hashed) files: a cached copy at once; otherwise fetched and kept. */
async function cacheFirst(request, cacheName) {
  const hit = await fromCache(cacheName, request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.status === 200) {
    const copy = response.clone();
    caches
      .open(cacheName)
      .then((cache) => cache.put(request, copy))
      .catch(() => undefined);
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(networkFirst(request, SHELL, "/"));
  else if (url.pathname.startsWith("/assets/")) event.respondWith(cacheFirst(request, SHELL));
  // Covers shown by <img>; the page's own fetch() of cue images already goes through the content cache.
  else if (url.pathname.startsWith("/images/") && request.destination === "image")
    event.respondWith(cacheFirst(request, CONTENT));
  else if (url.pathname === "/v1/catalog") event.respondWith(networkFirst(request, CONTENT));
});
