import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CLOSE_REPLACED } from "../../durable-objects/kiosk-session/kiosk-session.js";
import type { ServerMessage } from "../../protocol/messages.js";
import { adminHeaders, BASE, call, connect, newKiosk, openSession } from "./helpers.js";

const LEAD_MS = Number(env.PRELOAD_LEAD_MS);

async function freshSocket() {
  const kiosk = await newKiosk();
  const session = await openSession(kiosk);
  const socket = await connect(session);
  const state = await socket.next("session_state");
  return { kiosk, session, socket, state };
}

describe("kiosk WebSocket protocol", () => {
  it("greets a new connection with the session state", async () => {
    const { session, state } = await freshSocket();
    expect(state).toMatchObject({ v: 1, sessionId: session.sessionId, status: "open", run: null, unlocked: [] });
    expect(state.expiresAt).toBe(session.expiresAt);
  });

  it("answers ping with NTP-style timestamps", async () => {
    const { socket } = await freshSocket();
    const before = Date.now();
    const pong = await socket.request({ type: "ping", t0: 12345.5 });
    expect(pong).toMatchObject({ type: "pong", t0: 12345.5 });
    if (pong.type !== "pong") throw new Error("expected pong");
    expect(pong.t1).toBeGreaterThanOrEqual(before - 1);
    expect(pong.t2).toBeGreaterThanOrEqual(pong.t1);
  });

  it("plays a free story end to end: story_start, img_preload ahead of each cue, caption, story_end", async () => {
    const { session, socket } = await freshSocket();
    const start = await socket.request({ type: "select_story", storyId: "free-tale", lang: "en" });
    if (start.type !== "story_start") throw new Error(`expected story_start, got ${JSON.stringify(start)}`);
    expect(start).toMatchObject({
      storyId: "free-tale",
      lang: "en",
      durationMs: 900,
      cueCount: 3,
      audio: { url: `${BASE}/audio/free-tale.en.0123abcd.mp3`, contentType: "audio/mpeg" },
    });
    // The whole plan rides along, so a kiosk that drops mid-story keeps its images on time.
    expect(start.cues).toEqual([
      { cueId: "c1", atMs: 0, url: `${BASE}/images/one.0123abcd.png` },
      { cueId: "c2", atMs: 300, url: `${BASE}/images/two.0123abcd.png` },
      { cueId: "c3", atMs: 600, url: `${BASE}/images/three.0123abcd.png` },
    ]);
    expect(start.captions?.length).toBeGreaterThan(0);

    const arrivals: Array<{ message: ServerMessage; at: number }> = [];
    for (;;) {
      const message = await socket.next("img_preload" as const).catch(() => null);
      if (message === null) break;
      arrivals.push({ message, at: Date.now() });
      if (arrivals.length === 3) break;
    }
    const preloads = arrivals.map((a) => a.message).filter((m) => m.type === "img_preload");
    expect(preloads.map((m) => m.cueId)).toEqual(["c1", "c2", "c3"]);
    expect(preloads.map((m) => m.playout_ts - start.startAt)).toEqual([0, 300, 600]);
    expect(preloads.map((m) => m.url)).toEqual([
      `${BASE}/images/one.0123abcd.png`,
      `${BASE}/images/two.0123abcd.png`,
      `${BASE}/images/three.0123abcd.png`,
    ]);
    for (const { message, at } of arrivals) {
      if (message.type !== "img_preload") continue;
      // Announced ahead of its instant (the lead is what the kiosk needs to fetch and decode).
      expect(at).toBeLessThan(message.playout_ts);
      expect(message.playout_ts - at).toBeLessThanOrEqual(LEAD_MS + 50);
    }

    // The kiosk reports each image shown; the session keeps the sync stats.
    for (const [i, preload] of preloads.entries()) {
      const ack = await socket.request({
        type: "img_shown",
        runId: start.runId,
        cueId: preload.cueId,
        shown_at: preload.playout_ts + i,
        error_ms: [4, -8, 12][i],
      });
      expect(ack.type).toBe("ack");
    }
    const end = await socket.next("story_end", undefined, 5_000);
    expect(end).toMatchObject({ runId: start.runId, storyId: "free-tale", reason: "finished" });

    const snapshot = (await (await call(`/v1/sessions/${session.sessionId}`, { headers: adminHeaders() })).json()) as {
      status: string;
      story: unknown;
      storiesPlayed: number;
      sync: { count: number; maxAbsMs: number; p50AbsMs: number };
    };
    expect(snapshot).toMatchObject({ status: "open", story: null, storiesPlayed: 1 });
    expect(snapshot.sync).toMatchObject({ count: 3, maxAbsMs: 12, p50AbsMs: 8 });
  });

  it("sends captions on the same timeline", async () => {
    const { socket } = await freshSocket();
    const start = await socket.request({ type: "select_story", storyId: "free-tale", lang: "hi" });
    if (start.type !== "story_start") throw new Error("expected story_start");
    const caption = await socket.next("caption");
    expect(caption).toMatchObject({ runId: start.runId, text: "Once upon a time (hi).", playout_ts: start.startAt });
    expect(caption.end_ts).toBe(start.startAt + 850);
  });

  it("re-bases the remaining sends on the audio's actual start", async () => {
    const { socket } = await freshSocket();
    const start = await socket.request({ type: "select_story", storyId: "free-tale", lang: "en" });
    if (start.type !== "story_start") throw new Error("expected story_start");
    await socket.next("img_preload", (m) => m.cueId === "c1");
    // The kiosk's audio started 400 ms late: the later cues must be announced 400 ms later too.
    const ack = await socket.request({ type: "playback_started", runId: start.runId, started_at: start.startAt + 400 });
    expect(ack.type).toBe("ack");
    const c3 = await socket.next("img_preload", (m) => m.cueId === "c3");
    const arrivedAt = Date.now();
    // Still on the planned timeline (the kiosk re-bases), but sent relative to the actual start.
    expect(c3.playout_ts).toBe(start.startAt + 600);
    expect(arrivedAt).toBeGreaterThanOrEqual(start.startAt + 400 + 600 - LEAD_MS - 60);
    const end = await socket.next("story_end");
    expect(Date.now()).toBeGreaterThanOrEqual(start.startAt + 400 + 900 - 60);
    expect(end.reason).toBe("finished");
  });

  it("refuses a premium story without an unlock, and the socket keeps working", async () => {
    const { socket } = await freshSocket();
    const refusal = await socket.request({ type: "select_story", storyId: "premium-tale", lang: "en" });
    expect(refusal).toMatchObject({ type: "error", code: "story_locked", storyId: "premium-tale" });
    const free = await socket.request({ type: "select_story", storyId: "free-tale" });
    expect(free.type).toBe("story_start");
  });

  it("plays a premium story once the session has it unlocked", async () => {
    const { session, socket } = await freshSocket();
    const stub = env.KIOSK_SESSION.get(env.KIOSK_SESSION.idFromName(session.sessionId));
    expect(await stub.unlock("premium-tale", "override")).toBe(true);
    expect(await socket.next("story_unlocked")).toMatchObject({ storyId: "premium-tale", source: "override" });
    // A reconnecting kiosk learns the unlock from the session state.
    const again = await connect(session);
    const state = await again.next("session_state");
    expect(state.unlocked).toEqual(["premium-tale"]);
    const start = await again.request({ type: "select_story", storyId: "premium-tale", lang: "en" });
    expect(start.type).toBe("story_start");
    await expect(socket.next("pong", undefined, 2_000)).rejects.toThrow(`socket closed (${CLOSE_REPLACED})`);
  });

  it("does not let a refused select_story cancel a valid one still loading", async () => {
    const { socket } = await freshSocket();
    socket.send({ type: "select_story", id: "free", storyId: "free-tale" });
    socket.send({ type: "select_story", id: "locked", storyId: "premium-tale" });
    // The two replies may arrive in either order: wait for both without consuming one to get the other.
    const deadline = Date.now() + 4_000;
    const reply = (ref: string) => socket.received.find((m) => "ref" in m && m.ref === ref);
    while ((!reply("free") || !reply("locked")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(reply("free")).toMatchObject({ type: "story_start", storyId: "free-tale" });
    expect(reply("locked")).toMatchObject({ type: "error", code: "story_locked" });
  });

  it("reports unknown stories, missing languages and missing content as errors", async () => {
    const { socket } = await freshSocket();
    expect(await socket.request({ type: "select_story", storyId: "no-such-story" })).toMatchObject({
      type: "error",
      code: "story_not_found",
    });
    expect(await socket.request({ type: "select_story", storyId: "premium-tale", lang: "hi" })).toMatchObject({
      type: "error",
      code: "story_not_found",
    });
    expect(await socket.request({ type: "select_story", storyId: "broken-tale" })).toMatchObject({
      type: "error",
      code: "content_unavailable",
    });
    expect((await socket.request({ type: "ping", t0: 1 })).type).toBe("pong");
  });

  it("stops a story on request and replaces a story when another is selected", async () => {
    const { socket } = await freshSocket();
    const first = await socket.request({ type: "select_story", storyId: "free-tale" });
    if (first.type !== "story_start") throw new Error("expected story_start");
    const second = await socket.request({ type: "select_story", storyId: "free-tale", lang: "hi" });
    if (second.type !== "story_start") throw new Error("expected story_start");
    expect(second.runId).not.toBe(first.runId);
    const replaced = await socket.next("story_end", (m) => m.runId === first.runId);
    expect(replaced.reason).toBe("replaced");
    expect((await socket.request({ type: "stop_story" })).type).toBe("ack");
    const stopped = await socket.next("story_end", (m) => m.runId === second.runId);
    expect(stopped.reason).toBe("stopped");
    // Nothing of either run is sent after the stop.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(socket.received.filter((m) => m.type === "img_preload" && m.cueId === "c3")).toEqual([]);
    expect(await socket.request({ type: "stop_story" })).toMatchObject({ type: "error", code: "no_story_playing" });
  });

  it("resumes a dropped connection mid-story with the run and the cues already announced", async () => {
    const { session, socket } = await freshSocket();
    const start = await socket.request({ type: "select_story", storyId: "free-tale" });
    if (start.type !== "story_start") throw new Error("expected story_start");
    await socket.next("img_preload", (m) => m.cueId === "c1");
    socket.ws.close(1000, "network drop");

    const resumed = await connect(session);
    const state = await resumed.next("session_state");
    expect(state).toMatchObject({ status: "playing", run: { runId: start.runId, storyId: "free-tale" } });
    const again = await resumed.next("story_start");
    expect(again).toMatchObject({ runId: start.runId, startAt: start.startAt });
    expect((await resumed.next("img_preload")).cueId).toBe("c1");
    expect((await resumed.next("story_end")).runId).toBe(start.runId);
  });

  it("closes an older socket when the same session connects again", async () => {
    const { session, socket } = await freshSocket();
    const second = await connect(session);
    await second.next("session_state");
    await expect(socket.next("pong", undefined, 2_000)).rejects.toThrow(/socket closed \(4001\)/);
    expect((await second.request({ type: "ping", t0: 2 })).type).toBe("pong");
  });

  it("refuses WebSocket upgrades with a wrong token, a bad id or no upgrade header", async () => {
    const { session } = await freshSocket();
    const wrong = await call(`/v1/sessions/${session.sessionId}/ws?t=nope`, { headers: { upgrade: "websocket" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: "unauthorized" } });
    const unknown = await call(`/v1/sessions/${crypto.randomUUID()}/ws?t=x`, { headers: { upgrade: "websocket" } });
    expect(unknown.status).toBe(404);
    const garbage = await call("/v1/sessions/..%2F..%2Fetc/ws", { headers: { upgrade: "websocket" } });
    expect(garbage.status).toBe(404);
    const plain = await call(`/v1/sessions/${session.sessionId}/ws?t=${session.sessionToken}`);
    expect(plain.status).toBe(426);
  });
});

describe("bad input on the socket", () => {
  it.each([
    ["not json", "invalid_json"],
    ['"a string"', "invalid_request"],
    ["[1,2]", "invalid_request"],
    [JSON.stringify({ type: "dance" }), "unknown_message_type"],
    [JSON.stringify({ type: "ping" }), "invalid_request"],
    [JSON.stringify({ type: "ping", t0: "soon" }), "invalid_request"],
    [JSON.stringify({ type: "ping", t0: 1, v: 2 }), "unsupported_version"],
    [JSON.stringify({ type: "select_story", storyId: "../../etc/passwd" }), "invalid_request"],
    [JSON.stringify({ type: "select_story", storyId: "free-tale", lang: "fr" }), "invalid_request"],
    [
      JSON.stringify({ type: "img_shown", runId: "r", cueId: "c", shown_at: 1, error_ms: Number.MAX_VALUE }),
      "invalid_request",
    ],
    [JSON.stringify({ type: "ping", t0: 1, pad: "x".repeat(5000) }), "payload_too_large"],
  ])("answers bad frame #%# with its error code and stays usable", async (frame, code) => {
    const { socket } = await freshSocket();
    socket.send(frame);
    expect(await socket.next("error")).toMatchObject({ code });
    expect((await socket.request({ type: "ping", t0: 3 })).type).toBe("pong");
  });

  it("echoes the message id of a bad message as ref", async () => {
    const { socket } = await freshSocket();
    socket.send({ type: "select_story", id: "abc", storyId: 42 });
    expect(await socket.next("error")).toMatchObject({ code: "invalid_request", ref: "abc" });
  });

  it("answers out-of-order messages without changing state", async () => {
    const { session, socket } = await freshSocket();
    expect(await socket.request({ type: "playback_started", runId: "run_x", started_at: Date.now() })).toMatchObject({
      code: "no_story_playing",
    });
    expect(
      await socket.request({ type: "img_shown", runId: "run_x", cueId: "c1", shown_at: Date.now(), error_ms: 1 }),
    ).toMatchObject({ code: "stale_run" });
    const start = await socket.request({ type: "select_story", storyId: "free-tale" });
    if (start.type !== "story_start") throw new Error("expected story_start");
    expect(
      await socket.request({ type: "playback_started", runId: "run_other", started_at: Date.now() }),
    ).toMatchObject({
      code: "stale_run",
    });
    expect(
      await socket.request({ type: "playback_started", runId: start.runId, started_at: start.startAt + 3_600_000 }),
    ).toMatchObject({ code: "invalid_request" });
    // Before the story was selected: would have fired the whole remaining timeline at once.
    expect(
      await socket.request({ type: "playback_started", runId: start.runId, started_at: start.startAt - 60_000 }),
    ).toMatchObject({ code: "invalid_request" });
    const snapshot = (await (await call(`/v1/sessions/${session.sessionId}`, { headers: adminHeaders() })).json()) as {
      story: { audioStartedAt: number | null };
      sync: { count: number };
    };
    expect(snapshot.story.audioStartedAt).toBeNull();
    expect(snapshot.sync.count).toBe(0);
  });

  it("cuts a socket that floods invalid messages, and the session survives", async () => {
    const { session, socket } = await freshSocket();
    for (let i = 0; i < 25; i++) socket.send("{bad");
    await expect(socket.next("pong", undefined, 3_000)).rejects.toThrow(/socket closed \(1008\)/);
    const fresh = await connect(session);
    expect((await fresh.next("session_state")).status).toBe("open");
    expect((await fresh.request({ type: "ping", t0: 4 })).type).toBe("pong");
  });

  it("rate-limits a burst of valid messages", async () => {
    const { socket } = await freshSocket();
    for (let i = 0; i < 60; i++) socket.send({ type: "ping", t0: i });
    const limited = await socket.next("error", (m) => m.code === "rate_limited");
    expect(limited.message).toMatch(/slow down/);
  });
});
