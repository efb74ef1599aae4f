import type { Lang } from "../../protocol/ids.js";
import type { ScriptSegment } from "./script-parser.js";
import type { TtsProvider } from "./tts.js";

/** Silence between two cue segments, so a picture change lands in a breath, not mid-word. */
export const SEGMENT_GAP_MS = 350;

export interface TimedSegment {
  cueId: string;
  text: string;
  /** First sample of this segment's speech in the narration. */
  startSample: number;
  sampleCount: number;
  atMs: number;
  endMs: number;
}

export interface Narration {
  samples: Int16Array;
  sampleRate: number;
  segments: TimedSegment[];
  durationMs: number;
}

/**
 * Renders each cue's text separately and joins them with fixed gaps. A cue's time is the exact
 * sample where its speech starts (the sum of everything before it), so it cannot drift the way
 * a words-per-minute estimate or an engine's approximate word events can.
 */
export async function renderNarration(
  segments: ScriptSegment[],
  provider: TtsProvider,
  lang: Lang,
): Promise<Narration> {
  const rate = provider.sampleRate;
  const gap = Math.round((SEGMENT_GAP_MS / 1000) * rate);
  const rendered: Int16Array[] = [];
  for (const segment of segments) rendered.push(await provider.synthesize(segment.text, lang));
  const total = rendered.reduce((n, s) => n + s.length, 0) + gap * Math.max(0, rendered.length - 1);
  const samples = new Int16Array(total);
  const timed: TimedSegment[] = [];
  let at = 0;
  rendered.forEach((audio, i) => {
    const segment = segments[i];
    if (!segment) return;
    if (i > 0) at += gap;
    samples.set(audio, at);
    timed.push({
      cueId: segment.cueId,
      text: segment.text,
      startSample: at,
      sampleCount: audio.length,
      atMs: Math.round((at / rate) * 1000),
      endMs: Math.round(((at + audio.length) / rate) * 1000),
    });
    at += audio.length;
  });
  return { samples, sampleRate: rate, segments: timed, durationMs: Math.ceil((total / rate) * 1000) };
}
