/**
 * Plays one story run on this kiosk: narration through the audio transport, each image shown on the
 * display frame of its instant in the narration, captions, progress, and the reports the session
 * keeps (`playback_started`, `img_shown`). The whole cue plan arrives with `story_start`, and every
 * image is preloaded from it, so a dropped connection mid-story changes nothing on screen;
 * `img_preload` messages (the runbook's timeline) are honoured too, for cues the plan lacked.
 */
import type { RunSnapshot, ServerMessageOf } from "../../../protocol/messages.js";
import type { NarrationTransport, PlaybackHandle } from "../audio/transport.js";
import type { ClockSync } from "../core/clock-sync.js";
import { type CueShow, CueTimeline, captionAt, type SyncMode } from "../core/cue-timeline.js";
import { preloadImage } from "./images.js";
import { log } from "./log.js";

type StoryStart = ServerMessageOf<"story_start">;
type ImgPreload = ServerMessageOf<"img_preload">;
type Caption = { atMs: number; endMs: number; text: string };

export interface PlayerView {
  image: (shown: ShownImage) => void;
  caption: (text: string | null) => void;
  progress: (fraction: number) => void;
  playing: (runId: string) => void;
  finished: (runId: string) => void;
  failed: (runId: string, reason: string) => void;
}

export interface PlayerDeps {
  transport: NarrationTransport;
  clock: ClockSync;
  mode: SyncMode;
  /** Sends a report to the session (queued while offline). */
  report: (message: { type: "playback_started"; runId: string; started_at: number } | ImgShownReport) => void;
  view: PlayerView;
  /** Presentation lag of a frame after its rAF timestamp (ms). */
  presentLagMs: () => number;
}

export interface ShownImage {
  cueId: string;
  src: string;
  /** rAF timestamp of the frame that put it on screen (null: shown outside the frame loop). */
  frameTime: number | null;
}

type ImgShownReport = { type: "img_shown"; runId: string; cueId: string; shown_at: number; error_ms: number };

/** Audio waits at most this long for the first image before starting anyway (the image then shows late). */
const FIRST_IMAGE_WAIT_MS = 1500;

const pageNow = () => performance.now();
/** Page clock → the epoch-like clock the clock sync uses. */
const toEpoch = (page: number) => performance.timeOrigin + page;

export class StoryPlayer {
  readonly runId: string;
  private readonly timeline: CueTimeline;
  private readonly captions: Caption[];
  private readonly sources = new Map<string, string>();
  private frame: number | null = null;
  private lastFrameAt: number | null = null;
  private frameInterval = 1000 / 60;
  private stopped = false;
  private lastCaption: string | null = null;
  private playback: PlaybackHandle | null = null;

  constructor(
    readonly start: StoryStart,
    private readonly deps: PlayerDeps,
  ) {
    this.runId = start.runId;
    this.timeline = new CueTimeline({
      mode: deps.mode,
      startAtServer: start.startAt,
      serverToPage: (server) => deps.clock.toLocal(server) - performance.timeOrigin,
    });
    this.captions = [...(start.captions ?? [])];
    for (const cue of start.cues ?? []) this.plan(cue);
  }

  /** Begins playback. `resume` is the session's run snapshot when rejoining a story already playing. */
  async play(resume: RunSnapshot | null): Promise<void> {
    const { transport, clock, mode } = this.deps;
    const audio = this.start.audio;
    const firstCue = (this.start.cues ?? [])[0];
    // A first image that fails to load must not hold the story: the audio starts and it shows late.
    const firstImage = firstCue ? this.imageReady(firstCue.url).catch(() => undefined) : Promise.resolve();
    try {
      await Promise.all([
        transport.prepare(audio),
        Promise.race([firstImage, new Promise((resolve) => setTimeout(resolve, FIRST_IMAGE_WAIT_MS))]),
      ]);
    } catch (err) {
      log.error("narration could not be loaded", { runId: this.runId, url: audio.url, error: String(err) });
      this.deps.view.failed(this.runId, "narration unavailable");
      return;
    }
    if (this.stopped) return;
    // A resumed run continues where the narration is now; a new one starts at once (anchored) or
    // on the server's plan (the runbook baseline).
    const offsetMs =
      resume?.audioStartedAt != null ? Math.max(0, clock.toServer(toEpoch(pageNow())) - resume.audioStartedAt) : 0;
    if (offsetMs >= audio.durationMs) {
      this.deps.view.finished(this.runId);
      return;
    }
    const request =
      mode === "server"
        ? { offsetMs, atPage: this.timeline.targetOf({ cueId: "", atMs: offsetMs, url: "" }) ?? pageNow(), naive: true }
        : { offsetMs };
    const started = await transport.start(audio, request);
    this.playback = started.handle;
    if (this.stopped) {
      started.handle.stop();
      return;
    }
    const anchorPage = started.audibleAtPage - offsetMs;
    this.timeline.anchorAudio(anchorPage);
    if (mode === "anchored" && resume?.audioStartedAt == null)
      this.deps.report({
        type: "playback_started",
        runId: this.runId,
        started_at: Math.round(clock.toServer(toEpoch(anchorPage))),
      });
    if (offsetMs > 0) {
      const current = this.timeline.catchUp(offsetMs);
      if (current)
        void this.imageReady(current.url).then(
          () => this.showNow(current.cueId, current.url, null),
          () => undefined,
        );
    }
    for (const cue of this.timeline.pending()) this.logSchedule(cue.cueId, cue.url, cue.atMs);
    started.handle.onEnded(() => {
      if (!this.stopped) this.deps.view.finished(this.runId);
    });
    this.deps.view.playing(this.runId);

    this.frame = requestAnimationFrame((t) => this.onFrame(t));
  }

