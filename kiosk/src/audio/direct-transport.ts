/**
 * Direct transport: the narration file from the edge (through the offline cache), decoded once and
 * played with an AudioBufferSourceNode started at a chosen context time. The page time the first
 * sample is heard comes from `AudioContext.getOutputTimestamp()` (which maps context time to the
 * `performance.now()` clock at the speaker) or, before the output clock runs, from `currentTime`
 * plus `outputLatency` + `baseLatency`.
 */
import { fetchImmutable } from "../io/content-cache.js";
import { log } from "../io/log.js";
import type { NarrationSource, NarrationTransport, StartedPlayback, StartRequest } from "./transport.js";

/** Output-clock stamps kept for the mapping filter (about half a second of frames). */
const MAPPING_WINDOW = 30;
/** Lead for a start "as soon as possible": one render quantum or two, so the start is sample-exact. */
const START_SAFETY_S = 0.012;

export class DirectTransport implements NarrationTransport {
  readonly name = "direct" as const;
  private readonly buffers = new Map<string, Promise<AudioBuffer>>();
  private source: AudioBufferSourceNode | null = null;
  /** Recent output-clock mappings (page ms − context ms), newest last. */
  private mappings: number[] = [];

  /** `output` lets a benchmark tap what is really rendered; defaults to the speakers. */
  constructor(
    readonly context: AudioContext,
    private readonly output: AudioNode = context.destination,
  ) {}

  prepare(source: Pick<NarrationSource, "url">): Promise<void> {
    return this.buffer(source).then(() => undefined);
  }

  private buffer(source: Pick<NarrationSource, "url">): Promise<AudioBuffer> {
    let pending = this.buffers.get(source.url);
    if (!pending) {
      pending = fetchImmutable(source.url)
        .then(({ response }) => response.arrayBuffer())
        .then((bytes) => this.context.decodeAudioData(bytes));
      pending.catch(() => this.buffers.delete(source.url));
      this.buffers.set(source.url, pending);
      // Keep the two most recent narrations decoded; older ones are re-read from the cache.
      while (this.buffers.size > 2) {
        const oldest = this.buffers.keys().next().value;
        if (oldest === undefined) break;
        this.buffers.delete(oldest);
      }
    }
    return pending;
  }

  /**
   * Page time (performance.now) at which context time `t` reaches the speaker. The output clock's
   * stamps jitter by a few ms, always late (a stamp taken a little after its sample played), so the
   * mapping is the lowest of the recent ones — the same filter clock sync uses for round trips. A
   * real shift (an output glitch) outlasts the window and is followed.
   */
  pageTimeOf(contextTime: number): number {
    const stamp = this.context.getOutputTimestamp();
    if (stamp.contextTime !== undefined && stamp.performanceTime !== undefined && stamp.performanceTime > 0) {
      this.mappings.push(stamp.performanceTime - stamp.contextTime * 1000);
      if (this.mappings.length > MAPPING_WINDOW) this.mappings.shift();
      return Math.min(...this.mappings) + contextTime * 1000;
    }
    const latency = (this.context.outputLatency || 0) + (this.context.baseLatency || 0);
    return performance.now() + (contextTime - this.context.currentTime + latency) * 1000;
  }

  /** The context time that reaches the speaker at page time `page`. */
  private contextTimeFor(page: number, naive: boolean): number {
    if (naive) return this.context.currentTime + (page - performance.now()) / 1000;
    return this.context.currentTime + (page - this.pageTimeOf(this.context.currentTime)) / 1000;
  }

  async start(source: NarrationSource, request: StartRequest): Promise<StartedPlayback> {
    if (this.context.state !== "running") await this.context.resume();
    const buffer = await this.buffer(source);
    this.stop();
    const node = new AudioBufferSourceNode(this.context, { buffer });
    node.connect(this.output);
    const earliest = this.context.currentTime + START_SAFETY_S;
    const when =
      request.atPage === undefined
        ? earliest
        : Math.max(earliest, this.contextTimeFor(request.atPage, request.naive === true));
    const offsetS = Math.min(buffer.duration, Math.max(0, request.offsetMs / 1000));
    node.start(when, offsetS);
    const zeroAtContext = when - offsetS;
    let ended: (() => void) | null = null;
    let playing = true;
    const halt = () => {
      if (!playing) return;
      playing = false;
      node.onended = null;
      try {
        node.stop();
      } catch {
        // never started
      }
      node.disconnect();
      if (this.source === node) this.source = null;
    };
    node.onended = () => {
      playing = false;
      node.disconnect();
      if (this.source === node) this.source = null;
      ended?.();
    };
    this.source = node;
    const outputLatencyMs = ((this.context.outputLatency || 0) + (this.context.baseLatency || 0)) * 1000;
    const audibleAtPage = this.pageTimeOf(when);
    log.info("narration scheduled", { url: source.url, offsetMs: request.offsetMs, audibleAtPage, outputLatencyMs });
    return {
      audibleAtPage,
      outputLatencyMs,
      handle: {
        anchor: () => (playing ? this.pageTimeOf(zeroAtContext) : null),
        stop: halt,
        onEnded: (listener) => {
          ended = listener;
        },
      },
    };
  }

  stop(): void {
    const node = this.source;
    this.source = null;
    if (!node) return;
    node.onended = null;
    try {
      node.stop();
    } catch {
      // never started
    }
    node.disconnect();
  }
}
