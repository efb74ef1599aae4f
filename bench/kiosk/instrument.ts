/**
 * Injected into the kiosk page before its scripts (playwright `addInitScript`): measures what the
 * visitor perceives, independently of the kiosk's scheduler.
 *
 * - Heard: every narration source the kiosk connects to the speakers is routed through an
 *   AudioWorklet tap that finds tone onsets in the samples actually rendered; each onset's context
 *   time is mapped to page time with `getOutputTimestamp()` (the speaker's clock). Stamps arrive a
 *   little late when the audio thread is starved (never early), so the bench maps each onset with
 *   the least-late stamp within a second of it; the raw mapping is reported beside it.
 * - Seen: Element Timing `renderTime` of each cue image (the frame it was first painted in).
 * - Asked: the page time of each Enter key press (the visitor's request).
 */
export interface BenchRecord {
  /** Onsets mapped with the output stamp read when the tap reported them (raw). */
  onsets: number[];
  /** Onsets in context seconds (the exact frame the tone starts in the rendered audio). */
  onsetContext: number[];
  /** Output-clock stamps [contextTime s, performanceTime ms], one per frame. */
  stamps: Array<[number, number]>;
  paints: Array<{ id: string; renderTime: number }>;
  requests: number[];
  tapMissed: number;
}

/**
 * The script itself is plain JavaScript in a string: a function passed through tsx/esbuild would
 * carry helper calls (`__name`) that do not exist in the page.
 */
export const INSTRUMENT_KIOSK_PAGE = String.raw`
(() => {
  const bench = { onsets: [], onsetContext: [], stamps: [], paints: [], requests: [], tapMissed: 0 };
  window.__bench = bench;
  const worklet = ${"`"}
    class OnsetTap extends AudioWorkletProcessor {
      constructor() { super(); this.quiet = 1e9; }
      process(inputs, outputs) {
        const input = inputs[0];
        const output = outputs[0];
        if (input && input.length > 0) {
          for (let c = 0; c < output.length; c++) output[c].set(input[c] || input[0]);
          const samples = input[0];
          for (let i = 0; i < samples.length; i++) {
            if (Math.abs(samples[i]) > 0.1) {
              if (this.quiet > sampleRate * 0.08) this.port.postMessage(currentFrame + i);
              this.quiet = 0;
            } else this.quiet++;
          }
        } else this.quiet += 128;
        return true;
      }
    }
    registerProcessor("onset-tap", OnsetTap);${"`"};
  const moduleUrl = URL.createObjectURL(new Blob([worklet], { type: "application/javascript" }));
  const taps = new WeakMap();
  const NativeAudioContext = window.AudioContext;
  class TappedAudioContext extends NativeAudioContext {
    constructor(options) {
      super(options);
      this.audioWorklet.addModule(moduleUrl).then(() => {
        const tap = new AudioWorkletNode(this, "onset-tap", { outputChannelCount: [2] });
        tap.connect(this.destination);
        tap.port.onmessage = (event) => {
          const st = this.getOutputTimestamp();
          const onset = event.data / this.sampleRate;
          bench.onsetContext.push(onset);
          bench.onsets.push(st.performanceTime + (onset - st.contextTime) * 1000);
        };
        taps.set(this, tap);
      });
      // The output clock's stamps, every frame: onsets are mapped with the least-late stamp near them.
      const context = this;
      const stamp = () => {
        const st = context.getOutputTimestamp();
        if (st.performanceTime > 0) bench.stamps.push([st.contextTime, st.performanceTime]);
        requestAnimationFrame(stamp);
      };
      requestAnimationFrame(stamp);
    }
  }
  window.AudioContext = TappedAudioContext;
  const nativeConnect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (...args) {
    if (this instanceof AudioBufferSourceNode && args[0] === this.context.destination) {
      const tap = taps.get(this.context);
      if (tap) return nativeConnect.call(this, tap, ...args.slice(1));
      bench.tapMissed++;
    }
    return nativeConnect.apply(this, args);
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.paints.push({ id: entry.identifier, renderTime: entry.renderTime });
  }).observe({ type: "element", buffered: true });
  window.addEventListener("keydown", (event) => {
    if (event.key === "Enter") bench.requests.push(event.timeStamp);
  }, true);
})();
`;
