import { describe, expect, it } from "vitest";
import { MAX_WS_MESSAGE_BYTES, parseClientFrame } from "../../durable-objects/kiosk-session/client-frame.js";

describe("parseClientFrame", () => {
  it("parses each valid client message type", () => {
    const frames = [
      { type: "ping", t0: 1 },
      { type: "select_story", storyId: "tale" },
      { type: "playback_started", runId: "r", started_at: 5 },
      { type: "img_shown", runId: "r", cueId: "c", shown_at: 5, error_ms: -3.5 },
      { type: "stop_story" },
      { type: "end_session", v: 1, id: "x" },
    ];
    for (const frame of frames) expect(parseClientFrame(JSON.stringify(frame)).ok).toBe(true);
    const story = parseClientFrame(JSON.stringify({ type: "select_story", storyId: "tale" }));
    expect(story.ok && story.message).toMatchObject({ lang: "en" });
  });

  it("classifies each kind of bad frame with its code", () => {
    expect(parseClientFrame(new ArrayBuffer(2))).toMatchObject({ ok: false, code: "invalid_request" });
    expect(parseClientFrame("x".repeat(MAX_WS_MESSAGE_BYTES + 1))).toMatchObject({ code: "payload_too_large" });
    expect(parseClientFrame("{")).toMatchObject({ code: "invalid_json" });
    // 1,500 Devanagari characters are 4,500 bytes: the cap is on bytes, not UTF-16 units.
    expect(parseClientFrame(JSON.stringify({ type: "ping", t0: 1, pad: "क".repeat(1_500) }))).toMatchObject({
      code: "payload_too_large",
    });
    expect(parseClientFrame("null")).toMatchObject({ code: "invalid_request" });
    expect(parseClientFrame('{"type":"ping","t0":1,"v":9,"id":"q"}')).toMatchObject({
      code: "unsupported_version",
      ref: "q",
    });
    expect(parseClientFrame('{"type":"__proto__"}')).toMatchObject({ code: "unknown_message_type" });
    expect(parseClientFrame('{"type":"img_shown","runId":"r"}')).toMatchObject({ code: "invalid_request" });
  });
});
