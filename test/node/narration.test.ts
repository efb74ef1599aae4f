import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CueSheetSchema, cueSheetKey } from "../../protocol/catalog.js";
import { renderNarration, SEGMENT_GAP_MS } from "../../tools/content/narration.js";
import { createEspeakProvider, createWorkersAiProvider, type TtsProvider } from "../../tools/content/tts.js";
import { decodeWav, encodeWav } from "../../tools/content/wav.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "r2-assets");

/** Index of the first differing sample, or -1 (deep-equal on 100k-sample arrays is far too slow). */
function firstDifference(a: Int16Array, b: Int16Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Milliseconds from `from` to the first clearly audible sample (speech onset). */
function speechOnsetMs(samples: Int16Array, from: number, sampleRate: number): number {
  for (let i = from; i < samples.length; i++)
    if (Math.abs(samples[i] ?? 0) > 500) return ((i - from) / sampleRate) * 1000;
  return Number.POSITIVE_INFINITY;
}

let espeak: TtsProvider;
beforeAll(async () => {
  espeak = await createEspeakProvider();
});

describe("narration with the embedded TTS (eSpeak NG)", () => {
  it("really speaks: English and Hindi text become non-silent audio", async () => {
    for (const [text, lang] of [
      ["The temple faces the sunrise.", "en"],
      ["मंदिर सूर्योदय की ओर है।", "hi"],
    ] as const) {
      const samples = await espeak.synthesize(text, lang);
      expect(samples.length / espeak.sampleRate).toBeGreaterThan(0.8);
      const peak = samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
      expect(peak).toBeGreaterThan(3_000);
    }
  });

  it("puts each cue exactly at the first sample of its sentence (within 1 ms)", async () => {
    const segments = [
      { cueId: "a", text: "Long ago the gods had lost their strength.", line: 1 },
      { cueId: "b", text: "They uprooted a mountain.", line: 2 },
      { cueId: "c", text: "And the nectar rose from the sea.", line: 3 },
    ];
    // Record what the engine produced for each sentence (eSpeak is not bit-repeatable across calls).
    const spoken: Int16Array[] = [];
    const recording: TtsProvider = {
      ...espeak,
      synthesize: async (text, lang) => {
        const audio = await espeak.synthesize(text, lang);
        spoken.push(audio);
        return audio;
      },
    };
    const narration = await renderNarration(segments, recording, "en");
    const gap = Math.round((SEGMENT_GAP_MS / 1000) * espeak.sampleRate);
    for (const [i, segment] of narration.segments.entries()) {
      const alone = spoken[i] ?? new Int16Array();
      // From the cue's sample onwards the narration is exactly that sentence's audio…
      expect(
        firstDifference(narration.samples.subarray(segment.startSample, segment.startSample + alone.length), alone),
      ).toBe(-1);
      // …the cue time in ms is that sample, within 1 ms…
      expect(Math.abs(segment.atMs - (segment.startSample / espeak.sampleRate) * 1000)).toBeLessThanOrEqual(1);
      // …and before it lies only the silent gap after the previous sentence.
      if (i > 0)
        expect(narration.samples.subarray(segment.startSample - gap, segment.startSample).every((v) => v === 0)).toBe(
          true,
        );
      expect(speechOnsetMs(narration.samples, segment.startSample, espeak.sampleRate)).toBeLessThan(150);
    }
    expect(narration.durationMs).toBe(Math.ceil((narration.samples.length / espeak.sampleRate) * 1000));
  });

  it("matches the built demo content: each cue starts its sentence in the WAV", async () => {
    const manifest = JSON.parse(await readFile(path.join(ROOT, "build-manifest.json"), "utf8")) as {
      narration: Record<string, { segments: Array<{ cueId: string; startSample: number }> }>;
    };
    for (const [story, lang] of [
      ["queens-stepwell", "en"],
      ["sun-temple-of-konark", "hi"],
    ] as const) {
      const sheet = CueSheetSchema.parse(JSON.parse(await readFile(path.join(ROOT, cueSheetKey(story, lang)), "utf8")));
      const wav = decodeWav(new Uint8Array(await readFile(path.join(ROOT, sheet.audio.key))));
      const gap = Math.round((SEGMENT_GAP_MS / 1000) * wav.sampleRate);
      for (const [i, cue] of sheet.cues.entries()) {
        const segment = manifest.narration[`${story}.${lang}`]?.segments.find((s) => s.cueId === cue.id);
        if (!segment) throw new Error(`no segment for ${cue.id}`);
        expect(Math.abs(cue.atMs - (segment.startSample / wav.sampleRate) * 1000)).toBeLessThanOrEqual(1);
        if (i > 0)
          expect(wav.samples.subarray(segment.startSample - gap, segment.startSample).every((v) => v === 0)).toBe(true);
        expect(speechOnsetMs(wav.samples, segment.startSample, wav.sampleRate)).toBeLessThan(150);
      }
    }
  });
});

describe("managed TTS (Workers AI), our side of its contract", () => {
  const env = { CLOUDFLARE_ACCOUNT_ID: "acc123", CLOUDFLARE_API_TOKEN: "tok", TTS_SPEAKER: "luna" };

  it("asks for linear16 WAV and returns its samples", async () => {
    const pcm = Int16Array.from({ length: 2400 }, (_, i) => Math.round(Math.sin(i / 5) * 8000));
    const requests: Array<{ url: string; init: RequestInit }> = [];
    const fetchStub = (async (url: string | URL | Request, init?: RequestInit) => {
      requests.push({ url: String(url), init: init ?? {} });
      return new Response(encodeWav(pcm, 24_000), { headers: { "content-type": "audio/wav" } });
    }) as typeof fetch;
    const provider = createWorkersAiProvider(env, fetchStub);
    const samples = await provider.synthesize("Hello there.", "en");
    expect(firstDifference(samples, pcm)).toBe(-1);
    expect(requests[0]?.url).toBe("https://api.cloudflare.com/client/v4/accounts/acc123/ai/run/@cf/deepgram/aura-1");
    expect(new Headers(requests[0]?.init.headers).get("authorization")).toBe("Bearer tok");
    expect(JSON.parse(String(requests[0]?.init.body))).toEqual({
      text: "Hello there.",
      speaker: "luna",
      encoding: "linear16",
      container: "wav",
      sample_rate: 24_000,
    });
  });

  it("fails clearly on an API error, a non-WAV answer, a wrong rate or an unsupported language", async () => {
    const answer = (body: BodyInit, status = 200) =>
      (async () => new Response(body, { status })) as unknown as typeof fetch;
    await expect(
      createWorkersAiProvider(env, answer('{"errors":[{"message":"no"}]}', 401)).synthesize("x", "en"),
    ).rejects.toThrow(/HTTP 401/);
    await expect(createWorkersAiProvider(env, answer("ID3 mp3 bytes")).synthesize("x", "en")).rejects.toThrow(/RIFF/);
    await expect(
      createWorkersAiProvider(env, answer(encodeWav(new Int16Array(10), 16_000))).synthesize("x", "en"),
    ).rejects.toThrow(/16000 Hz/);
    await expect(createWorkersAiProvider(env, answer("")).synthesize("नमस्ते", "hi")).rejects.toThrow(/English only/);
    expect(() => createWorkersAiProvider({})).toThrow(/CLOUDFLARE_ACCOUNT_ID/);
  });
});

describe("wav", () => {
  it("round-trips PCM16 mono", async () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768]);
    const dir = await mkdtemp(path.join(tmpdir(), "katha-wav-"));
    await writeFile(path.join(dir, "a.wav"), encodeWav(samples, 22_050));
    expect(decodeWav(new Uint8Array(await readFile(path.join(dir, "a.wav"))))).toEqual({ samples, sampleRate: 22_050 });
  });
});
