import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminHeaders, call, newKiosk } from "./helpers.js";

const realPng = () => Uint8Array.from(atob(env.TEST_IMAGE_PNG_B64), (ch) => ch.charCodeAt(0));

/** The cache put happens in waitUntil: poll until the cache answers. */
async function untilCached(path: string, init?: RequestInit): Promise<Response> {
  for (let i = 0; i < 50; i++) {
    const res = await call(path, init);
    if (res.headers.get("x-katha-cache") === "hit") return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${path} never came from the cache`);
}

describe("edge cache for content-hashed keys", () => {
  it("serves the first request from R2 and repeats from the edge cache, byte for byte", async () => {
    const first = await call("/images/two.0123abcd.png");
    expect(first.headers.get("x-katha-cache")).toBe("miss");
    const bytes = new Uint8Array(await first.arrayBuffer());
    const again = await untilCached("/images/two.0123abcd.png");
    expect(again.status).toBe(200);
    expect(again.headers.get("content-type")).toBe("image/png");
    expect(again.headers.get("cache-control")).toContain("immutable");
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(bytes);
  });

  it("answers Range and If-None-Match from the cached copy", async () => {
    const first = await call("/images/three.0123abcd.png");
    const etag = first.headers.get("etag") ?? "";
    await first.arrayBuffer();
    await untilCached("/images/three.0123abcd.png");
    const range = await call("/images/three.0123abcd.png", { headers: { range: "bytes=0-3" } });
    expect(range.status).toBe(206);
    expect(new Uint8Array(await range.arrayBuffer())).toEqual(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]));
    const notModified = await call("/images/three.0123abcd.png", { headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);
  });

  it("never caches keys without a content hash", async () => {
    await env.CONTENT.put("images/plain.png", Uint8Array.from([1, 2, 3]), {
      httpMetadata: { contentType: "image/png" },
    });
    for (let i = 0; i < 3; i++) {
      const res = await call("/images/plain.png");
      expect(res.headers.get("x-katha-cache")).toBe("miss");
      expect(res.headers.get("cache-control")).toBe("public, max-age=300");
      await res.arrayBuffer();
    }
  });

  it("warms a story's images, cover and audio so the first kiosk request is a cache hit", async () => {
    await env.CONTENT.put("audio/free-tale.en.0123abcd.mp3", Uint8Array.from([0xff, 0xfb, 0x90, 0x00]), {
      httpMetadata: { contentType: "audio/mpeg" },
    });
    const res = await call("/v1/admin/stories/free-tale/warm", { method: "POST", headers: adminHeaders() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { warmed: number; missing: string[] };
    expect(body.missing).toEqual(["audio/free-tale.hi.0123abcd.mp3"]);
    expect(body.warmed).toBe(5); // cover, one, two, three, en audio
    const first = await call("/images/one.0123abcd.png");
    expect(first.headers.get("x-katha-cache")).toBe("hit");
    const audio = await call("/audio/free-tale.en.0123abcd.mp3");
    expect(audio.headers.get("x-katha-cache")).toBe("hit");
    expect(audio.headers.get("content-type")).toBe("audio/mpeg");
  });

  it("answers warm for unknown stories with 404 and never to a kiosk", async () => {
    expect((await call("/v1/admin/stories/nope/warm", { method: "POST", headers: adminHeaders() })).status).toBe(404);
    const kiosk = await newKiosk();
    const res = await call("/v1/admin/stories/free-tale/warm", {
      method: "POST",
      headers: { authorization: `Bearer ${kiosk.credential}` },
    });
    expect(res.status).toBe(401);
  });
});

describe("POST /v1/admin/images (image screener)", () => {
  const upload = (name: string, body: BodyInit, headers: Record<string, string> = adminHeaders()) =>
    call(`/v1/admin/images?name=${encodeURIComponent(name)}`, { method: "POST", headers, body });

  it("stores a real image under a content-hashed key with its type and size", async () => {
    const png = realPng();
    const res = await upload("temple-gate.png", png);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { key: string; type: string; width: number; height: number; bytes: number };
    expect(body).toMatchObject({ type: "image/png", width: 800, height: 450, bytes: png.byteLength });
    expect(body.key).toMatch(/^images\/temple-gate\.[0-9a-f]{16}\.png$/);
    const served = await call(`/${body.key}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });

  it("goes by the bytes, not the name: a PNG named .jpg is stored as PNG", async () => {
    const res = await upload("photo.jpg", realPng());
    expect(((await res.json()) as { key: string }).key).toMatch(/\.png$/);
  });

  it.each([
    [
      "text disguised as an image",
      () => new TextEncoder().encode("<?php echo 'not an image'; ?>".repeat(3)),
      /not a PNG, JPEG, WebP or AVIF/,
    ],
    [
      "an image too small for a kiosk",
      () =>
        Uint8Array.from(
          atob(
            "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEElEQVQImWM4YKkNRww4OQASGg2xSCO4RwAAAABJRU5ErkJggg==",
          ),
          (c) => c.charCodeAt(0),
        ),
      /smaller than 640×360/,
    ],
    ["a truncated file", () => realPng().slice(0, 20), /too small to be an image/],
    [
      "an image larger than a kiosk needs",
      () => Uint8Array.from(atob(env.TEST_IMAGE_5K_PNG_B64), (c) => c.charCodeAt(0)),
      /5000×2800 is larger than 3840×2160 \(convert it with npm run images:screen first\)/,
    ],
  ])("rejects %s with 422 and the reason, storing nothing", async (_label, bytes, reason) => {
    const before = await env.CONTENT.list({ prefix: "images/bad" });
    const res = await upload("bad.png", bytes());
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(reason);
    expect((await env.CONTENT.list({ prefix: "images/bad" })).objects.length).toBe(before.objects.length);
  });

  it.each(["../catalog.png", "/etc/passwd", "UPPER.png", "a b.png", "x.exe", ""])(
    "refuses the name %j",
    async (name) => {
      const res = await upload(name, realPng());
      expect(res.status).toBe(400);
    },
  );

  it("refuses oversize bodies and non-admin callers", async () => {
    expect((await upload("big.png", new Uint8Array(21 * 1024 * 1024))).status).toBe(413);
    const kiosk = await newKiosk();
    expect((await upload("x.png", realPng(), { authorization: `Bearer ${kiosk.credential}` })).status).toBe(401);
  });
});

