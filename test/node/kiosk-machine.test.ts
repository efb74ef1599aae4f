import { describe, expect, it } from "vitest";
import {
  type Effect,
  initialState,
  type KioskEvent,
  type KioskState,
  overrideTarget,
  reduce,
  type StoryCard,
} from "../../kiosk/src/core/kiosk-machine.js";

const story = (id: string, premium: boolean): StoryCard => ({
  id,
  title: { en: `${id} en`, hi: `${id} hi` },
  summary: { en: "s", hi: "s" },
  premium,
  pricePaise: premium ? 4900 : 0,
  durationMs: 20_000,
  coverUrl: `/images/${id}.webp`,
  languages: ["en", "hi"],
});
const STORIES = [story("free-a", false), story("paid-b", true), story("free-c", false), story("paid-d", true)];

/** Applies events in order; returns the final state and every effect asked for. */
function play(events: KioskEvent[], from: KioskState = initialState(true)) {
  let state = from;
  const effects: Effect[] = [];
  for (const event of events) {
    const step = reduce(state, event);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

const browsing = () => play([{ type: "catalog", stories: STORIES }, { type: "wake" }]).state;
const key = (k: "left" | "right" | "up" | "down" | "enter" | "back"): KioskEvent => ({ type: "key", key: k });

describe("kiosk screens: keyboard-only navigation", () => {
  it("starts on the setup screen until provisioned, then the attract loop", () => {
    expect(initialState(false).screen.name).toBe("setup");
    expect(reduce(initialState(false), key("enter")).state.screen.name).toBe("setup");
    expect(reduce(initialState(false), { type: "provisioned" }).state.screen.name).toBe("attract");
  });

  it("wakes from attract into the browser with the first story in focus", () => {
    expect(browsing().screen).toEqual({ name: "browse", focus: 0 });
    // Any key wakes too.
    const { state } = play([{ type: "catalog", stories: STORIES }, key("down")]);
    expect(state.screen).toEqual({ name: "browse", focus: 0 });
  });

  it("moves focus with arrows across a two-column grid, clamped, and up to the language switch", () => {
    let { state } = play([key("right"), key("down"), key("right"), key("right")], browsing());
    expect(state.screen).toEqual({ name: "browse", focus: 3 });
    state = play([key("up"), key("up")], state).state;
    expect(state.screen).toEqual({ name: "browse", focus: "lang" });
    state = play([key("enter")], state).state;
    expect(state.lang).toBe("hi");
    state = play([key("down"), key("left")], state).state;
    expect(state.screen).toEqual({ name: "browse", focus: 0 });
  });

  it("fetches the focused free story's narration ahead, in the chosen language; never a premium one", () => {
    const withNarration = STORIES.map((s) =>
      s.premium ? s : { ...s, narration: { en: `/audio/${s.id}.en.wav`, hi: `/audio/${s.id}.hi.wav` } },
    );
    const start = play([{ type: "catalog", stories: withNarration }]).state;
    expect(reduce(start, { type: "wake" }).effects).toEqual([
      { kind: "prefetch_narration", url: "/audio/free-a.en.wav" },
    ]);
    const browsingHi = play([{ type: "toggle_lang" }, { type: "wake" }], start).state;
    expect(reduce(browsingHi, key("down")).effects).toEqual([
      { kind: "prefetch_narration", url: "/audio/free-c.hi.wav" },
    ]);
    expect(reduce(browsingHi, key("right")).effects).toEqual([]); // paid-b: no narration listed
  });

  it("uses one column in portrait", () => {
    const { state } = play([{ type: "layout", columns: 1 }, key("down"), key("down")], browsing());
    expect(state.screen).toEqual({ name: "browse", focus: 2 });
  });

  it("Escape returns from the browser to the attract loop", () => {
    expect(play([key("back")], browsing()).state.screen.name).toBe("attract");
  });
});

describe("kiosk screens: playing a story", () => {
  it("Enter on a free story asks the session for it, in the chosen language", () => {
    const { state, effects } = play([{ type: "toggle_lang" }, key("enter")], browsing());
    expect(effects).toEqual([{ kind: "select_story", storyId: "free-a", lang: "hi" }]);
    expect(state.screen).toEqual({ name: "player", storyId: "free-a", runId: null, phase: "loading" });
  });

  it("follows the run: loading → playing → ended → back to the browser on Enter", () => {
    let { state } = play(
      [key("enter"), { type: "story_start", storyId: "free-a", runId: "r1" }, { type: "story_playing", runId: "r1" }],
      browsing(),
    );
    expect(state.screen).toMatchObject({ phase: "playing", runId: "r1" });
    state = play([{ type: "story_end", runId: "old" }], state).state;
    expect(state.screen).toMatchObject({ phase: "playing" }); // another run's end changes nothing
    state = play([{ type: "story_end", runId: "r1" }], state).state;
    expect(state.screen).toMatchObject({ phase: "ended" });
    const back = reduce(state, key("enter"));
    expect(back.state.screen).toEqual({ name: "browse", focus: 0 });
    expect(back.effects).toEqual([]); // nothing to stop
  });

  it("Escape while playing stops the story", () => {
    const { state, effects } = play(
      [key("enter"), { type: "story_start", storyId: "free-a", runId: "r1" }, key("back")],
      browsing(),
    );
    expect(state.screen.name).toBe("browse");
    expect(effects.at(-1)).toEqual({ kind: "stop_story" });
  });

  it("a story that fails while loading (after story_start) returns to the browser", () => {
    const loading = play([key("enter"), { type: "story_start", storyId: "free-a", runId: "r1" }], browsing()).state;
    const other = reduce(loading, {
      type: "story_refused",
      storyId: "free-a",
      code: "content_unavailable",
      message: "narration unavailable",
      runId: "r0",
    }).state;
    expect(other.screen.name).toBe("player"); // another run's failure changes nothing
    const failed = reduce(loading, {
      type: "story_refused",
      storyId: "free-a",
      code: "content_unavailable",
      message: "narration unavailable",
      runId: "r1",
    }).state;
    expect(failed.screen).toEqual({ name: "browse", focus: 0 });
    expect(failed.notice).toBe("narration unavailable");
  });

  it("a kiosk that restarted mid-story rejoins the run its session is playing", () => {
    const state = reduce(browsing(), {
      type: "session_state",
      unlocked: [],
      playing: { storyId: "free-c", runId: "r7" },
    }).state;
    expect(state.screen).toEqual({ name: "player", storyId: "free-c", runId: "r7", phase: "loading" });
  });

  it("a refused story returns to the browser with the reason shown", () => {
    const { state } = play(
      [key("enter"), { type: "story_refused", storyId: "free-a", code: "content_unavailable", message: "cannot play" }],
      browsing(),
    );
    expect(state.screen.name).toBe("browse");
    expect(state.notice).toBe("cannot play");
  });

  it("resuming a session that still plays keeps the player; a fresh session ends it", () => {
    const playing = play([key("enter"), { type: "story_start", storyId: "free-a", runId: "r1" }], browsing()).state;
    const resumed = reduce(playing, {
      type: "session_state",
      unlocked: [],
      playing: { storyId: "free-a", runId: "r1" },
    }).state;
    expect(resumed.screen).toMatchObject({ name: "player", runId: "r1" });
    const fresh = reduce(playing, { type: "session_state", unlocked: [], playing: null }).state;
    expect(fresh.screen).toMatchObject({ name: "player", phase: "ended" });
  });

  it("a session that ends (idle) returns to the attract loop and forgets unlocks", () => {
    const state = play([{ type: "unlocked", storyId: "paid-b" }, { type: "session_ended" }], browsing()).state;
    expect(state.screen.name).toBe("attract");
    expect(state.unlocked).toEqual([]);
  });

  it("an idle browser returns to attract, a playing story does not", () => {
    expect(reduce(browsing(), { type: "idle" }).state.screen.name).toBe("attract");
    const playing = play([key("enter")], browsing()).state;
    expect(reduce(playing, { type: "idle" }).state.screen.name).toBe("player");
  });
});

describe("kiosk screens: paywall", () => {
  const payment = { paymentId: "pay_1", upiUri: "upi://pay?pa=x&tr=qr_1", amountPaise: 4900, expiresAt: 9e12 };
  const atPaywall = () => play([key("right"), key("enter")], browsing());

  it("Enter on a locked premium story creates a payment and shows the paywall", () => {
    const { state, effects } = atPaywall();
    expect(effects).toEqual([{ kind: "create_payment", storyId: "paid-b" }]);
    expect(state.screen).toEqual({ name: "paywall", storyId: "paid-b", payment: null, status: "creating" });
  });

  it("Waiting… → Paid → plays, only after the confirmation is verified", () => {
    let { state } = play([{ type: "paywall", storyId: "paid-b", payment }], atPaywall().state);
    expect(state.screen).toMatchObject({ status: "waiting", payment });
    // A status message alone never unlocks.
    state = play([{ type: "payment_status", paymentId: "pay_1", status: "paid" }], state).state;
    expect(state.screen).toMatchObject({ status: "waiting" });
    const verified = reduce(state, { type: "payment_verified", paymentId: "pay_1", storyId: "paid-b" });
    expect(verified.state.screen).toMatchObject({ status: "paid" });
    expect(verified.state.unlocked).toContain("paid-b");
    expect(verified.effects).toEqual([{ kind: "select_story", storyId: "paid-b", lang: "en" }]);
    const started = reduce(verified.state, { type: "story_start", storyId: "paid-b", runId: "r9" });
    expect(started.state.screen).toEqual({ name: "player", storyId: "paid-b", runId: "r9", phase: "loading" });
  });

  it("a confirmation that fails verification shows an error and offers a retry", () => {
    let { state } = play(
      [
        { type: "paywall", storyId: "paid-b", payment },
        { type: "payment_rejected", paymentId: "pay_1", message: "bad_signature" },
      ],
      atPaywall().state,
    );
    expect(state.screen).toMatchObject({ status: "rejected" });
    expect(state.unlocked).not.toContain("paid-b");
    // The visitor may have paid: Enter checks that payment again (fresh keys), not a new QR.
    const retry = reduce(state, key("enter"));
    expect(retry.effects).toEqual([{ kind: "recheck_payment", storyId: "paid-b", paymentId: "pay_1" }]);
    state = retry.state;
    expect(state.screen).toMatchObject({ status: "waiting", payment });
  });

  it("failed and expired payments are shown, with a retry on Enter", () => {
    for (const status of ["failed", "expired"] as const) {
      const { state } = play(
        [
          { type: "paywall", storyId: "paid-b", payment },
          { type: "payment_status", paymentId: "pay_1", status },
        ],
        atPaywall().state,
      );
      expect(state.screen).toMatchObject({ status });
      expect(reduce(state, key("enter")).effects).toEqual([{ kind: "create_payment", storyId: "paid-b" }]);
    }
  });

  it("a payment that cannot be created says so; Escape goes back to the story", () => {
    const { state } = play(
      [{ type: "payment_create_failed", storyId: "paid-b", message: "PSP down" }],
      atPaywall().state,
    );
    expect(state.screen).toMatchObject({ status: "unavailable", message: "PSP down" });
    expect(reduce(state, key("back")).state.screen).toEqual({ name: "browse", focus: 1 });
  });

  it("another payment's status does not touch this paywall", () => {
    const { state } = play(
      [
        { type: "paywall", storyId: "paid-b", payment },
        { type: "payment_status", paymentId: "pay_other", status: "failed" },
      ],
      atPaywall().state,
    );
    expect(state.screen).toMatchObject({ status: "waiting" });
  });

  it("an unlocked premium story plays without a paywall; the session refusing it brings the paywall back", () => {
    const unlocked = play([{ type: "unlocked", storyId: "paid-b" }, key("right"), key("enter")], browsing());
    expect(unlocked.effects).toEqual([{ kind: "select_story", storyId: "paid-b", lang: "en" }]);
    const refused = reduce(unlocked.state, {
      type: "story_refused",
      storyId: "paid-b",
      code: "story_locked",
      message: "locked",
    });
    expect(refused.state.screen).toMatchObject({ name: "paywall", storyId: "paid-b" });
    expect(refused.effects).toEqual([{ kind: "create_payment", storyId: "paid-b" }]);
  });
});

describe("kiosk screens: staff override", () => {
  it("opens on any screen but setup, takes digits only, and submits for the story behind the paywall", () => {
    const paywall = play([key("right"), key("enter")], browsing()).state;
    let state = play([{ type: "override_open" }, { type: "override_input", code: "12a34-56" }], paywall).state;
    expect(state.override).toEqual({ code: "123456", status: "editing" });
    expect(overrideTarget(state)).toBe("paid-b");
    const submitted = reduce(state, key("enter"));
    expect(submitted.effects).toEqual([{ kind: "submit_override", code: "123456", storyId: "paid-b" }]);
    state = reduce(submitted.state, { type: "override_result", status: "wrong" }).state;
    expect(state.override?.status).toBe("wrong");
    expect(reduce(initialState(false), { type: "override_open" }).state.override).toBeNull();
  });

  it("refuses a short code without calling the edge, and Escape closes it", () => {
    const state = play([{ type: "override_open" }, { type: "override_input", code: "12" }], browsing()).state;
    const step = reduce(state, key("enter"));
    expect(step.effects).toEqual([]);
    expect(step.state.override?.status).toBe("error");
    expect(reduce(step.state, key("back")).state.override).toBeNull();
  });

  it("arrow keys do not move the browser behind the dialog", () => {
    const state = play([{ type: "override_open" }, key("right")], browsing()).state;
    expect(state.screen).toEqual({ name: "browse", focus: 0 });
  });

  it("an override unlock on the paywall plays the story", () => {
    const paywall = play([key("right"), key("enter")], browsing()).state;
    const step = reduce(paywall, { type: "unlocked", storyId: "paid-b" });
    expect(step.state.screen).toMatchObject({ status: "paid" });
    expect(step.effects).toEqual([{ kind: "select_story", storyId: "paid-b", lang: "en" }]);
  });
});
