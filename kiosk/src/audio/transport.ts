/**
 * How narration audio reaches the speaker. The direct transport (fetch from the edge, WebAudio) is
 * the local default and the fallback; the LiveKit transport plugs into the same interface. Either
 * way the kiosk learns the page time (`performance.now()` clock) at which the narration's first
 * sample is heard, and every image cue is placed from that instant.
 */

export interface NarrationSource {
  url: string;
  contentType: string;
  durationMs: number;
}

export interface StartRequest {
  /** Start this far into the narration (a resumed story). */
  offsetMs: number;
  /**
   * Page time to aim the start at (the runbook-style baseline schedules on the server's plan);
   * omitted = as soon as possible.
   */
  atPage?: number;
  /** Baseline only: aim naively, ignoring the output latency. */
  naive?: boolean;
}

/** One playing narration: stopping it never touches a later one. */
export interface PlaybackHandle {
  /**
   * The current estimate of the page time position 0 of this narration is heard, re-read from the
   * output clock (null once it stopped).
   */
  anchor(): number | null;
  stop(): void;
  /** Called once when the narration plays to its end (not when stopped). */
  onEnded(listener: () => void): void;
}

export interface StartedPlayback {
  /** Page time at which audio position `offsetMs` is heard. */
  audibleAtPage: number;
  /** The output latency used for that estimate (ms). */
  outputLatencyMs: number;
  handle: PlaybackHandle;
}

export interface NarrationTransport {
  readonly name: "direct" | "livekit";
  /** Fetches and decodes ahead; after it resolves, `start` begins without waiting for the network. */
  prepare(source: Pick<NarrationSource, "url">): Promise<void>;
  /** Starts a narration; one plays at a time (starting one stops the previous). */
  start(source: NarrationSource, request: StartRequest): Promise<StartedPlayback>;
  /** Stops whatever plays. */
  stop(): void;
}
