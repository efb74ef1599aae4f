/**
 * The kiosk's screens as a pure state machine: `reduce(state, event)` returns the next state and the
 * effects to run (send a message, create a payment…). The controller performs effects and feeds
 * results back as events, so every transition (including keyboard-only navigation) is tested
 * without a browser.
 */
import type { Lang } from "../../../protocol/ids.js";

export interface StoryCard {
  id: string;
  title: Record<Lang, string>;
  summary: Record<Lang, string>;
  premium: boolean;
  pricePaise: number;
  durationMs: number;
  coverUrl: string;
  languages: Lang[];
  /** Narration URL per language (free stories): fetched ahead while the story has focus. */
  narration?: Partial<Record<Lang, string>>;
}

export type Nav = "left" | "right" | "up" | "down" | "enter" | "back";
export type Connection = "connecting" | "online" | "reconnecting" | "offline";
export type PaywallStatus = "creating" | "waiting" | "paid" | "failed" | "expired" | "rejected" | "unavailable";
export type OverrideStatus = "editing" | "sending" | "unlocked" | "wrong" | "locked" | "error";

export interface Payment {
  paymentId: string;
  upiUri: string;
  amountPaise: number;
  expiresAt: number;
}

export type Screen =
  | { name: "setup" }
  | { name: "attract" }
  | { name: "browse"; focus: number | "lang" }
  | { name: "player"; storyId: string; runId: string | null; phase: "loading" | "playing" | "ended" }
  | { name: "paywall"; storyId: string; payment: Payment | null; status: PaywallStatus; message?: string };

export interface OverrideOverlay {
  code: string;
  status: OverrideStatus;
  message?: string;
}

export interface KioskState {
  screen: Screen;
  lang: Lang;
  connection: Connection;
  stories: StoryCard[];
  unlocked: string[];
  override: OverrideOverlay | null;
  /** Grid columns of the story browser (arrow up/down move by a row). */
  columns: number;
  notice: string | null;
}

export type Effect =
  | { kind: "select_story"; storyId: string; lang: Lang }
  | { kind: "stop_story" }
  | { kind: "create_payment"; storyId: string }
  | { kind: "submit_override"; code: string; storyId: string | null }
  /** The focused story's narration, fetched and decoded ahead so Enter starts it at once. */
  | { kind: "prefetch_narration"; url: string }
  /** Check the payment again (status + confirmation, keys re-fetched): it may have been paid. */
  | { kind: "recheck_payment"; storyId: string; paymentId: string };

export type KioskEvent =
  | { type: "provisioned" }
  | { type: "wake" }
  | { type: "key"; key: Nav }
  | { type: "tap_story"; storyId: string }
  | { type: "toggle_lang" }
  | { type: "layout"; columns: number }
  | { type: "idle" }
  | { type: "catalog"; stories: StoryCard[] }
  | { type: "connection"; connection: Connection }
  | { type: "session_state"; unlocked: string[]; playing: { storyId: string; runId: string } | null }
  | { type: "session_ended" }
  | { type: "story_start"; storyId: string; runId: string }
  | { type: "story_playing"; runId: string }
  | { type: "story_end"; runId: string }
  | { type: "story_refused"; storyId: string; code: string; message: string; runId?: string }
  | { type: "paywall"; storyId: string; payment: Payment }
  | { type: "payment_create_failed"; storyId: string; message: string }
  | { type: "payment_status"; paymentId: string; status: "pending" | "paid" | "failed" | "expired" | "late_credit" }
  | { type: "payment_verified"; paymentId: string; storyId: string }
  | { type: "payment_rejected"; paymentId: string; message: string }
  | { type: "unlocked"; storyId: string }
  | { type: "override_open" }
  | { type: "override_input"; code: string }
  | { type: "override_result"; status: "unlocked" | "wrong" | "locked" | "error"; message?: string };

export interface Step {
  state: KioskState;
  effects: Effect[];
}

export function initialState(provisioned: boolean): KioskState {
  return {
    screen: provisioned ? { name: "attract" } : { name: "setup" },
    lang: "en",
    connection: "connecting",
    stories: [],
    unlocked: [],
    override: null,
    columns: 2,
    notice: null,
  };
}

export function isPlayable(state: KioskState, storyId: string): boolean {
  const story = state.stories.find((s) => s.id === storyId);
  return story !== undefined && (!story.premium || state.unlocked.includes(storyId));
}

/** The story the override would unlock: the one behind the paywall, else the focused one. */
export function overrideTarget(state: KioskState): string | null {
  const screen = state.screen;
  if (screen.name === "paywall") return screen.storyId;
  if (screen.name === "browse" && typeof screen.focus === "number") return state.stories[screen.focus]?.id ?? null;
  return null;
}

const stay = (state: KioskState): Step => ({ state, effects: [] });