  private refineAnchor(): void {
    if (this.stopped || this.deps.mode !== "anchored") return;
    const refined = this.playback?.anchor() ?? null;
    const current = this.timeline.anchorPage;
    if (refined === null || current === null || Math.abs(refined - current) < 0.5) return;
    // Small corrections are routine; a large one means the audio output slipped (a glitch).
    if (Math.abs(refined - current) > 5)
      log.warn("narration output moved; re-anchoring images", {
        runId: this.runId,
        shiftMs: Math.round(refined - current),
      });
    this.timeline.anchorAudio(refined);
  }

  /** An `img_preload` from the session: preload it; plan it if the plan lacked it. */
  preload(message: ImgPreload): void {
    if (message.runId !== this.runId) return;
    const added = this.plan({
      cueId: message.cueId,
      atMs: this.timeline.offsetOf(message.playout_ts),
      url: message.url,
    });
    if (!added) log.info(`Preloading image: ${message.url}`, { cueId: message.cueId, cached: true });
    if (added && this.timeline.anchored)
      this.logSchedule(message.cueId, message.url, this.timeline.offsetOf(message.playout_ts));
  }

  caption(message: ServerMessageOf<"caption">): void {
    if (message.runId !== this.runId) return;
    const atMs = message.playout_ts - this.start.startAt;
    if (this.captions.some((c) => c.atMs === atMs)) return;
    this.captions.push({ atMs, endMs: message.end_ts - this.start.startAt, text: message.text });
  }

  /** Stops this run's audio only (a newer run's audio is not this player's to stop). */
  stop(): void {
    this.stopped = true;
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.playback?.stop();
  }

  private plan(cue: { cueId: string; atMs: number; url: string }): boolean {
    const added = this.timeline.add(cue);
    if (added)
      void this.imageReady(cue.url).then(
        () => this.timeline.markReady(cue.cueId),
        () => undefined,
      );
    return added;
  }

  private imageReady(url: string): Promise<void> {
    return preloadImage(url).then(
      (src) => {
        this.sources.set(url, src);
      },
      (err: unknown) => {
        log.error("image could not be loaded", { url, error: String(err) });
        throw err;
      },
    );
  }

  private showNow(cueId: string, url: string, frameTime: number | null): void {
    const src = this.sources.get(url);
    if (src && !this.stopped) this.deps.view.image({ cueId, src, frameTime });
  }

  private logSchedule(cueId: string, url: string, atMs: number): void {
    const target = this.timeline.targetOf({ cueId, atMs, url });
    if (target === null) return;
    const at = Math.round(this.deps.clock.toServer(toEpoch(target)));
    log.info(`Scheduling image show: ${url} at ${at}`, { cueId, atMs });
  }

  private onFrame(frameTime: number): void {
    if (this.stopped) return;
    if (this.lastFrameAt !== null) {
      const delta = frameTime - this.lastFrameAt;
      // A smoothed frame period: one stalled frame must not move it much.
      if (delta > 4 && delta < 100) this.frameInterval += (delta - this.frameInterval) * 0.1;
    }
    this.lastFrameAt = frameTime;
    // The output clock settles over the first moments of a freshly opened device, and a glitch can
    // move it later: follow it every frame (one cheap getOutputTimestamp call).
    this.refineAnchor();
    const shows = this.timeline.due(frameTime, this.frameInterval, this.deps.presentLagMs());
    const last = shows.at(-1);
    if (last) this.showNow(last.cueId, last.url, frameTime);
    for (const show of shows) this.reportShown(show);
    const position = this.timeline.positionAt(frameTime);
    if (position !== null) {
      const text = captionAt(this.captions, position)?.text ?? null;
      if (text !== this.lastCaption) {
        this.lastCaption = text;
        this.deps.view.caption(text);
      }
      this.deps.view.progress(Math.min(1, Math.max(0, position / this.start.durationMs)));
    }
    this.frame = requestAnimationFrame((t) => this.onFrame(t));
  }

  private reportShown(show: CueShow): void {
    const shownAt = Math.round(this.deps.clock.toServer(toEpoch(show.shownPage)));
    if (show.late)
      log.warn("image shown late", { cueId: show.cueId, url: show.url, errorMs: Math.round(show.errorMs) });
    this.deps.report({
      type: "img_shown",
      runId: this.runId,
      cueId: show.cueId,
      shown_at: shownAt,
      error_ms: Math.round(show.errorMs * 10) / 10,
    });
  }
}
