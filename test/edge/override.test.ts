import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { overrideCode } from "../../workers/payments/override-code.js";
import { call, connect, newKiosk, openSession } from "./helpers.js";

async function setup() {
  const kiosk = await newKiosk();
  const session = await openSession(kiosk);
  const socket = await connect(session);
  await socket.next("session_state");
  const attempt = (body: Record<string, unknown>, credential = kiosk.credential) =>
    call(`/v1/sessions/${session.sessionId}/override`, {
      method: "POST",
      headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const code = await overrideCode(env.OVERRIDE_SECRET ?? "", kiosk.kioskId, Date.now());
  const wrongCode = code === "000000" ? "111111" : "000000";
  return { kiosk, session, socket, attempt, code, wrongCode };
}

describe("staff override", () => {
  it("unlocks with today's code for this kiosk, tells the kiosk, and logs who/when/which story", async () => {
    const { kiosk, session, socket, attempt, code } = await setup();
    const res = await attempt({ code, storyId: "premium-tale", staff: "Asha (front desk)" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unlocked: "premium-tale", source: "override" });
    expect(await socket.next("story_unlocked")).toMatchObject({ storyId: "premium-tale", source: "override" });
    expect((await socket.request({ type: "select_story", storyId: "premium-tale" })).type).toBe("story_start");
    const row = await env.DB.prepare(
      "SELECT kiosk_id, session_id, story_id, staff, result FROM overrides WHERE session_id = ?",
    )
      .bind(session.sessionId)
      .first();
    expect(row).toEqual({
      kiosk_id: kiosk.kioskId,
      session_id: session.sessionId,
      story_id: "premium-tale",
      staff: "Asha (front desk)",
      result: "unlocked",
    });
  });

  it("defaults to the story of the session's open payment", async () => {
    const { kiosk, session, attempt, code } = await setup();
    await call(`/v1/sessions/${session.sessionId}/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${kiosk.credential}` },
      body: '{"storyId":"premium-tale"}',
    });
    expect(await (await attempt({ code })).json()).toEqual({ unlocked: "premium-tale", source: "override" });
  });

  it("refuses another kiosk's code", async () => {
    const { attempt, code } = await setup();
    let othersCode = code;
    // Two kiosks share a day's code one time in a million: draw another kiosk then.
    while (othersCode === code)
      othersCode = await overrideCode(env.OVERRIDE_SECRET ?? "", (await newKiosk("other")).kioskId, Date.now());
    const res = await attempt({ code: othersCode, storyId: "premium-tale" });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("locks the kiosk out after repeated wrong codes, even for the right code, and logs each attempt", async () => {
    const { kiosk, socket, attempt, code, wrongCode } = await setup();
    for (let i = 0; i < 5; i++) expect((await attempt({ code: wrongCode, storyId: "premium-tale" })).status).toBe(403);
    const locked = await attempt({ code, storyId: "premium-tale" });
    expect(locked.status).toBe(429);
    expect(await socket.request({ type: "select_story", storyId: "premium-tale" })).toMatchObject({
      code: "story_locked",
    });
    const results = await env.DB.prepare(
      "SELECT result, COUNT(*) AS n FROM overrides WHERE kiosk_id = ? GROUP BY result ORDER BY result",
    )
      .bind(kiosk.kioskId)
      .all();
    expect(results.results).toEqual([
      { result: "locked_out", n: 1 },
      { result: "wrong_code", n: 5 },
    ]);
  });

  it("holds the limit against parallel guesses", async () => {
    const { attempt, wrongCode } = await setup();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => attempt({ code: wrongCode, storyId: "premium-tale" })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
  });

  it("refuses malformed codes, unknown stories and other kiosks' sessions with clear 4xx", async () => {
    const { attempt, code } = await setup();
    expect((await attempt({ code: "12ab56" })).status).toBe(400);
    expect((await attempt({ code })).status).toBe(400); // no payment and no storyId
    expect((await attempt({ code, storyId: "no-such-story" })).status).toBe(404);
    const stranger = await newKiosk("stranger");
    expect((await attempt({ code, storyId: "premium-tale" }, stranger.credential)).status).toBe(404);
  });
});