function open(state: KioskState, storyId: string): Step {
  if (isPlayable(state, storyId))
    return {
      state: { ...state, notice: null, screen: { name: "player", storyId, runId: null, phase: "loading" } },
      effects: [{ kind: "select_story", storyId, lang: state.lang }],
    };
  return {
    state: { ...state, notice: null, screen: { name: "paywall", storyId, payment: null, status: "creating" } },
    effects: [{ kind: "create_payment", storyId }],
  };
}

function moveFocus(state: KioskState, focus: number | "lang", key: Nav): number | "lang" {
  const count = state.stories.length;
  if (count === 0) return "lang";
  if (focus === "lang") return key === "down" ? 0 : "lang";
  const cols = Math.max(1, state.columns);
  switch (key) {
    case "left":
      return Math.max(0, focus - 1);
    case "right":
      return Math.min(count - 1, focus + 1);
    case "up":
      return focus - cols < 0 ? "lang" : focus - cols;
    case "down":
      return Math.min(count - 1, focus + cols);
    default:
      return focus;
  }
}

function focusOn(state: KioskState, focus: number | "lang"): Step {
  const story = typeof focus === "number" ? state.stories[focus] : undefined;
  const url = story ? (story.narration?.[state.lang] ?? story.narration?.[story.languages[0] ?? "en"]) : undefined;
  return {
    state: { ...state, screen: { name: "browse", focus } },
    effects: url ? [{ kind: "prefetch_narration", url }] : [],
  };
}

function onKey(state: KioskState, key: Nav): Step {
  const screen = state.screen;
  switch (screen.name) {
    case "setup":
      return stay(state);
    case "attract":
      return focusOn(state, 0);
    case "browse": {
      if (key === "back") return stay({ ...state, screen: { name: "attract" } });
      if (key === "enter") {
        if (screen.focus === "lang") return stay({ ...state, lang: state.lang === "en" ? "hi" : "en" });
        const story = state.stories[screen.focus];
        return story ? open(state, story.id) : stay(state);
      }
      return focusOn(state, moveFocus(state, screen.focus, key));
    }
    case "player": {
      if (key === "back" || (key === "enter" && screen.phase === "ended")) {
        const focus = Math.max(
          0,
          state.stories.findIndex((s) => s.id === screen.storyId),
        );
        return {
          state: { ...state, screen: { name: "browse", focus } },
          effects: screen.phase === "ended" ? [] : [{ kind: "stop_story" }],
        };
      }
      return stay(state);
    }
    case "paywall": {
      if (key === "back") {
        const focus = Math.max(
          0,
          state.stories.findIndex((s) => s.id === screen.storyId),
        );
        return stay({ ...state, screen: { name: "browse", focus } });
      }
      if (key === "enter" && screen.status === "rejected" && screen.payment)
        return {
          state: { ...state, screen: { ...screen, status: "waiting", message: undefined } },
          effects: [{ kind: "recheck_payment", storyId: screen.storyId, paymentId: screen.payment.paymentId }],
        };
      if (key === "enter" && ["failed", "expired", "rejected", "unavailable"].includes(screen.status)) {
        return {
          state: { ...state, screen: { name: "paywall", storyId: screen.storyId, payment: null, status: "creating" } },
          effects: [{ kind: "create_payment", storyId: screen.storyId }],
        };
      }
      return stay(state);
    }
  }
}

function onOverrideKey(state: KioskState, overlay: OverrideOverlay, key: Nav): Step {
  if (key === "back") return stay({ ...state, override: null });
  if (key !== "enter") return stay(state);
  if (overlay.status === "unlocked") return stay({ ...state, override: null });
  if (!/^\d{6,8}$/.test(overlay.code))
    return stay({ ...state, override: { ...overlay, status: "error", message: "enter the 6-digit code" } });
  return {
    state: { ...state, override: { ...overlay, status: "sending" } },
    effects: [{ kind: "submit_override", code: overlay.code, storyId: overrideTarget(state) }],
  };
}

