import { env } from "cloudflare:workers";
import { TokenVerifier } from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "../../workers/lib/json-body.js";
import { adminHeaders, call, newKiosk, openSession } from "./helpers.js";

type ErrorBody = { error: { code: string; message: string } };

async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  const body = (await res.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(body.error.message).not.toMatch(/\bat .*\.ts:\d+/); // never a stack trace
  return body;
}

function createSession(kioskId: string, credential: string | null, body: BodyInit | null = "{}", headers = {}) {
  return call(`/v1/kiosks/${kioskId}/sessions`, {
    method: "POST",
    headers: { ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...headers },
    body,
  });
}

describe("POST /v1/kiosks/:kioskId/sessions", () => {
  it("opens a session for a registered kiosk with ws URL, LiveKit token and expiry", async () => {
    const kiosk = await newKiosk();
    const before = Date.now();
    const session = await openSession(kiosk);
    expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.ws).toBe(`ws://katha.test/v1/sessions/${session.sessionId}/ws?t=${session.sessionToken}`);
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(session.livekit).toMatchObject({ url: env.LIVEKIT_URL, room: `katha-${session.sessionId}` });
    const claims = await new TokenVerifier(env.LIVEKIT_API_KEY ?? "", env.LIVEKIT_API_SECRET ?? "").verify(
      session.livekit.token,
    );
    expect(claims.video).toMatchObject({ room: `katha-${session.sessionId}`, roomJoin: true, canPublish: false });
    const row = await env.DB.prepare("SELECT kiosk_id FROM sessions WHERE id = ?").bind(session.sessionId).first();
    expect(row).toEqual({ kiosk_id: kiosk.kioskId });
  });

  it("accepts an empty body", async () => {
    const kiosk = await newKiosk();
    const res = await createSession(kiosk.kioskId, kiosk.credential, null);
    expect(res.status).toBe(201);
  });

  it("refuses a missing, malformed or wrong credential with 401", async () => {
    const kiosk = await newKiosk();
    await expectError(await createSession(kiosk.kioskId, null), 401, "unauthorized");
    await expectError(await createSession(kiosk.kioskId, "garbage"), 401, "unauthorized");
    const wrongSecret = `${kiosk.kioskId}.${"A".repeat(43)}`;
    await expectError(await createSession(kiosk.kioskId, wrongSecret), 401, "unauthorized");
    await expectError(await createSession("ksk_unknown123", `ksk_unknown123.${"B".repeat(43)}`), 401, "unauthorized");
  });

  it("refuses another kiosk's credential with 403", async () => {
    const a = await newKiosk("a");
    const b = await newKiosk("b");
    await expectError(await createSession(a.kioskId, b.credential), 403, "forbidden");
  });

  it("refuses a revoked kiosk with 403 kiosk_revoked", async () => {
    const kiosk = await newKiosk();
    const revoke = await call(`/v1/admin/kiosks/${kiosk.kioskId}/revoke`, { method: "POST", headers: adminHeaders() });
    expect(revoke.status).toBe(200);
    await expectError(await createSession(kiosk.kioskId, kiosk.credential), 403, "kiosk_revoked");
  });

  it("refuses malformed JSON, a non-object body and oversize bodies", async () => {
    const kiosk = await newKiosk();
    await expectError(await createSession(kiosk.kioskId, kiosk.credential, "{nope"), 400, "invalid_json");
    await expectError(await createSession(kiosk.kioskId, kiosk.credential, "[1]"), 400, "invalid_request");
    const huge = JSON.stringify({ pad: "x".repeat(MAX_JSON_BODY_BYTES) });
    await expectError(await createSession(kiosk.kioskId, kiosk.credential, huge), 413, "payload_too_large");
    // The kiosk still works afterwards.
    expect((await createSession(kiosk.kioskId, kiosk.credential)).status).toBe(201);
  });
});

