import { describe, expect, it } from "vitest";
import {
  audioStartShift,
  buildTimeline,
  MAX_AUDIO_START_SHIFT_MS,
} from "../../durable-objects/kiosk-session/timeline.js";
import { type CueSheet, CueSheetSchema } from "../../protocol/catalog.js";

const sheet: CueSheet = CueSheetSchema.parse({
  version: 1,
  storyId: "tale",
  lang: "en",
  audio: { key: "audio/tale.en.mp3", contentType: "audio/mpeg", durationMs: 20_000 },
  cues: [
    { id: "a", atMs: 0, image: "images/a.png" },
    { id: "b", atMs: 5_000, image: "images/b.png" },
    { id: "c", atMs: 12_500, image: "images/c.png" },
  ],
  captions: [{ atMs: 5_000, endMs: 9_000, text: "Then the river rose." }],
});

const base = { runId: "run_1", startAt: 1_000_000, preloadLeadMs: 2_000, now: 997_500, urlFor: (k: string) => `/${k}` };

describe("buildTimeline", () => {
  it("puts each cue's playout_ts at story start + its offset into the audio", () => {
    const preloads = buildTimeline(sheet, base).flatMap((e) => (e.message.type === "img_preload" ? [e.message] : []));
    expect(preloads.map((m) => [m.cueId, m.playout_ts, m.url])).toEqual([
      ["a", 1_000_000, "/images/a.png"],
      ["b", 1_005_000, "/images/b.png"],
      ["c", 1_012_500, "/images/c.png"],
    ]);
  });

  it("announces each image the lead time ahead of its cue", () => {
    const entries = buildTimeline(sheet, base);
    for (const entry of entries) {
      if (entry.message.type !== "img_preload") continue;
      expect(entry.message.playout_ts - entry.sendAt).toBe(2_000);
    }
  });

  it("never schedules a send in the past: a cue closer than the lead goes out now", () => {
    const late = buildTimeline(sheet, { ...base, now: 999_500 });
    const first = late.find((e) => e.message.type === "img_preload");
    expect(first?.sendAt).toBe(999_500);
    expect(late.every((e) => e.sendAt >= 999_500)).toBe(true);
  });

  it("ends with story_end at the end of the audio, after everything else", () => {
    const entries = buildTimeline(sheet, base);
    const last = entries.at(-1);
    expect(last?.message).toMatchObject({ type: "story_end", reason: "finished", storyId: "tale", runId: "run_1" });
    expect(last?.sendAt).toBe(1_020_000);
    const sendTimes = entries.map((e) => e.sendAt);
    expect(sendTimes).toEqual([...sendTimes].sort((a, b) => a - b));
  });

  it("orders an image before a caption due at the same instant", () => {
    const entries = buildTimeline(sheet, base);
    const atB = entries.filter((e) => e.sendAt === 1_003_000).map((e) => e.message.type);
    expect(atB).toEqual(["img_preload", "caption"]);
    const caption = entries.find((e) => e.message.type === "caption")?.message;
    expect(caption).toMatchObject({ playout_ts: 1_005_000, end_ts: 1_009_000, text: "Then the river rose." });
  });
});

describe("audioStartShift", () => {
  const wide = { earliest: 0, latest: Number.MAX_SAFE_INTEGER };
  it("moves the remaining sends by the gap between planned and actual start", () => {
    expect(audioStartShift({ startAt: 1_000, audioStartedAt: null }, 1_250, wide)).toBe(250);
    expect(audioStartShift({ startAt: 1_000, audioStartedAt: null }, 900, wide)).toBe(-100);
  });

  it("is relative to the current anchor, so a repeated report moves nothing", () => {
    expect(audioStartShift({ startAt: 1_000, audioStartedAt: 1_250 }, 1_250, wide)).toBe(0);
    expect(audioStartShift({ startAt: 1_000, audioStartedAt: 1_250 }, 1_300, wide)).toBe(50);
  });

  it("rejects a start before the story was selected, in the future, or absurdly late", () => {
    const run = { startAt: 10_000, audioStartedAt: null };
    expect(audioStartShift(run, 7_000, { earliest: 7_500, latest: 20_000 })).toBeNull();
    expect(audioStartShift(run, 21_000, { earliest: 7_500, latest: 20_000 })).toBeNull();
    expect(audioStartShift(run, 10_000 + MAX_AUDIO_START_SHIFT_MS + 1, wide)).toBeNull();
    expect(audioStartShift(run, 7_600, { earliest: 7_500, latest: 20_000 })).toBe(-2_400);
  });
});

describe("CueSheetSchema", () => {
  const valid = { ...sheet };
  it.each([
    ["unsorted cues", { cues: [sheet.cues[1], sheet.cues[0]] }, "sorted"],
    ["duplicate cue ids", { cues: [sheet.cues[0], { ...sheet.cues[1], id: "a" }] }, "duplicate"],
    ["a cue beyond the audio", { cues: [{ id: "z", atMs: 25_000, image: "images/z.png" }] }, "beyond"],
    ["a caption ending before it starts", { captions: [{ atMs: 5_000, endMs: 4_000, text: "x" }] }, "caption"],
    ["a path trick in an image key", { cues: [{ id: "z", atMs: 0, image: "images/../catalog.json" }] }, "content key"],
    ["an absolute image key", { cues: [{ id: "z", atMs: 0, image: "/etc/passwd" }] }, "content key"],
  ])("rejects %s", (_label, change, message) => {
    const result = CueSheetSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});
