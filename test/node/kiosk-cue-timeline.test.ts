import { describe, expect, it } from "vitest";
import { CueTimeline, captionAt, LATE_AFTER_MS } from "../../kiosk/src/core/cue-timeline.js";

const FRAME = 1000 / 60;
const cues = [
  { cueId: "a", atMs: 0, url: "/images/a.webp" },
  { cueId: "b", atMs: 1000, url: "/images/b.webp" },
  { cueId: "c", atMs: 2500, url: "/images/c.webp" },
];

function anchoredTimeline(serverOffset = 0) {
  const timeline = new CueTimeline({
    mode: "anchored",
    startAtServer: 50_000,
    serverToPage: (server) => server - 50_000 + 10_000 - serverOffset,
  });
  for (const cue of cues) {
    timeline.add(cue);
    timeline.markReady(cue.cueId);
  }
  return timeline;
}

/** Runs 60 Hz frames from `from` to `to`, collecting what was shown. */
function runFrames(timeline: CueTimeline, from: number, to: number, lag = 0) {
  const shown = [];
  for (let t = from; t <= to; t += FRAME) shown.push(...timeline.due(t, FRAME, lag));
  return shown;
}

describe("cue timeline (anchored on the audio's real start)", () => {
  it("places nothing until the audio is anchored", () => {
    const timeline = anchoredTimeline();
    expect(timeline.due(20_000, FRAME, 0)).toEqual([]);
    expect(timeline.positionAt(20_000)).toBeNull();
  });

  it("shows each cue in the frame nearest its instant: error within half a frame", () => {
    const timeline = anchoredTimeline();
    // The audio was heard 137 ms later than the server planned: the images follow the audio.
    timeline.anchorAudio(10_137);
    const shown = runFrames(timeline, 10_000, 13_000);
    expect(shown.map((s) => s.cueId)).toEqual(["a", "b", "c"]);
    for (const s of shown) {
      expect(Math.abs(s.errorMs)).toBeLessThanOrEqual(FRAME / 2);
      expect(s.late).toBe(false);
    }
    expect(shown[1]?.targetPage).toBe(11_137);
  });

  it("accounts for the presentation lag of a frame", () => {
    const timeline = anchoredTimeline();
    timeline.anchorAudio(10_000);
    const shown = runFrames(timeline, 9_000, 13_000, 30);
    for (const s of shown) {
      expect(s.shownPage - s.targetPage).toBeLessThanOrEqual(FRAME / 2);
      // Put on screen ~30 ms before the instant so it is *seen* at the instant.
      expect(s.targetPage - (s.shownPage - 30)).toBeGreaterThan(20);
    }
  });

  it("shows a late image as soon as it is decoded and reports it late, never skipping it", () => {
    const timeline = new CueTimeline({ mode: "anchored", startAtServer: 0, serverToPage: (s) => s });
    timeline.add({ cueId: "slow", atMs: 100, url: "/slow" });
    timeline.anchorAudio(1_000);
    expect(timeline.due(1_200, FRAME, 0)).toEqual([]); // not decoded yet
    timeline.markReady("slow");
    const [show] = timeline.due(1_400, FRAME, 0);
    expect(show).toMatchObject({ cueId: "slow", errorMs: 300, late: true });
    expect(show?.errorMs).toBeGreaterThan(LATE_AFTER_MS);
    expect(timeline.due(1_500, FRAME, 0)).toEqual([]); // shown once
  });

  it("reports every cue that fell due in one frame (a stalled tab), in order", () => {
    const timeline = anchoredTimeline();
    timeline.anchorAudio(10_000);
    const shows = timeline.due(12_600, FRAME, 0);
    expect(shows.map((s) => s.cueId)).toEqual(["a", "b", "c"]);
  });

  it("keeps the first word about a cue (plan before img_preload)", () => {
    const timeline = anchoredTimeline();
    expect(timeline.add({ cueId: "b", atMs: 9999, url: "/other" })).toBe(false);
    expect(timeline.has("b")).toBe(true);
    expect(timeline.offsetOf(51_000)).toBe(1000);
    expect(timeline.offsetOf(40_000)).toBe(0);
  });

  it("catches up on a resumed story: earlier cues are history, the current one is returned", () => {
    const timeline = anchoredTimeline();
    timeline.anchorAudio(10_000 - 1_800);
    expect(timeline.catchUp(1_800)?.cueId).toBe("b");
    expect(timeline.pending().map((c) => c.cueId)).toEqual(["c"]);
    expect(timeline.due(10_000, FRAME, 0)).toEqual([]);
  });
});

describe("cue timeline (server-clock baseline)", () => {
  it("places cues from playout_ts with the clock offset only, ignoring when the audio really started", () => {
    const timeline = new CueTimeline({
      mode: "server",
      startAtServer: 50_000,
      serverToPage: (server) => server - 40_000,
    });
    timeline.add({ cueId: "x", atMs: 500, url: "/x" });
    timeline.markReady("x");
    timeline.anchorAudio(99_999); // ignored in this mode
    expect(timeline.targetOf({ cueId: "x", atMs: 500, url: "/x" })).toBe(10_500);
    expect(timeline.positionAt(10_250)).toBe(250);
  });
});

describe("captions", () => {
  it("finds the caption spanning a position", () => {
    const captions = [
      { atMs: 0, endMs: 1000, text: "one" },
      { atMs: 1200, endMs: 2000, text: "two" },
    ];
    expect(captionAt(captions, 500)?.text).toBe("one");
    expect(captionAt(captions, 1100)).toBeNull();
    expect(captionAt(captions, 1999)?.text).toBe("two");
    expect(captionAt(captions, 2000)).toBeNull();
  });
});