describe("GET /v1/sessions/:id", () => {
  it("shows the owning kiosk its session and hides it from other kiosks", async () => {
    const kiosk = await newKiosk();
    const other = await newKiosk("other");
    const session = await openSession(kiosk);
    const own = await call(`/v1/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${kiosk.credential}` },
    });
    expect(own.status).toBe(200);
    const body = (await own.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ sessionId: session.sessionId, kioskId: kiosk.kioskId, status: "open", story: null });
    expect(JSON.stringify(body)).not.toContain("tokenHash");
    const foreign = await call(`/v1/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${other.credential}` },
    });
    await expectError(foreign, 404, "session_not_found");
    await expectError(await call(`/v1/sessions/${session.sessionId}`), 401, "unauthorized");
  });

  it("never creates a Durable Object for a made-up session id", async () => {
    const { listDurableObjectIds } = await import("cloudflare:test");
    const before = (await listDurableObjectIds(env.KIOSK_SESSION)).length;
    for (let i = 0; i < 5; i++) {
      const id = crypto.randomUUID();
      expect((await call(`/v1/sessions/${id}/ws?t=x`, { headers: { upgrade: "websocket" } })).status).toBe(404);
      expect((await call(`/v1/sessions/${id}`, { headers: adminHeaders() })).status).toBe(404);
    }
    expect((await listDurableObjectIds(env.KIOSK_SESSION)).length).toBe(before);
  });

  it("answers 404 for unknown and malformed session ids", async () => {
    await expectError(
      await call(`/v1/sessions/${crypto.randomUUID()}`, { headers: adminHeaders() }),
      404,
      "session_not_found",
    );
    await expectError(await call("/v1/sessions/not-a-uuid", { headers: adminHeaders() }), 404, "session_not_found");
  });

  it("ends a session on request and then refuses tokens and sockets for it", async () => {
    const kiosk = await newKiosk();
    const session = await openSession(kiosk);
    const auth = { authorization: `Bearer ${kiosk.credential}` };
    const fresh = await call(`/v1/sessions/${session.sessionId}/token`, { method: "POST", headers: auth });
    expect(fresh.status).toBe(201);
    expect(((await fresh.json()) as { livekit: { room: string } }).livekit.room).toBe(`katha-${session.sessionId}`);
    const end = await call(`/v1/sessions/${session.sessionId}/end`, { method: "POST", headers: auth });
    expect(await end.json()).toEqual({ sessionId: session.sessionId, status: "ended" });
    const snapshot = (await (await call(`/v1/sessions/${session.sessionId}`, { headers: auth })).json()) as {
      status: string;
      endReason: string;
    };
    expect(snapshot).toMatchObject({ status: "ended", endReason: "ended" });
    await expectError(
      await call(`/v1/sessions/${session.sessionId}/token`, { method: "POST", headers: auth }),
      410,
      "session_ended",
    );
    const ws = await call(`/v1/sessions/${session.sessionId}/ws?t=${session.sessionToken}`, {
      headers: { upgrade: "websocket" },
    });
    await expectError(ws, 410, "session_ended");
  });
});

describe("GET /v1/catalog", () => {
  it("lists the stories with localized titles, price in paise and absolute cover URLs", async () => {
    const res = await call("/v1/catalog");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stories: Array<Record<string, unknown>> };
    expect(body.stories.map((s) => s.id)).toEqual(["free-tale", "premium-tale", "broken-tale"]);
    expect(body.stories[1]).toMatchObject({
      title: { en: "A Premium Tale", hi: "एक विशेष कथा" },
      premium: true,
      pricePaise: 4900,
      currency: "INR",
      durationMs: 900,
      cover: "http://katha.test/images/cover.0123abcd.png",
    });
  });

  it("answers 503 content_unavailable when the catalog in R2 is corrupt, and recovers", async () => {
    const good = await env.CONTENT.get("catalog.json");
    const original = await good?.text();
    await env.CONTENT.put("catalog.json", '{"version":1,"stories":[{"id":"X"}]}');
    await expectError(await call("/v1/catalog"), 503, "content_unavailable");
    await env.CONTENT.put("catalog.json", original ?? "");
    expect((await call("/v1/catalog")).status).toBe(200);
  });
});

