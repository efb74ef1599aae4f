/**
 * Which image belongs on screen, frame by frame. Pure: the caller feeds it frames
 * (requestAnimationFrame timestamps, page clock = performance.now()) and image readiness, and it
 * answers what to show and with what error. Two ways to place a cue on the page clock:
 *
 * - `anchored` (Katha): cue instant = the page time the narration's first sample was heard
 *   (measured on this device) + the cue's offset into the audio.
 * - `server` (the seed runbook's way, kept as the benchmark baseline): cue instant = `playout_ts`
 *   mapped from the server clock with the ping/pong offset; no knowledge of the audio.
 */

export type SyncMode = "anchored" | "server";

export interface PlannedCue {
  cueId: string;
  /** Offset of the cue into the narration audio. */
  atMs: number;
  url: string;
}

export interface CueShow {
  cueId: string;
  url: string;
  /** Page time the cue was meant to be seen. */
  targetPage: number;
  /** Page time it is expected on glass (frame time + presentation lag). */
  shownPage: number;
  /** shownPage − targetPage: positive = late. */
  errorMs: number;
  late: boolean;
}

export interface TimelineClock {
  mode: SyncMode;
  /** Planned start of the audio, server clock (story_start.startAt). */
  startAtServer: number;
  /** Server clock → page clock. */
  serverToPage: (serverMs: number) => number;
}

/** A cue is late when it reaches the screen more than this after its instant (one 60 Hz frame + margin). */
export const LATE_AFTER_MS = 20;

export class CueTimeline {
  private readonly cues = new Map<string, PlannedCue & { ready: boolean; shown: boolean }>();
  private audioStartPage: number | null = null;

  constructor(private readonly clock: TimelineClock) {}

  /** Adds a cue (from story_start's plan or an img_preload); the first word about a cue wins. */
  add(cue: PlannedCue): boolean {
    if (this.cues.has(cue.cueId)) return false;
    this.cues.set(cue.cueId, { ...cue, ready: false, shown: false });
    return true;
  }

  /** Cue offset from an img_preload's playout_ts (planned timeline = startAt + offset). */
  offsetOf(playoutTs: number): number {
    return Math.max(0, playoutTs - this.clock.startAtServer);
  }

  markReady(cueId: string): void {
    const cue = this.cues.get(cueId);
    if (cue) cue.ready = true;
  }

  /** The narration was (or will be) heard from this page time on. */
  anchorAudio(audioStartPage: number): void {
    this.audioStartPage = audioStartPage;
  }

  /** Page time the narration's position 0 is heard (null before anchoring). */
  get anchorPage(): number | null {
    return this.audioStartPage;
  }

  get anchored(): boolean {
    return this.audioStartPage !== null;
  }

  /** Page time a cue should be seen, or null while it cannot be placed yet. */
  targetOf(cue: PlannedCue): number | null {
    if (this.clock.mode === "server") return this.clock.serverToPage(this.clock.startAtServer + cue.atMs);
    return this.audioStartPage === null ? null : this.audioStartPage + cue.atMs;
  }

  /**
   * Cues to show in the frame starting at `frameTime`. A cue is shown in the frame whose
   * presentation (`frameTime + presentLagMs`) lands nearest its instant: the first frame presented
   * later than half a frame before it. Cues whose image is not decoded yet wait and are shown (late)
   * as soon as they are: never skipped.
   */
  due(frameTime: number, frameIntervalMs: number, presentLagMs: number): CueShow[] {
    const shownPage = frameTime + presentLagMs;
    const shows: CueShow[] = [];
    for (const cue of this.cues.values()) {
      if (cue.shown || !cue.ready) continue;
      const targetPage = this.targetOf(cue);
      if (targetPage === null || shownPage < targetPage - frameIntervalMs / 2) continue;
      cue.shown = true;
      const errorMs = shownPage - targetPage;
      shows.push({ cueId: cue.cueId, url: cue.url, targetPage, shownPage, errorMs, late: errorMs > LATE_AFTER_MS });
    }
    return shows.sort((a, b) => a.targetPage - b.targetPage);
  }

  /** Position in the narration at page time `now` (ms), or null before the audio is anchored. */
  positionAt(now: number): number | null {
    if (this.clock.mode === "server") return now - this.clock.serverToPage(this.clock.startAtServer);
    return this.audioStartPage === null ? null : now - this.audioStartPage;
  }

  /**
   * Rejoining a story at `positionMs`: cues before it are history, not late images. Returns the one
   * that should be on screen now (shown without a report); the others are settled silently.
   */
  catchUp(positionMs: number): PlannedCue | null {
    let current: PlannedCue | null = null;
    for (const cue of this.cues.values()) {
      if (cue.atMs > positionMs) continue;
      cue.shown = true;
      if (current === null || cue.atMs >= current.atMs) current = cue;
    }
    return current;
  }

  pending(): PlannedCue[] {
    return [...this.cues.values()].filter((c) => !c.shown);
  }

  has(cueId: string): boolean {
    return this.cues.has(cueId);
  }
}

/** The caption whose span contains `positionMs`, if any. */
export function captionAt<T extends { atMs: number; endMs: number }>(
  captions: readonly T[],
  positionMs: number,
): T | null {
  for (const c of captions) if (positionMs >= c.atMs && positionMs < c.endMs) return c;
  return null;
}