describe("content upload (idempotent deploy)", () => {
  it("stores an object with its SHA-256 and reports it back", async () => {
    const bytes = new TextEncoder().encode('{"hello":1}');
    const put = await call("/v1/admin/content/cues/x.en.json", {
      method: "PUT",
      headers: { ...adminHeaders(), "content-type": "application/json" },
      body: bytes,
    });
    expect(put.status).toBe(201);
    const { sha256 } = (await put.json()) as { sha256: string };
    const stored = await call("/v1/admin/content/cues/x.en.json", { headers: adminHeaders() });
    expect(await stored.json()).toEqual({ key: "cues/x.en.json", bytes: bytes.byteLength, sha256 });
    expect((await call("/v1/admin/content/cues/none.json", { headers: adminHeaders() })).status).toBe(404);
  });

  it("refuses a body that does not match its declared hash, and bad keys", async () => {
    const bad = await call("/v1/admin/content/cues/y.json", {
      method: "PUT",
      headers: { ...adminHeaders(), "x-content-sha256": "0".repeat(64) },
      body: "{}",
    });
    expect(bad.status).toBe(400);
    expect(await env.CONTENT.head("cues/y.json")).toBeNull();
    const trick = await call("/v1/admin/content/..%2Fescape", { method: "PUT", headers: adminHeaders(), body: "x" });
    expect(trick.status).toBeGreaterThanOrEqual(400);
    expect(trick.status).toBeLessThan(500);
  });
});
