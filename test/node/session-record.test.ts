import { describe, expect, it } from "vitest";
import {
  dueTransition,
  endedRecord,
  nextWakeAt,
  type SessionRecord,
  storyAccess,
} from "../../durable-objects/kiosk-session/session-record.js";

const timings = { idleTimeoutMs: 1_000, retentionMs: 10_000 };
const record: SessionRecord = {
  sessionId: "s",
  kioskId: "ksk_demo",
  tokenHash: "0".repeat(64),
  publicBaseUrl: "http://127.0.0.1:8787",
  createdAt: 0,
  expiresAt: 5_000,
  status: "open",
  lastActivityAt: 100,
  endedAt: null,
  endReason: null,
  run: null,
  unlocked: [],
  storiesPlayed: 0,
};
const playing: SessionRecord = {
  ...record,
  status: "playing",
  run: { runId: "r", storyId: "t", lang: "en", startAt: 200, durationMs: 60_000, audioStartedAt: null },
};

describe("session rules", () => {
  it("wakes for the earliest of the next send, the idle deadline and the max age", () => {
    expect(nextWakeAt(record, null, timings)).toBe(1_100);
    expect(nextWakeAt(record, 700, timings)).toBe(700);
    expect(nextWakeAt({ ...record, lastActivityAt: 4_500 }, null, timings)).toBe(5_000);
  });

  it("has no idle deadline while a story plays", () => {
    expect(nextWakeAt(playing, 3_000, timings)).toBe(3_000);
    expect(dueTransition(playing, 4_000, timings)).toBeNull();
  });

  it("goes idle, expires, and purges ended sessions after retention", () => {
    expect(dueTransition(record, 1_099, timings)).toBeNull();
    expect(dueTransition(record, 1_100, timings)).toEqual({ kind: "idle" });
    expect(dueTransition(playing, 5_000, timings)).toEqual({ kind: "expire" });
    const ended = endedRecord(record, "idle", 2_000);
    expect(ended).toMatchObject({ status: "ended", endReason: "idle", run: null });
    expect(nextWakeAt(ended, 100, timings)).toBe(12_000);
    expect(dueTransition(ended, 11_999, timings)).toBeNull();
    expect(dueTransition(ended, 12_000, timings)).toEqual({ kind: "purge" });
  });

  it("locks premium stories until unlocked and everything once ended", () => {
    expect(storyAccess(record, { id: "free", premium: false })).toEqual({ ok: true });
    expect(storyAccess(record, { id: "gold", premium: true })).toEqual({ ok: false, code: "story_locked" });
    expect(storyAccess({ ...record, unlocked: ["gold"] }, { id: "gold", premium: true })).toEqual({ ok: true });
    expect(storyAccess(endedRecord(record, "ended", 1), { id: "free", premium: false })).toEqual({
      ok: false,
      code: "session_ended",
    });
  });
});