describe("content serving", () => {
  it("serves an image with type, ETag and immutable caching, and 304 on If-None-Match", async () => {
    const res = await call("/images/one.0123abcd.png");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join("")).toBe("PNG");
    const again = await call("/images/one.0123abcd.png", { headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
  });

  it("serves a byte range with 206 and Content-Range", async () => {
    const res = await call("/images/one.0123abcd.png", { headers: { range: "bytes=0-7" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toMatch(/^bytes 0-7\/\d+$/);
    expect((await res.arrayBuffer()).byteLength).toBe(8);
  });

  it("serves a suffix range and ignores If-Match (never a 304 for it)", async () => {
    const full = new Uint8Array(await (await call("/images/one.0123abcd.png")).arrayBuffer());
    const res = await call("/images/one.0123abcd.png", { headers: { range: "bytes=-4" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes ${full.length - 4}-${full.length - 1}/${full.length}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(full.slice(-4));
    const ifMatch = await call("/images/one.0123abcd.png", { headers: { "if-match": '"nope"' } });
    expect(ifMatch.status).not.toBe(304);
    await ifMatch.arrayBuffer();
  });

  it.each(["/images/missing.png", "/images/..%2Fcatalog.json", "/images/%2e%2e/catalog.json", "/images/UPPER.png"])(
    "answers %s with 404 and never another object",
    async (path) => {
      await expectError(await call(path), 404, "not_found");
    },
  );
});

describe("admin kiosk registry", () => {
  it("registers, lists and revokes kiosks with the admin token", async () => {
    const res = await call("/v1/admin/kiosks", {
      method: "POST",
      headers: adminHeaders(),
      body: '{"name":"Temple gate"}',
    });
    expect(res.status).toBe(201);
    const kiosk = (await res.json()) as { kioskId: string; credential: string };
    expect(kiosk.credential.startsWith(`${kiosk.kioskId}.`)).toBe(true);
    expect((await createSession(kiosk.kioskId, kiosk.credential)).status).toBe(201);
    const list = (await (await call("/v1/admin/kiosks", { headers: adminHeaders() })).json()) as {
      kiosks: Array<{ kioskId: string; name: string; lastSeenAt: number | null }>;
    };
    const listed = list.kiosks.find((k) => k.kioskId === kiosk.kioskId);
    expect(listed).toMatchObject({ name: "Temple gate" });
    expect(listed?.lastSeenAt).toBeGreaterThan(0);
    expect(JSON.stringify(list)).not.toContain(kiosk.credential.split(".")[1] ?? "-");
    await expectError(
      await call("/v1/admin/kiosks/ksk_nonexistent/revoke", { method: "POST", headers: adminHeaders() }),
      404,
      "not_found",
    );
  });

  it("never accepts a kiosk credential or a wrong token for admin endpoints", async () => {
    const kiosk = await newKiosk();
    await expectError(
      await call("/v1/admin/kiosks", { headers: { authorization: `Bearer ${kiosk.credential}` } }),
      401,
      "unauthorized",
    );
    await expectError(
      await call("/v1/admin/kiosks", { headers: { authorization: "Bearer wrong" } }),
      401,
      "unauthorized",
    );
    await expectError(await call("/v1/admin/kiosks"), 401, "unauthorized");
  });

  it("rejects a registration without a name", async () => {
    await expectError(
      await call("/v1/admin/kiosks", { method: "POST", headers: adminHeaders(), body: '{"name":"  "}' }),
      400,
      "invalid_request",
    );
  });
});

describe("unknown routes", () => {
  it("answers JSON 404", async () => {
    await expectError(await call("/v2/everything"), 404, "not_found");
    await expectError(await call("/v1/catalog", { method: "DELETE" }), 404, "not_found");
  });
});