export function reduce(state: KioskState, event: KioskEvent): Step {
  const screen = state.screen;
  switch (event.type) {
    case "provisioned":
      return stay({ ...state, screen: { name: "attract" } });
    case "wake":
      return screen.name === "attract" ? focusOn(state, 0) : stay(state);
    case "key":
      if (state.override) return onOverrideKey(state, state.override, event.key);
      return onKey(state, event.key);
    case "tap_story":
      if (screen.name !== "browse" && screen.name !== "attract") return stay(state);
      return open(state, event.storyId);
    case "layout":
      return stay({ ...state, columns: Math.max(1, Math.floor(event.columns)) });
    case "toggle_lang":
      return stay({ ...state, lang: state.lang === "en" ? "hi" : "en" });
    case "idle":
      // Only an unattended browser or a finished story falls back to the attract loop.
      if (screen.name === "browse" || (screen.name === "player" && screen.phase === "ended"))
        return stay({ ...state, override: null, screen: { name: "attract" } });
      return stay(state);
    case "catalog":
      return stay({ ...state, stories: event.stories });
    case "connection":
      return stay({ ...state, connection: event.connection });
    case "session_state": {
      const next = { ...state, unlocked: [...new Set([...state.unlocked, ...event.unlocked])] };
      // A resumed session that is still playing: back to the player for that run.
      if (event.playing && screen.name === "player" && screen.storyId === event.playing.storyId)
        return stay({ ...next, screen: { ...screen, runId: event.playing.runId } });
      // The kiosk restarted (a reload, a crash) while a story played: rejoin it where it is.
      if (event.playing && (screen.name === "attract" || screen.name === "browse"))
        return stay({
          ...next,
          screen: { name: "player", storyId: event.playing.storyId, runId: event.playing.runId, phase: "loading" },
        });
      // A fresh session (the old one ended): nothing plays any more.
      if (!event.playing && screen.name === "player" && screen.phase !== "ended")
        return stay({ ...next, screen: { ...screen, phase: "ended" } });
      return stay(next);
    }
    case "session_ended":
      return stay({
        ...state,
        unlocked: [],
        override: null,
        screen: screen.name === "setup" ? screen : { name: "attract" },
      });
    case "story_start":
      if (screen.name === "player" && screen.storyId === event.storyId)
        return stay({ ...state, screen: { ...screen, runId: event.runId, phase: "loading" } });
      if (screen.name === "paywall" && screen.storyId === event.storyId)
        return stay({
          ...state,
          screen: { name: "player", storyId: event.storyId, runId: event.runId, phase: "loading" },
        });
      return stay(state);
    case "story_playing":
      if (screen.name === "player" && screen.runId === event.runId)
        return stay({ ...state, screen: { ...screen, phase: "playing" } });
      return stay(state);
    case "story_end":
      if (screen.name === "player" && screen.runId === event.runId)
        return stay({ ...state, screen: { ...screen, phase: "ended" } });
      return stay(state);
    case "story_refused":
      if (event.code === "story_locked")
        return open({ ...state, unlocked: state.unlocked.filter((id) => id !== event.storyId) }, event.storyId);
      // Refused before it started, or failed while loading (narration unavailable): back to the browser.
      if (
        screen.name === "player" &&
        screen.storyId === event.storyId &&
        (screen.runId === null || screen.runId === event.runId)
      ) {
        const focus = Math.max(
          0,
          state.stories.findIndex((s) => s.id === event.storyId),
        );
        return stay({ ...state, notice: event.message, screen: { name: "browse", focus } });
      }
      return stay(state);
    case "paywall":
      if (screen.name === "paywall" && screen.storyId === event.storyId && screen.status !== "paid")
        return stay({ ...state, screen: { ...screen, payment: event.payment, status: "waiting" } });
      return stay(state);
    case "payment_create_failed":
      if (screen.name === "paywall" && screen.storyId === event.storyId)
        return stay({ ...state, screen: { ...screen, status: "unavailable", message: event.message } });
      return stay(state);
    case "payment_status": {
      if (screen.name !== "paywall" || screen.payment?.paymentId !== event.paymentId || screen.status === "paid")
        return stay(state);
      if (event.status === "failed" || event.status === "expired")
        return stay({ ...state, screen: { ...screen, status: event.status } });
      return stay(state);
    }
    case "payment_verified": {
      const next = { ...state, unlocked: [...new Set([...state.unlocked, event.storyId])] };
      if (screen.name === "paywall" && screen.storyId === event.storyId)
        return {
          state: { ...next, screen: { ...screen, status: "paid" } },
          effects: [{ kind: "select_story", storyId: event.storyId, lang: state.lang }],
        };
      return stay(next);
    }
    case "payment_rejected":
      if (screen.name === "paywall" && screen.payment?.paymentId === event.paymentId)
        return stay({ ...state, screen: { ...screen, status: "rejected", message: event.message } });
      return stay(state);
    case "unlocked": {
      const next = { ...state, unlocked: [...new Set([...state.unlocked, event.storyId])] };
      if (screen.name === "paywall" && screen.storyId === event.storyId && screen.status !== "paid")
        return {
          state: { ...next, screen: { ...screen, status: "paid" } },
          effects: [{ kind: "select_story", storyId: event.storyId, lang: state.lang }],
        };
      return stay(next);
    }
    case "override_open":
      return screen.name === "setup" ? stay(state) : stay({ ...state, override: { code: "", status: "editing" } });
    case "override_input":
      if (!state.override || state.override.status === "sending") return stay(state);
      return stay({ ...state, override: { code: event.code.replace(/\D/g, "").slice(0, 8), status: "editing" } });
    case "override_result":
      if (!state.override) return stay(state);
      return stay({ ...state, override: { ...state.override, status: event.status, message: event.message } });
  }
}
