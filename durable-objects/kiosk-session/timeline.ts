import type { CueSheet } from "../../protocol/catalog.js";
import type { ServerMessageOf } from "../../protocol/messages.js";
import { PROTOCOL_VERSION } from "../../protocol/version.js";

/** A message the session will send at `sendAt` (server epoch ms). */
export interface TimelineEntry {
  sendAt: number;
  message: ServerMessageOf<"img_preload"> | ServerMessageOf<"caption"> | ServerMessageOf<"story_end">;
}

export interface TimelineOptions {
  runId: string;
  /** Planned start of the narration audio (server epoch ms). */
  startAt: number;
  /** How long before its cue an image (or caption) is announced. */
  preloadLeadMs: number;
  /** Now (server epoch ms): nothing is scheduled before it. */
  now: number;
  /** Public URL of an R2 content key. */
  urlFor: (key: string) => string;
}

/**
 * The narration's send plan: each cue's `img_preload` (and each caption) `preloadLeadMs` before its
 * instant, then `story_end` when the audio ends. `playout_ts` is on the planned timeline
 * (startAt + offset); the kiosk re-bases it on the audio's actual start.
 */
export function buildTimeline(sheet: CueSheet, options: TimelineOptions): TimelineEntry[] {
  const { runId, startAt, preloadLeadMs, now, urlFor } = options;
  const sendAtFor = (offsetMs: number) => Math.max(now, startAt + offsetMs - preloadLeadMs);
  const entries: TimelineEntry[] = [];
  for (const cue of sheet.cues) {
    entries.push({
      sendAt: sendAtFor(cue.atMs),
      message: {
        v: PROTOCOL_VERSION,
        type: "img_preload",
        runId,
        cueId: cue.id,
        url: urlFor(cue.image),
        playout_ts: startAt + cue.atMs,
      },
    });
  }
  for (const caption of sheet.captions) {
    entries.push({
      sendAt: sendAtFor(caption.atMs),
      message: {
        v: PROTOCOL_VERSION,
        type: "caption",
        runId,
        text: caption.text,
        playout_ts: startAt + caption.atMs,
        end_ts: startAt + caption.endMs,
      },
    });
  }
  entries.push({
    sendAt: Math.max(now, startAt + sheet.audio.durationMs),
    message: { v: PROTOCOL_VERSION, type: "story_end", runId, storyId: sheet.storyId, reason: "finished" },
  });
  // Stable by send time, and images before captions at the same instant (they need the lead most).
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.sendAt - b.entry.sendAt || a.index - b.index)
    .map(({ entry }) => entry);
}

/** Largest delay between planned and actual audio start the session accepts (a stalled player). */
export const MAX_AUDIO_START_SHIFT_MS = 10 * 60_000;

/**
 * How far the remaining sends move when the kiosk reports its audio really started at `startedAt`.
 * Relative to the current anchor, so a repeated report moves nothing. Null when implausible: before
 * `bounds.earliest` (the run did not exist yet), after `bounds.latest` (the future), or more than
 * MAX_AUDIO_START_SHIFT_MS late.
 */
export function audioStartShift(
  run: { startAt: number; audioStartedAt: number | null },
  startedAt: number,
  bounds: { earliest: number; latest: number },
): number | null {
  if (startedAt < bounds.earliest || startedAt > bounds.latest) return null;
  if (startedAt - run.startAt > MAX_AUDIO_START_SHIFT_MS) return null;
  return startedAt - (run.audioStartedAt ?? run.startAt);
}

/** Sends due within this window are sent together: one alarm instead of several close ones. */
export const SEND_BATCH_WINDOW_MS = 50;
