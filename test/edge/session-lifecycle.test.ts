import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CLOSE_SESSION_ENDED, type KioskSession } from "../../durable-objects/kiosk-session/kiosk-session.js";
import { ENDED_RETENTION_MS, type SessionRecord } from "../../durable-objects/kiosk-session/session-record.js";
import { adminHeaders, call, connect, newKiosk, openSession } from "./helpers.js";

const IDLE_MS = 180_000;

function stubFor(sessionId: string): DurableObjectStub<KioskSession> {
  return env.KIOSK_SESSION.get(env.KIOSK_SESSION.idFromName(sessionId));
}

/** Rewrites the stored session record, as if time had passed. */
async function editRecord(sessionId: string, edit: (record: SessionRecord) => SessionRecord): Promise<void> {
  await runInDurableObject(stubFor(sessionId), (_instance, state) => {
    const row = state.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'session'").one();
    const next = edit(JSON.parse(row.value) as SessionRecord);
    state.storage.sql.exec("UPDATE meta SET value = ? WHERE key = 'session'", JSON.stringify(next));
  });
}

async function snapshot(sessionId: string): Promise<Response> {
  return call(`/v1/sessions/${sessionId}`, { headers: adminHeaders() });
}

describe("session lifecycle", () => {
  it("arms its alarm for the idle timeout when created", async () => {
    const session = await openSession(await newKiosk());
    const alarm = await runInDurableObject(stubFor(session.sessionId), (_i, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + IDLE_MS - 5_000);
    expect(alarm).toBeLessThanOrEqual(Date.now() + IDLE_MS);
  });

  it("ends an idle session from its alarm and tells the kiosk", async () => {
    const session = await openSession(await newKiosk());
    const socket = await connect(session);
    await socket.next("session_state");
    await editRecord(session.sessionId, (r) => ({ ...r, lastActivityAt: Date.now() - IDLE_MS - 1 }));
    expect(await runDurableObjectAlarm(stubFor(session.sessionId))).toBe(true);
    expect(await socket.next("session_end")).toMatchObject({ reason: "idle" });
    await expect(socket.next("pong", undefined, 2_000)).rejects.toThrow(`socket closed (${CLOSE_SESSION_ENDED})`);
    expect(await (await snapshot(session.sessionId)).json()).toMatchObject({ status: "ended", endReason: "idle" });
  });

  it("does not end a session that is only playing a long story", async () => {
    const session = await openSession(await newKiosk());
    const socket = await connect(session);
    await socket.next("session_state");
    expect((await socket.request({ type: "select_story", storyId: "free-tale" })).type).toBe("story_start");
    await editRecord(session.sessionId, (r) => ({ ...r, lastActivityAt: Date.now() - IDLE_MS - 1 }));
    await runDurableObjectAlarm(stubFor(session.sessionId));
    expect(await (await snapshot(session.sessionId)).json()).toMatchObject({ status: "playing" });
  });

  it("expires a session past its maximum age", async () => {
    const session = await openSession(await newKiosk());
    await editRecord(session.sessionId, (r) => ({ ...r, expiresAt: Date.now() - 1 }));
    await runDurableObjectAlarm(stubFor(session.sessionId));
    expect(await (await snapshot(session.sessionId)).json()).toMatchObject({ status: "ended", endReason: "expired" });
  });

  it("purges an ended session after the retention period", async () => {
    const session = await openSession(await newKiosk());
    await call(`/v1/sessions/${session.sessionId}/end`, { method: "POST", headers: adminHeaders() });
    const alarm = await runInDurableObject(stubFor(session.sessionId), (_i, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + ENDED_RETENTION_MS - 5_000);
    await editRecord(session.sessionId, (r) => ({ ...r, endedAt: Date.now() - ENDED_RETENTION_MS - 1 }));
    await runDurableObjectAlarm(stubFor(session.sessionId));
    expect((await snapshot(session.sessionId)).status).toBe(404);
  });

  it("ends on end_session from the kiosk", async () => {
    const session = await openSession(await newKiosk());
    const socket = await connect(session);
    await socket.next("session_state");
    expect((await socket.request({ type: "end_session" })).type).toBe("ack");
    expect(await socket.next("session_end")).toMatchObject({ reason: "ended" });
    const again = await call(`/v1/sessions/${session.sessionId}/ws?t=${session.sessionToken}`, {
      headers: { upgrade: "websocket" },
    });
    expect(again.status).toBe(410);
  });

  it("keeps playing a story across a Durable Object restart", async () => {
    const session = await openSession(await newKiosk());
    const socket = await connect(session);
    await socket.next("session_state");
    const start = await socket.request({ type: "select_story", storyId: "free-tale" });
    if (start.type !== "story_start") throw new Error("expected story_start");
    await abortAllDurableObjects();
    // The kiosk reconnects; the timeline (stored with its alarm) carries on to the end.
    const resumed = await connect(session);
    expect(await resumed.next("session_state")).toMatchObject({ status: "playing", run: { runId: start.runId } });
    expect(await resumed.next("story_end", (m) => m.runId === start.runId)).toMatchObject({ reason: "finished" });
    const pending = await runInDurableObject(stubFor(session.sessionId), (_i, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL").one(),
    );
    expect(pending.n).toBe(0);
  });

  it("does not send anything twice when an alarm fires again (at-least-once alarms)", async () => {
    const session = await openSession(await newKiosk());
    const socket = await connect(session);
    await socket.next("session_state");
    const start = await socket.request({ type: "select_story", storyId: "free-tale" });
    if (start.type !== "story_start") throw new Error("expected story_start");
    await socket.next("story_end");
    await runDurableObjectAlarm(stubFor(session.sessionId));
    await runDurableObjectAlarm(stubFor(session.sessionId));
    expect((await socket.request({ type: "ping", t0: 0 })).type).toBe("pong");
    expect(socket.received.filter((m) => m.type === "img_preload" || m.type === "story_end")).toEqual([]);
  });
});

describe("activity", () => {
  it("does not count clock-sync pings as visitor activity", async () => {
    const session = await openSession(await newKiosk());
    const socket = await connect(session);
    await socket.next("session_state");
    await editRecord(session.sessionId, (r) => ({ ...r, lastActivityAt: Date.now() - IDLE_MS - 1 }));
    expect((await socket.request({ type: "ping", t0: 1 })).type).toBe("pong");
    await runDurableObjectAlarm(stubFor(session.sessionId));
    expect(await socket.next("session_end")).toMatchObject({ reason: "idle" });
  });

  it("counts a visitor's message as activity and pushes the idle deadline out", async () => {
    const session = await openSession(await newKiosk());
    const socket = await connect(session);
    await socket.next("session_state");
    await editRecord(session.sessionId, (r) => ({ ...r, lastActivityAt: Date.now() - IDLE_MS - 1 }));
    expect(await socket.request({ type: "stop_story" })).toMatchObject({ code: "no_story_playing" });
    await runDurableObjectAlarm(stubFor(session.sessionId));
    expect(await (await snapshot(session.sessionId)).json()).toMatchObject({ status: "open" });
  });
});
